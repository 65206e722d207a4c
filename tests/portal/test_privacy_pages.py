"""Privacy across every public output: for each privacy flag combination and each stage, the
public list, the public detail, search and the home counts never show a confidential or
unverified report, and never a reporter's identity or personal data typed into the text."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import World, fresh, submit
from tests.portal.helpers import html

pytestmark = pytest.mark.django_db

FLAGS = {
    "plain": {"is_anonymous": False, "is_confidential": False},
    "anonim": {"is_anonymous": True, "is_confidential": False},
    "rahasia": {"is_anonymous": False, "is_confidential": True},
    "anonim+rahasia": {"is_anonymous": True, "is_confidential": True},
}
STAGES = ("awaiting_verification", "routed", "finished")
PUBLIC = {(flag, stage) for flag in ("plain", "anonim") for stage in ("routed", "finished")}

FULL_NAME = "Siti Rahmawati"
NIK = "6472011234560001"
PHONE = "081234567890"
EMAIL = "siti.rahmawati@contoh.id"
# Personal data typed into the text by the reporter: a third person's phone, e-mail and NIK.
TYPED = {
    "phone": "0813-5555-1234",
    "email": "tono.pelaku@contoh.id",
    "nik": "6472 0199 9999 0001",
}
BODY = (
    "Jembatan di Jalan Pahlawan rusak dan pungutan diminta oleh petugas. "
    f"Hubungi saya di {TYPED['phone']} atau {TYPED['email']}, NIK {TYPED['nik']}."
)


@dataclass
class Matrix:
    world: World
    reports: dict[tuple[str, str], Report]

    def cases(self) -> list[tuple[tuple[str, str], Report, bool]]:
        return [(key, report, key in PUBLIC) for key, report in self.reports.items()]


def _build(world: World, flag: str, stage: str) -> Report:
    report, reporter = submit(
        world,
        title=f"Jembatan rusak {flag} {stage}",
        body=BODY,
        address=f"Dekat rumah, telp {TYPED['phone']}",
        **FLAGS[flag],
    )
    if stage in ("routed", "finished"):
        world.route(report)
    if stage == "finished":
        services.post_follow_up(
            actor=world.city_admin, report=report, message=f"Kami hubungi {TYPED['phone']}."
        )
        services.post_answer(actor=world.city_admin, report=report, message="Sudah diperbaiki.")
        services.confirm_report(actor=reporter, report=report)
    return fresh(report)


@pytest.fixture
def matrix(world: World) -> Matrix:
    reporter = world.reporter
    reporter.full_name, reporter.nik, reporter.phone, reporter.email = (
        FULL_NAME,
        NIK,
        PHONE,
        EMAIL,
    )
    reporter.save()
    reports = {(flag, stage): _build(world, flag, stage) for flag in FLAGS for stage in STAGES}
    return Matrix(world, reports)


def _assert_no_personal_data(page: str, where: str) -> None:
    for label, value in (("NIK", NIK), ("phone", PHONE), ("e-mail", EMAIL)):
        assert value not in page, f"{label} of the reporter on {where}"
    for label, value in TYPED.items():
        assert value not in page, f"typed {label} on {where}"
    assert FULL_NAME not in page, f"full name on {where}"


def test_the_public_list_shows_exactly_the_verified_non_confidential_reports(
    matrix: Matrix,
) -> None:
    page = html(Client().get("/laporan/"))
    for key, report, public in matrix.cases():
        assert (report.tracking_number in page) is public, key
    _assert_no_personal_data(page, "the public list")


def test_the_public_detail_answers_404_unless_public(matrix: Matrix) -> None:
    for key, report, public in matrix.cases():
        response = Client().get(f"/laporan/{report.tracking_number}/")
        assert response.status_code == (200 if public else 404), key
        if not public:
            assert report.title not in html(response)


@pytest.mark.parametrize("viewer", ["public", "reporter", "city_admin"])
def test_search_never_finds_a_hidden_report_whoever_searches(matrix: Matrix, viewer: str) -> None:
    client = Client()
    if viewer != "public":
        client.force_login(getattr(matrix.world, viewer))
    page = html(client.get("/laporan/", {"q": "jembatan"}))
    for key, report, public in matrix.cases():
        assert (report.tracking_number in page) is public, key
    # A hidden report's tracking number is no way in either: no jump, no row.
    for key, report, public in matrix.cases():
        response = client.get("/laporan/", {"q": report.tracking_number})
        if public:
            assert response.status_code == 302, key
            assert response["Location"] == f"/laporan/{report.tracking_number}/"
        else:
            assert response.status_code == 200, key
            assert f'href="/laporan/{report.tracking_number}/"' not in html(response), key
            assert "Tidak ada laporan yang cocok." in html(response), key


def test_the_home_counts_only_public_reports(matrix: Matrix) -> None:
    page = html(Client().get("/"))
    assert '<strong id="count-received">4</strong>' in page
    assert '<strong id="count-handling">2</strong>' in page
    assert '<strong id="count-finished">2</strong>' in page
    for key, report, public in matrix.cases():
        assert (report.title in page) is public, key


def test_public_pages_never_show_identity_or_typed_personal_data(matrix: Matrix) -> None:
    for key, report, public in matrix.cases():
        if not public:
            continue
        page = html(Client().get(f"/laporan/{report.tracking_number}/"))
        _assert_no_personal_data(page, f"the public page of {key}")
        assert "[nomor telepon disembunyikan]" in page
        assert "[email disembunyikan]" in page and "[NIK disembunyikan]" in page
        label = page.split('id="reporter-label">', 1)[1].split("<", 1)[0]
        if report.is_anonymous:
            assert label == "Pelapor anonim", key
            assert "Siti" not in page, key
        else:
            assert label == "Siti R.", key


def test_anonymous_reports_name_nobody_even_to_a_logged_in_citizen(matrix: Matrix) -> None:
    client = Client()
    client.force_login(matrix.world.citizen)
    for flag, stage in PUBLIC:
        report = matrix.reports[(flag, stage)]
        page = html(client.get(f"/laporan/{report.tracking_number}/"))
        _assert_no_personal_data(page, f"{flag}/{stage} seen by a citizen")
        list_page = html(client.get("/laporan/", {"q": "jembatan"}))
        _assert_no_personal_data(list_page, "the list seen by a citizen")


def test_a_guest_anonymous_reporters_contact_never_reaches_public_pages(world: World) -> None:
    report, _ = submit(
        world,
        by="guest",
        is_anonymous=True,
        contact_name="Tono Sugiarto",
        contact_email="tono@contoh.id",
        contact_phone="081311112222",
    )
    world.route(report)
    for url in (f"/laporan/{report.tracking_number}/", "/laporan/", "/"):
        page = html(Client().get(url))
        for value in ("Tono", "tono@contoh.id", "081311112222"):
            assert value not in page, (url, value)


def test_a_personal_data_search_is_refused_rather_than_leak_a_match(matrix: Matrix) -> None:
    # The phone number sits in public reports' bodies (shown masked): searching for it must
    # not reveal which reports contain it.
    for probe in ("0813-5555-1234", "08135555", "tono.pelaku@", "64720199"):
        response = Client().get("/laporan/", {"q": probe})
        page = html(response)
        assert response.status_code == 200
        assert "Demi melindungi data pribadi" in page, probe
        for _key, report, _public in matrix.cases():
            assert report.tracking_number not in page, probe


@pytest.mark.parametrize(
    ("text", "probes"),
    [
        ("jalan rusak", False),
        ("Jalan 17 Agustus 1945", False),
        ("RT 05 RW 03", False),
        ("26-7K3M-9Q2X", False),
        ("0812", False),
        ("08123", True),
        ("0812-3456", True),
        ("6472 0112", True),
        ("budi@", True),
        ("@gmail", True),
        ("Rp 500.000", True),  # refused too: the rule prefers safety to money searches
    ],
)
def test_which_searches_probe_personal_data(text: str, probes: bool) -> None:
    from lapor.reports.privacy import search_probes_personal_data

    assert search_probes_personal_data(text) is probes
