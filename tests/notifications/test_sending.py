"""Sending one message: e-mail through Django's backends, SMS through a real local HTTP server
that plays the gateway. Retries with back-off, every attempt recorded, then `failed`."""

from __future__ import annotations

import json
import smtplib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from lapor.notifications.gateways import ConsoleSmsGateway, HttpSmsGateway
from lapor.notifications.models import DeliveryAttempt, Notification
from lapor.notifications.services import failed_notifications
from lapor.notifications.tasks import backoff, deliver, message_id, send_notification
from tests.factories import World, submit
from tests.notifications.gateway import FakeSmsGateway
from tests.notifications.helpers import notify_last

pytestmark = pytest.mark.django_db


def one(world: World, channel: str, **submit_kw: Any) -> Notification:
    report, _ = submit(world, **submit_kw)
    return next(n for n in notify_last(report) if n.channel == channel)


def attempts(note: Notification) -> list[tuple[str, str]]:
    return [(a.outcome, a.detail) for a in note.delivery_attempts.order_by("id")]


# --- E-mail -------------------------------------------------------------------------------


def test_email_is_sent_once_with_a_deterministic_message_id(world: World) -> None:
    note = one(world, "email")
    assert send_notification.call(note.pk) == "sent"
    assert send_notification.call(note.pk) == "skipped: sent"  # safe to run twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.reporter.email]
    assert message.subject == note.subject and message.body == note.body
    assert message.extra_headers["X-Lapor-Idempotency-Key"] == note.idempotency_key
    assert message.extra_headers["Message-ID"] == message_id(note.idempotency_key)
    assert message.message()["Message-ID"] == message_id(note.idempotency_key)
    assert message_id(note.idempotency_key).endswith("@lapor.example.id>")
    note.refresh_from_db()
    assert note.status == "sent" and note.attempts == 1 and note.sent_at is not None
    assert attempts(note) == [("sent", "Diterima server surel.")]


