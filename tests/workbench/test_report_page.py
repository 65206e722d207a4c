"""The report page for staff: who opens it, what it shows, and the logged identity reveal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lapor.reports import services
from lapor.reports.models import IdentityAccess, ReportEvent
from tests.factories import World, fresh, submit
from tests.workbench.conftest import (
    NOT_STAFF,
    PERSONAS,
    at_city,
    client_for,
    png_bytes,
    routed,
)

# Who sees a report waiting at Pemkot Samarinda, and one routed down to its Dinas Pendidikan.
SEES_AT_CITY = {"national_admin", "auditor", "province_admin", "city_admin", "leader"}
SEES_AT_DEPARTMENT = SEES_AT_CITY | {"officer"}


def _url(name: str, tracking: str) -> str:
    return reverse(f"workbench:{name}", args=[tracking])


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_waiting_at_the_city_opens_only_in_scope(world: World, persona: str) -> None:
    report = at_city(world)
    response = client_for(getattr(world, persona)).get(_url("report", report.tracking_number))
    expected = 403 if persona in NOT_STAFF else 200 if persona in SEES_AT_CITY else 404
    assert response.status_code == expected
    if expected != 200:
        assert report.title not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_forwarded_to_the_department_opens_only_in_scope(world: World, persona: str) -> None:
    report = routed(world, at_city(world), to=world.department)
    response = client_for(getattr(world, persona)).get(_url("report", report.tracking_number))
    expected = 403 if persona in NOT_STAFF else 200 if persona in SEES_AT_DEPARTMENT else 404
    assert response.status_code == expected


def test_unknown_and_malformed_numbers_are_404(world: World) -> None:
    client = client_for(world.national_admin)
    assert client.get(_url("report", "26-0000-0000")).status_code == 404
    assert client.get(_url("report", "bukan-nomor")).status_code == 404


def test_a_typed_number_in_lower_case_without_dashes_finds_the_report(world: World) -> None:
    report = at_city(world)
    compact = report.tracking_number.replace("-", "").lower()
    response = client_for(world.city_admin).get(_url("report", compact))
    assert response.status_code == 200
    assert report.tracking_number in response.content.decode()


def test_every_page_sends_a_visitor_to_the_login_page(world: World) -> None:
    report = at_city(world)
    for url in (
        reverse("workbench:inbox"),
        _url("report", report.tracking_number),
        _url("route", report.tracking_number),
        reverse("workbench:intake"),
        reverse("workbench:institution_search"),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/?next=")


def test_a_citizen_gets_403_on_every_page(world: World) -> None:
    report = at_city(world)
    client = client_for(world.citizen)
    for url in (
        reverse("workbench:inbox"),
        _url("report", report.tracking_number),
        _url("route", report.tracking_number),
        reverse("workbench:intake"),
        _url("receipt", report.tracking_number),
    ):
        assert client.get(url).status_code == 403
    response = client.post(_url("hold", report.tracking_number), {"hold-question": "Di mana?"})
    assert response.status_code == 403
    assert fresh(report).state == "awaiting_verification"


def test_staff_see_the_whole_history_with_internal_notes(world: World) -> None:
    report = routed(world, at_city(world), to=world.department)
    services.post_follow_up(
        actor=world.officer,
        report=report,
        message="Catatan internal: cek ke sekolah.",
        is_public=False,
    )
    page = client_for(world.officer).get(_url("report", report.tracking_number)).content.decode()
    assert "Catatan internal: cek ke sekolah." in page
    assert "Internal" in page
    for label in ("Laporan diterima", "Diverifikasi dan didisposisikan", "Diteruskan ke unit"):
        assert label in page


def test_page_shows_stage_due_date_and_only_the_allowed_moves(world: World) -> None:
    report = routed(world, at_city(world), to=world.department)
    page = client_for(world.officer).get(_url("report", report.tracking_number)).content.decode()
    assert "Penyelesaian" in page and "Tenggat" in page and "WITA" in page
    for move in ("tindak-lanjut", "jawaban", "teruskan", "perpanjangan", "bukan-wewenang"):
        assert f"/{move}/" in page
    assert "/ombudsman/" not in page  # the officer holds no admin role
    assert _url("route", report.tracking_number) not in page
    readonly = client_for(world.leader).get(_url("report", report.tracking_number))
    assert '<form method="post" action="/ruang-kerja/laporan/' not in readonly.content.decode()


def test_waiting_report_links_to_the_verify_screen_for_admins_only(world: World) -> None:
    report = at_city(world)
    route_url = _url("route", report.tracking_number)
    assert (
        route_url
        in client_for(world.city_admin).get(_url("report", report.tracking_number)).content.decode()
    )
    assert (
        route_url
        not in client_for(world.auditor)
        .get(_url("report", report.tracking_number))
        .content.decode()
    )


def test_attachments_link_to_the_portal_download(world: World) -> None:
    report = routed(world, at_city(world))
    services.post_follow_up(
        actor=world.city_admin,
        report=report,
        message="Foto bukti terlampir.",
        uploads=[("bukti.png", png_bytes())],
    )
    attachment = fresh(report).attachments.get()
    page = client_for(world.city_admin).get(_url("report", report.tracking_number)).content.decode()
    href = reverse("portal:attachment", kwargs={"pk": attachment.pk, "name": attachment.name})
    assert f'href="{href}"' in page


# --- anonymous reporters --------------------------------------------------------------------

SECRET_NAME = "Siti Rahasia Wulandari"
SECRET_NIK = "6472019876543210"
SECRET_EMAIL = "siti.rahasia@contoh.id"
SECRET_PHONE = "081355512345"


def _anonymous_report(world: World):  # type: ignore[no-untyped-def]
    from tests.factories import make_user

    person = make_user(
        "siti_rahasia",
        full_name=SECRET_NAME,
        nik=SECRET_NIK,
        email=SECRET_EMAIL,
        phone=SECRET_PHONE,
    )
    report = at_city(
        world,
        by=person,
        is_anonymous=True,
        title="Pungutan seragam di SD Negeri 001",
        body=f"Saya diminta membayar seragam. Hubungi saya di {SECRET_PHONE} atau {SECRET_EMAIL}.",
    )
    services.add_information(actor=person, report=report, message="Tambahan: kuitansi ada.")
    return report, person


def _leaks(html: str) -> list[str]:
    return [s for s in (SECRET_NAME, SECRET_NIK, SECRET_EMAIL, SECRET_PHONE) if s in html]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in NOT_STAFF])
def test_anonymous_identity_appears_on_no_workbench_page(world: World, persona: str) -> None:
    report, _person = _anonymous_report(world)
    client = client_for(getattr(world, persona))
    pages = [
        reverse("workbench:inbox"),
        reverse("workbench:inbox") + "?q=Pungutan",
        _url("report", report.tracking_number),
        _url("route", report.tracking_number),
        _url("receipt", report.tracking_number),
    ]
    for url in pages:
        response = client.get(url)
        assert not _leaks(response.content.decode()), (url, response.status_code)
    # After a move the page still hides it, and so does the history.
    if persona == "city_admin":
        services.hold_report(actor=world.city_admin, report=report, question="Sekolah mana?")
        assert not _leaks(client.get(_url("report", report.tracking_number)).content.decode())


def test_report_page_names_the_anonymous_reporter_generically(world: World) -> None:
    report, _ = _anonymous_report(world)
    page = client_for(world.city_admin).get(_url("report", report.tracking_number)).content.decode()
    assert "Pelapor anonim" in page
    assert "[nomor telepon disembunyikan]" in page
    assert "Buka identitas" not in page  # only national admins get the form


def test_national_admin_reveals_the_identity_with_a_purpose_and_it_is_logged(
    world: World,
) -> None:
    report, _ = _anonymous_report(world)
    client = client_for(world.national_admin)
    page = client.get(_url("report", report.tracking_number)).content.decode()
    assert "Buka identitas pelapor anonim" in page and not _leaks(page)
    response = client.post(_url("reveal", report.tracking_number), {"purpose": ""})
    assert response.status_code == 400
    assert IdentityAccess.objects.filter(report=report).count() == 0
    response = client.post(
        _url("reveal", report.tracking_number), {"purpose": "Dugaan ancaman terhadap pelapor."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert set(_leaks(html)) == {SECRET_NAME, SECRET_NIK, SECRET_EMAIL, SECRET_PHONE}
    assert "no-store" in response["Cache-Control"]
    access = IdentityAccess.objects.get(report=report)
    assert access.user == world.national_admin
    assert access.purpose == "Dugaan ancaman terhadap pelapor."
    # Shown on that response only: the next page view hides it again.
    assert not _leaks(client.get(_url("report", report.tracking_number)).content.decode())
    client.post(_url("reveal", report.tracking_number), {"purpose": "Kedua kali."})
    assert IdentityAccess.objects.filter(report=report).count() == 2


@pytest.mark.parametrize(
    "persona", ["auditor", "province_admin", "city_admin", "leader", "officer", "other_admin"]
)
def test_nobody_else_can_reveal(world: World, persona: str) -> None:
    report, _ = _anonymous_report(world)
    response = client_for(getattr(world, persona)).post(
        _url("reveal", report.tracking_number), {"purpose": "Ingin tahu."}
    )
    assert response.status_code == (404 if persona in ("officer", "other_admin") else 403)
    assert not _leaks(response.content.decode())
    assert not IdentityAccess.objects.filter(report=report).exists()
    assert ReportEvent.objects.filter(report=report).count() == 2


def test_a_wita_deadline_is_printed_in_wita_wall_clock_time(world: World) -> None:
    # Routed to Kota Samarinda (WITA): the deadline is the end of a working day there, 23:59
    # WITA — not 22:59 (the same instant printed in WIB and labelled WITA).
    report, _ = submit(world)
    world.route(report, world.city)
    html = (
        client_for(world.city_admin)
        .get(reverse("workbench:report", args=[report.tracking_number]))
        .content.decode()
    )
    assert "23:59 WITA" in html
    assert "22:59" not in html
