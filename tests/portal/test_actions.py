"""The reporter's actions on their page: offered only when the workflow table allows, each
calling its service, every refusal shown as a message with its status."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lapor.lib import clock
from lapor.reports.actors import GuestActor
from lapor.reports.models import Attachment, ReportEvent, State
from tests.factories import World, fresh
from tests.portal.conftest import jpeg_bytes
from tests.portal.helpers import html, reporter_client
from tests.reports.lifecycle import LATE, T1, drive

pytestmark = pytest.mark.django_db

ALL_SLUGS = ("klarifikasi", "tambah-informasi", "konfirmasi", "keberatan", "nilai", "ombudsman")


def offered(page: str) -> set[str]:
    return {slug for slug in ALL_SLUGS if f'id="aksi-{slug}"' in page}


@pytest.mark.parametrize("as_guest", [False, True], ids=["account", "guest"])
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.AWAITING_VERIFICATION, {"tambah-informasi"}),
        (State.ON_HOLD, {"klarifikasi"}),
        (State.ROUTED, {"tambah-informasi", "ombudsman"}),
        (State.IN_PROGRESS, {"tambah-informasi", "ombudsman"}),
        (State.ANSWERED, {"konfirmasi", "keberatan"}),
        (State.FINISHED, {"nilai"}),
        (State.ARCHIVED, set()),
        (State.ESCALATED, set()),
    ],
)
def test_the_page_offers_what_the_table_allows(
    world: World, state: str, expected: set[str], as_guest: bool
) -> None:
    report, reporter = drive(world, state, guest=as_guest)
    client = reporter_client(reporter, report)
    page = html(client.get(f"/lacak/{report.tracking_number}/"))
    assert offered(page) == expected


def test_on_hold_the_question_is_shown(world: World) -> None:
    report, reporter = drive(world, State.ON_HOLD)
    page = html(reporter_client(reporter, report).get(f"/lacak/{report.tracking_number}/"))
    assert "Pertanyaan dari petugas" in page and "Di sekolah mana?" in page


def test_a_consent_already_given_is_not_offered_again(world: World) -> None:
    report, reporter = drive(world, State.IN_PROGRESS, consented=True)
    page = html(reporter_client(reporter, report).get(f"/lacak/{report.tracking_number}/"))
    assert "ombudsman" not in offered(page)
    assert "Anda telah meminta pelimpahan" in page


def _post(client: Client, report: Any, slug: str, data: dict[str, Any]) -> Any:
    payload = {f"{slug}-{k}": v for k, v in data.items()}
    return client.post(f"/lacak/{report.tracking_number}/{slug}/", payload)


@pytest.mark.parametrize("as_guest", [False, True], ids=["account", "guest"])
def test_add_information_with_a_photo(world: World, as_guest: bool) -> None:
    report, reporter = drive(world, State.ROUTED, guest=as_guest)
    client = reporter_client(reporter, report)
    photo = SimpleUploadedFile("bukti.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = _post(
        client, report, "tambah-informasi", {"message": "Ini fotonya.", "attachments": photo}
    )
    assert response.status_code == 302
    event = ReportEvent.objects.filter(report=report).order_by("sequence").last()
    assert event is not None and (event.action, event.message) == (
        "add_information",
        "Ini fotonya.",
    )
    assert Attachment.objects.get(event=event).name == "bukti.jpg"
    page = html(client.get(response["Location"]))
    assert "tanggapan Anda telah disimpan" in page and "bukti.jpg" in page


def test_clarify_sends_the_report_back_to_verification(world: World) -> None:
    report, reporter = drive(world, State.ON_HOLD, guest=True)
    client = reporter_client(reporter, report)
    response = _post(client, report, "klarifikasi", {"message": "SD Negeri 001."})
    assert response.status_code == 302
    assert fresh(report).state == State.AWAITING_VERIFICATION


def test_dispute_reopens_and_confirm_finishes_with_a_rating(world: World) -> None:
    report, reporter = drive(world, State.ANSWERED, guest=True)
    client = reporter_client(reporter, report)
    assert _post(client, report, "keberatan", {"message": "Belum dikembalikan."}).status_code == 302
    assert fresh(report).state == State.IN_PROGRESS

    other, other_reporter = drive(world, State.ANSWERED)
    client = reporter_client(other_reporter, other)
    response = _post(client, other, "konfirmasi", {"rating": "4", "comment": "Cepat."})
    assert response.status_code == 302
    other = fresh(other)
    assert (other.state, other.satisfaction_rating, other.satisfaction_comment) == (
        State.FINISHED,
        4,
        "Cepat.",
    )


def test_rate_once_after_finishing(world: World) -> None:
    report, reporter = drive(world, State.FINISHED)
    client = reporter_client(reporter, report)
    assert _post(client, report, "nilai", {"rating": "5", "comment": "Baik."}).status_code == 302
    assert fresh(report).satisfaction_rating == 5
    page = html(client.get(f"/lacak/{report.tracking_number}/"))
    assert offered(page) == set() and "Penilaian Anda: 5 dari 5." in page
    again = _post(client, report, "nilai", {"rating": "1"})
    assert again.status_code == 409 and "sudah dinilai" in html(again)
    assert fresh(report).satisfaction_rating == 5


def test_a_rating_outside_1_to_5_is_a_form_error(world: World) -> None:
    report, reporter = drive(world, State.FINISHED)
    response = _post(reporter_client(reporter, report), report, "nilai", {"rating": "9"})
    assert response.status_code == 400 and 'id="id_nilai-rating_error"' in html(response)
    assert fresh(report).satisfaction_rating is None


def test_an_empty_message_is_a_form_error(world: World) -> None:
    report, reporter = drive(world, State.ROUTED)
    response = _post(reporter_client(reporter, report), report, "tambah-informasi", {})
    assert response.status_code == 400
    assert 'id="id_tambah-informasi-message_error"' in html(response)
    assert "<details" in html(response) and " open>" in html(response)


def test_the_ombudsman_request_before_the_deadline_shows_the_services_refusal(
    world: World,
) -> None:
    report, reporter = drive(world, State.IN_PROGRESS)
    client = reporter_client(reporter, report)
    with clock.at(T1):
        response = _post(client, report, "ombudsman", {"agree": "on"})
    assert response.status_code == 409
    assert "Batas waktu penyelesaian belum lewat." in html(response)
    assert fresh(report).ombudsman_consent_at is None


def test_the_ombudsman_request_after_the_deadline_is_recorded(world: World) -> None:
    report, reporter = drive(world, State.IN_PROGRESS, guest=True)
    client = reporter_client(reporter, report)
    with clock.at(LATE):
        response = _post(client, report, "ombudsman", {"agree": "on"})
    assert response.status_code == 302
    assert fresh(report).ombudsman_consent_at == LATE


def test_the_ombudsman_request_needs_the_consent_box(world: World) -> None:
    report, reporter = drive(world, State.IN_PROGRESS)
    with clock.at(LATE):
        response = _post(reporter_client(reporter, report), report, "ombudsman", {})
    assert response.status_code == 400
    assert fresh(report).ombudsman_consent_at is None


@pytest.mark.parametrize(
    ("state", "slug", "data"),
    [
        (State.ROUTED, "konfirmasi", {}),
        (State.ROUTED, "keberatan", {"message": "Tidak setuju."}),
        (State.ROUTED, "klarifikasi", {"message": "Ini jawabannya."}),
        (State.AWAITING_VERIFICATION, "nilai", {"rating": "5"}),
        (State.ANSWERED, "tambah-informasi", {"message": "Tambahan."}),
        (State.ARCHIVED, "tambah-informasi", {"message": "Tambahan."}),
        (State.FINISHED, "keberatan", {"message": "Tidak setuju."}),
    ],
)
def test_a_move_the_table_does_not_allow_now_is_refused_with_409(
    world: World, state: str, slug: str, data: dict[str, Any]
) -> None:
    report, reporter = drive(world, state)
    events = ReportEvent.objects.filter(report=report).count()
    response = _post(reporter_client(reporter, report), report, slug, data)
    assert response.status_code == 409
    assert "Tindakan ini tidak dapat dilakukan" in html(response)
    assert fresh(report).state == state
    assert ReportEvent.objects.filter(report=report).count() == events


def test_only_the_reporter_may_act(world: World) -> None:
    report, reporter = drive(world, State.ANSWERED, guest=True)
    assert isinstance(reporter, GuestActor)
    stranger, citizen, staff = Client(), Client(), Client()
    citizen.force_login(world.citizen)
    staff.force_login(world.city_admin)
    for client in (stranger, citizen, staff):
        assert _post(client, report, "konfirmasi", {}).status_code == 404
    assert fresh(report).state == State.ANSWERED


def test_an_unknown_action_is_404_and_get_is_not_allowed(world: World) -> None:
    report, reporter = drive(world, State.ROUTED)
    client = reporter_client(reporter, report)
    assert _post(client, report, "hapus", {}).status_code == 404
    assert client.get(f"/lacak/{report.tracking_number}/tambah-informasi/").status_code == 405
