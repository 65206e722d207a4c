"""Upkeep and oversight: requeueing stuck messages, the settings check, the admin, erasure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.accounts.models import Membership, Role
from lapor.notifications.models import DeliveryAttempt, Notification
from lapor.notifications.tasks import deliver
from lapor.notifications.upkeep import replay_events, requeue_stale_notifications
from lapor.reports.services.erasure import erase_reporter_account
from tests.factories import World, make_user, submit
from tests.notifications.helpers import notify_all, notify_last
from tests.outbox import run_announcements

pytestmark = pytest.mark.django_db

TASK_PATH = "lapor.notifications.tasks.send_notification"


def queued_ids() -> list[int]:
    return sorted(
        r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(task_path=TASK_PATH)
    )


def test_requeue_recovers_a_send_interrupted_by_a_dead_worker(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report, _ = submit(world)
    email, sms = sorted(notify_last(report), key=lambda n: n.channel)
    long_ago = timezone.now() - timedelta(minutes=10)
    # The e-mail was claimed ten minutes ago by a worker that never came back.
    Notification.objects.filter(pk=email.pk).update(
        status="sending", attempts=1, claimed_at=long_ago
    )
    DeliveryAttempt.objects.create(notification=email, started_at=long_ago)
    # The SMS is pending and was due ten minutes ago: its task was lost.
    Notification.objects.filter(pk=sms.pk).update(next_attempt_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        result = requeue_stale_notifications(older_than=timedelta(minutes=5))
    assert (result.interrupted, result.requeued) == (1, 2)
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 1
    attempt = email.delivery_attempts.get()
    assert attempt.outcome == "error" and attempt.finished_at is not None
    assert attempt.detail.startswith("Terputus")
    assert queued_ids() == sorted([email.pk, sms.pk])
    assert deliver(email.pk) == "sent"
    assert email.delivery_attempts.count() == 2


def test_requeue_leaves_recent_work_alone(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    report, _ = submit(world)
    note = notify_last(report)[0]
    Notification.objects.filter(pk=note.pk).update(status="sending", claimed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        result = requeue_stale_notifications(older_than=timedelta(minutes=5))
    assert (result.interrupted, result.requeued) == (0, 0)
    note.refresh_from_db()
    assert note.status == "sending"


def test_a_message_that_keeps_killing_its_worker_stops_after_the_limit(
    world: World, settings: Any
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 2
    report, _ = submit(world)
    note = notify_last(report)[0]
    Notification.objects.filter(pk=note.pk).update(attempts=2)
    assert deliver(note.pk) == "failed"
    assert not note.delivery_attempts.exists()


def test_duplicate_tasks_send_once(world: World) -> None:
    report, _ = submit(world)
    note = next(n for n in notify_last(report) if n.channel == "email")
    assert [deliver(note.pk) for _ in range(3)] == ["sent", "skipped: sent", "skipped: sent"]
    assert note.delivery_attempts.count() == 1


# --- Settings check -----------------------------------------------------------------------


def _errors() -> set[str]:
    return {m.id for m in run_checks() if m.id and m.id.startswith("notifications.")}


def test_http_sms_without_a_url_is_refused(settings: Any) -> None:
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = ""
    assert "notifications.E002" in _errors()
    settings.SMS_HTTP_URL = "ftp://gateway"
    assert _errors() == {"notifications.E003"}
    settings.SMS_HTTP_URL = "https://sms.example.id/send"
    assert _errors() == set()


def test_other_impossible_settings_are_refused(settings: Any) -> None:
    settings.SMS_BACKEND = "pigeon"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = True
    settings.NOTIFY_MAX_ATTEMPTS = 0
    assert _errors() == {"notifications.E001", "notifications.E004", "notifications.E005"}


# --- Admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(world: World) -> Client:
    superuser = make_user("superadmin", is_staff=True, is_superuser=True)
    Membership.objects.create(user=superuser, institution=world.national, role=Role.NATIONAL_ADMIN)
    client = Client()
    client.force_login(superuser)
    return client


def test_admins_see_failed_messages_and_every_attempt(
    world: World, settings: Any, admin_client: Client
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "tests.notifications.test_sending.FailingBackend"
    report, _ = submit(world)
    notes = notify_last(report)
    email = next(n for n in notes if n.channel == "email")
    assert deliver(email.pk) == "failed"
    url = reverse("admin:notifications_notification_changelist")
    listing = admin_client.get(url, {"status__exact": "failed"}).content.decode()
    assert report.tracking_number in listing
    assert listing.count('class="field-tracking_number"') == 1
    page = admin_client.get(
        reverse("admin:notifications_notification_change", args=[email.pk])
    ).content.decode()
    assert "SMTPServerDisconnected" in page
    assert 'name="_save"' not in page
    assert (
        admin_client.post(
            reverse("admin:notifications_notification_delete", args=[email.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_admin_hides_the_address_of_an_anonymous_reporter(
    world: World, admin_client: Client
) -> None:
    report, _ = submit(world, is_anonymous=True)
    notify_last(report)
    listing = admin_client.get(reverse("admin:notifications_notification_changelist"))
    text = listing.content.decode()
    assert world.reporter.email not in text and world.reporter.phone not in text
    assert "Pelapor anonim" in text


# --- Erasure ------------------------------------------------------------------------------


def test_erasing_the_reporters_account_removes_their_addresses(world: World) -> None:
    report, _ = submit(world)
    world.route(report)
    notify_all(report)
    assert Notification.objects.filter(recipient=world.reporter).count() == 4
    erase_reporter_account(user=world.reporter)
    notify_all(report)  # the reporter_erased event, as the receiver sees it
    to_reporter = Notification.objects.filter(recipient=world.reporter)
    assert to_reporter.count() == 4
    assert set(to_reporter.values_list("address", flat=True)) == {""}
    # The staff's messages keep their addresses.
    staff = Notification.objects.filter(audience="staff")
    assert staff.count() == 2 and "" not in set(staff.values_list("address", flat=True))


def test_requeue_does_not_duplicate_a_task_already_waiting(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(world)
        run_announcements()  # the receiver enqueues one task per message
    assert len(queued_ids()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        result = requeue_stale_notifications(
            older_than=timedelta(0), now=timezone.now() + timedelta(hours=1)
        )
    assert result.requeued == 0
    assert len(queued_ids()) == 2


def test_replaying_events_after_an_outage_creates_only_what_is_missing(world: World) -> None:
    start = timezone.now()
    report, _ = submit(world)
    world.route(report)
    notify_last(report)  # the route event was processed; the submit event was missed
    assert Notification.objects.filter(kind="submit").count() == 0
    assert replay_events(since=start) == 2
    assert Notification.objects.filter(kind="submit").count() == 2
    assert replay_events(since=start) == 0