class FailingBackend(BaseEmailBackend):
    """The outside world: an SMTP server that refuses."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_email_failure_is_retried_with_backoff_then_failed(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.test_sending.FailingBackend"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    note = one(world, "email")
    start = timezone.now()
    with (
        time_machine.travel(start, tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        assert deliver(note.pk) == "pending"
    assert len(callbacks) == 1  # the delayed retry is enqueued after commit
    note.refresh_from_db()
    assert note.next_attempt_at == start + timedelta(minutes=1)
    assert note.last_error.startswith("SMTPServerDisconnected")
    # Too early: the retry does nothing.
    assert deliver(note.pk) == "skipped: not due"
    with time_machine.travel(start + timedelta(minutes=1, seconds=1), tick=False):
        assert deliver(note.pk) == "pending"
    note.refresh_from_db()
    assert note.next_attempt_at is not None
    assert note.next_attempt_at - timezone.now() > timedelta(minutes=4)
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        assert deliver(note.pk) == "failed"
    note.refresh_from_db()
    assert note.status == "failed" and note.attempts == 3 and note.next_attempt_at is None
    assert [o for o, _ in attempts(note)] == ["error", "error", "error"]
    assert list(failed_notifications(note.report)) == [note]  # type: ignore[arg-type]


def test_backoff_grows_five_times_and_is_capped() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=125),
    ]
    assert backoff(10) == timedelta(hours=6)


def test_an_erased_address_fails_instead_of_going_anywhere(world: World) -> None:
    note = one(world, "email")
    Notification.objects.filter(pk=note.pk).update(address="", attempts=4)
    assert deliver(note.pk) == "failed"
    assert len(mail.outbox) == 0


def test_a_missing_notification_is_no_error() -> None:
    assert deliver(987654) == "missing"


# --- SMS through a real local HTTP gateway ------------------------------------------------


@pytest.fixture
def http_sms(settings: Any, gateway: FakeSmsGateway) -> FakeSmsGateway:
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = gateway.url
    settings.SMS_HTTP_TOKEN = "rahasia-gateway"
    settings.SMS_HTTP_TIMEOUT = 0.5
    return gateway


def test_sms_is_posted_as_json_with_token_and_idempotency_key(
    world: World, http_sms: FakeSmsGateway
) -> None:
    note = one(world, "sms")
    assert deliver(note.pk) == "sent"
    (request,) = http_sms.requests
    assert request.payload == {
        "to": world.reporter.phone,
        "text": note.body,
        "idempotency_key": note.idempotency_key,
    }
    assert request.headers["Authorization"] == "Bearer rahasia-gateway"
    assert request.headers["Idempotency-Key"] == note.idempotency_key
    assert request.headers["Content-Type"] == "application/json"
    note.refresh_from_db()
    assert note.status == "sent"
    ((outcome, detail),) = attempts(note)
    assert outcome == "sent" and detail.startswith("HTTP 200")
    assert json.loads(detail.removeprefix("HTTP 200: "))["ok"] is True


def test_sms_gateway_error_is_retried_until_failed_and_every_attempt_recorded(
    world: World, settings: Any, http_sms: FakeSmsGateway
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 3
    http_sms.status = 500
    note = one(world, "sms")
    moment = timezone.now()
    for step in range(3):
        with time_machine.travel(moment, tick=False):
            result = deliver(note.pk)
        note.refresh_from_db()
        moment = (note.next_attempt_at or moment) + timedelta(seconds=1)
        assert result == ("failed" if step == 2 else "pending")
    assert len(http_sms.requests) == 3
    assert http_sms.inbox == []
    assert note.status == "failed"
    assert [o for o, _ in attempts(note)] == ["error"] * 3
    assert all(d.startswith("HTTP 500") for _, d in attempts(note))
    assert note.last_error.startswith("HTTP 500")
    assert list(failed_notifications(note.report_id)) == [note]  # type: ignore[arg-type]


def test_sms_gateway_timeout_is_an_attempt_and_the_resend_reaches_the_phone_once(
    world: World, http_sms: FakeSmsGateway
) -> None:
    http_sms.delay = 1.5  # accepts the message, answers after the 0.5 s timeout
    note = one(world, "sms")
    assert deliver(note.pk) == "pending"
    note.refresh_from_db()
    assert attempts(note)[0][0] == "timeout"
    http_sms.delay = 0
    Notification.objects.filter(pk=note.pk).update(next_attempt_at=timezone.now())
    assert deliver(note.pk) == "sent"
    assert len(http_sms.requests) == 2
    assert len(http_sms.inbox) == 1  # the phone got it once: same Idempotency-Key


def test_a_redirect_or_an_unreachable_gateway_is_an_error() -> None:
    closed = FakeSmsGateway()
    url = closed.url
    closed.close()
    result = HttpSmsGateway(url, timeout=1).send(to="0812", text="x", idempotency_key="k")
    assert result.outcome == "error" and "URLError" in result.detail
    redirecting = FakeSmsGateway(status=302)
    try:
        result = HttpSmsGateway(redirecting.url, timeout=1).send(
            to="0812", text="x", idempotency_key="k"
        )
    finally:
        redirecting.close()
    assert result.outcome == "error" and result.detail.startswith("HTTP 302")


def test_http_gateway_refuses_other_schemes() -> None:
    with pytest.raises(ValueError, match="http"):
        HttpSmsGateway("file:///etc/passwd")


def test_console_gateway_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="lapor.notifications.gateways")
    result = ConsoleSmsGateway().send(to="0812", text="Halo", idempotency_key="k1")
    assert result.outcome == "sent"
    assert "Halo" in caplog.text and "k1" in caplog.text


def test_pending_retry_is_left_for_the_requeue_under_the_immediate_backend(
    world: World, settings: Any, http_sms: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    http_sms.status = 500
    note = one(world, "sms")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(note.pk) == "pending"
    # The immediate backend cannot wait: no second attempt was made at once.
    assert len(http_sms.requests) == 1
    assert DeliveryAttempt.objects.filter(notification=note).count() == 1
