"""What the reporter was told, on the staff report page, and the list of failed messages:
in scope only, failures marked, an anonymous reporter's addresses never shown to staff."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lapor.notifications.models import DeliveryAttempt, Notification
from lapor.notifications.tasks import deliver
from lapor.reports.models import Report
from tests.factories import World
from tests.notifications.helpers import notify_all
from tests.workbench.conftest import at_city, client_for, routed

pytestmark = pytest.mark.django_db

FAILED_LIST = "/ruang-kerja/pesan-gagal/"


class RefusingBackend:
    """An SMTP server that refuses the recipient, quoting the address (as real ones do)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, email_messages: Any) -> int:
        address = email_messages[0].to[0]
        raise smtplib.SMTPServerDisconnected(f"550 mailbox {address} unavailable")


@pytest.fixture
def refusing_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.workbench.test_messages_panel.RefusingBackend"
    settings.NOTIFY_MAX_ATTEMPTS = 1


def page_of(user: Any, report: Report) -> Any:
    return client_for(user).get(reverse("workbench:report", args=[report.tracking_number]))


def fail_reporter_email(report: Report) -> Notification:
    note = Notification.objects.get(
        report=report, audience="reporter", kind="submit", channel="email"
    )
    assert deliver(note.pk) == "failed"
    note.refresh_from_db()
    return note


def test_staff_of_the_institution_see_the_messages_of_a_report_they_handle(world: World) -> None:
    report = routed(world, at_city(world), to=world.department)
    notify_all(report)
    page = page_of(world.officer, report).content.decode()
    assert "Pesan terkirim" in page
    for label in ("Laporan diterima", "Laporan didisposisikan", "Tugas baru", "Surel", "SMS"):
        assert label in page, label
    assert "Menunggu dikirim" in page
    assert f"Pelapor: {world.reporter.display_name()}" in page


def test_a_failed_message_is_marked_with_its_last_error(world: World, refusing_mail: None) -> None:
    report = at_city(world)
    notify_all(report)
    note = fail_reporter_email(report)
    page = page_of(world.city_admin, report).content.decode()
    row = page.split(f'id="pesan-{note.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "message-failed" in page.split(f'id="pesan-{note.pk}"', 1)[0][-80:]
    assert "GAGAL" in row and "Galat terakhir" in row
    assert "SMTPServerDisconnected" in row and "Waktu habis" not in row
    assert "1 percobaan" in row and "Galat" in row
    # Only that one is marked: the others are still waiting.
    assert page.count(">GAGAL<") == 1


def test_failed_messages_list_is_scoped_and_linked_for_admins_only(
    world: World, refusing_mail: None
) -> None:
    report = at_city(world)
    notify_all(report)
    fail_reporter_email(report)
    for admin in (world.city_admin, world.province_admin, world.national_admin):
        client = client_for(admin)
        listing = client.get(FAILED_LIST)
        assert listing.status_code == 200
        assert report.tracking_number in listing.content.decode()
        assert f'href="{FAILED_LIST}"' in client.get(reverse("workbench:inbox")).content.decode()
    other = client_for(world.other_admin).get(FAILED_LIST)
    assert other.status_code == 200 and report.tracking_number not in other.content.decode()
    officer = client_for(world.officer)
    assert officer.get(FAILED_LIST).status_code == 403
    assert f'href="{FAILED_LIST}"' not in officer.get(reverse("workbench:inbox")).content.decode()


@pytest.mark.parametrize("persona", ["other_admin", "other_officer", "ministry_admin"])
def test_staff_of_another_institution_get_404(world: World, persona: str) -> None:
    report = at_city(world)
    notify_all(report)
    response = page_of(getattr(world, persona), report)
    assert response.status_code == 404
    assert "Pesan terkirim" not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["city_admin", "province_admin", "leader", "auditor", "national_admin"]
)
def test_an_anonymous_reporters_addresses_never_reach_staff_pages(
    world: World, refusing_mail: None, persona: str
) -> None:
    report = at_city(world, is_anonymous=True)
    notify_all(report)
    note = fail_reporter_email(report)
    assert world.reporter.email in note.last_error  # the error quotes it: the page must not
    viewer = getattr(world, persona)
    pages = [page_of(viewer, report).content.decode()]
    if persona in ("city_admin", "province_admin", "national_admin"):
        listing = client_for(viewer).get(FAILED_LIST).content.decode()
        assert report.tracking_number in listing
        pages.append(listing)
    for page in pages:
        assert world.reporter.email not in page
        assert world.reporter.phone not in page
        assert world.reporter.display_name() not in page
        assert "[surel disembunyikan]" in page
    assert "[nomor telepon disembunyikan]" in pages[0]


def test_national_admin_sees_the_addresses_only_beside_the_logged_reveal(
    world: World,
) -> None:
    report = at_city(world, is_anonymous=True)
    notify_all(report)
    client = client_for(world.national_admin)
    url = reverse("workbench:reveal", args=[report.tracking_number])
    page = client.post(url, {"purpose": "Pemeriksaan pesan yang gagal."}).content.decode()
    assert world.reporter.email in page.split('id="sent-messages-heading"', 1)[1]


def _add_messages(report: Report, count: int, start: int) -> None:
    now = timezone.now()
    for i in range(start, start + count):
        note = Notification.objects.create(
            report=report,
            audience="reporter",
            kind="follow_up",
            channel="email",
            address="pelapor@contoh.id",
            body=f"Pesan {i}",
            idempotency_key=f"uji-{report.pk}-{i}",
            status="failed" if i % 2 else "sent",
            attempts=2,
            last_error="Galat uji" if i % 2 else "",
        )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(notification=note, started_at=now, outcome="error", detail="x")
            for _ in range(2)
        )


def test_the_report_page_does_not_query_per_message(world: World) -> None:
    report = at_city(world)
    notify_all(report)
    client = client_for(world.city_admin)
    url = reverse("workbench:report", args=[report.tracking_number])
    client.get(url)  # warm caches (policy, calendar)
    _add_messages(report, 2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_messages(report, 20, 2)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "Pesan 21" in page
    assert len(many) == len(few)
