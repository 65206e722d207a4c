"""Sending: one task per message. Loads by id, is safe to run twice, records every attempt.

The steps, each its own transaction so that a crash between them leaves a truthful record:
1. claim: `pending` and due -> `sending`, attempts + 1, and a DeliveryAttempt row, committed
   BEFORE the e-mail server or SMS gateway is called;
2. call the gateway (outside any transaction);
3. record the outcome: `sent`, or back to `pending` with an exponential back-off and a delayed
   task, or `failed` after NOTIFY_MAX_ATTEMPTS.
A worker killed during step 2 leaves the message `sending`; `requeue_stale_notifications`
sends it again with the same idempotency key.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from lapor.notifications.gateways import SmsResult, get_sms_gateway
from lapor.notifications.models import Channel, DeliveryAttempt, Notification, Status

logger = logging.getLogger(__name__)

DETAIL_CHARS = 2000
MAX_BACKOFF = timedelta(hours=6)


@task()
def send_notification(notification_id: int) -> str:
    """Deliver one message (see the module docstring). Returns what happened, for the queue."""
    return deliver(notification_id)


@dataclass(frozen=True)
class Claim:
    notification: Notification
    attempt: DeliveryAttempt


def deliver(notification_id: int) -> str:
    claim = _claim(notification_id)
    if isinstance(claim, str):
        return claim
    result = _send(claim.notification)
    return _record(claim, result)


def _claim(notification_id: int) -> Claim | str:
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return "missing"
        if notification.status != Status.PENDING:
            # Sent, failed, or being sent by another worker: a duplicate task does nothing.
            return f"skipped: {notification.status}"
        if notification.next_attempt_at is not None and notification.next_attempt_at > now:
            return "skipped: not due"
        if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            # Only after crashes during sends (each one counted): stop trying.
            notification.status = Status.FAILED
            notification.save(update_fields=["status"])
            return "failed"
        notification.status = Status.SENDING
        notification.attempts += 1
        notification.claimed_at = now
        notification.save(update_fields=["status", "attempts", "claimed_at"])
        attempt = DeliveryAttempt.objects.create(notification=notification, started_at=now)
    return Claim(notification, attempt)


def _send(notification: Notification) -> SmsResult:
    if not notification.address:
        return SmsResult("error", "Tidak ada alamat tujuan (dihapus atau tidak pernah ada).")
    try:
        if notification.channel == Channel.EMAIL:
            return _send_email(notification)
        return get_sms_gateway().send(
            to=notification.address,
            text=notification.body,
            idempotency_key=notification.idempotency_key,
        )
    except Exception as error:  # anything the gateway raises is one failed attempt
        logger.exception("Notification %s: sending failed", notification.pk)
        return SmsResult("error", f"{type(error).__name__}: {error}")


def message_id(idempotency_key: str) -> str:
    """The same Message-ID for every resend of one message, so mail clients see one message."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    domain = urlsplit(settings.SITE_URL).hostname or "lapor.localhost"
    return f"<{digest}@{domain}>"


def _send_email(notification: Notification) -> SmsResult:
    email = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={
            "Message-ID": message_id(notification.idempotency_key),
            "X-Lapor-Idempotency-Key": notification.idempotency_key,
        },
    )
    try:
        sent = email.send(fail_silently=False)
    except TimeoutError as error:
        return SmsResult("timeout", f"Waktu habis: {error}")
    except (smtplib.SMTPException, OSError) as error:
        return SmsResult("error", f"{type(error).__name__}: {error}")
    if sent != 1:
        return SmsResult("error", "Server surel tidak menerima pesan.")
    return SmsResult("sent", "Diterima server surel.")


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: base, 5x base, 25x base, ... capped."""
    base = timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS)
    return min(base * 5 ** max(attempts - 1, 0), MAX_BACKOFF)


def _record(claim: Claim, result: SmsResult) -> str:
    now = timezone.now()
    notification, attempt = claim.notification, claim.attempt
    retry_at: datetime | None = None
    with transaction.atomic():
        attempt.finished_at = now
        attempt.outcome = result.outcome
        attempt.detail = result.detail[:DETAIL_CHARS]
        attempt.save(update_fields=["finished_at", "outcome", "detail"])
        if result.outcome == DeliveryAttempt.Outcome.SENT:
            notification.status = Status.SENT
            notification.sent_at = now
            notification.last_error = ""
            notification.next_attempt_at = None
        else:
            notification.last_error = result.detail[:DETAIL_CHARS]
            if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                notification.status = Status.FAILED
                notification.next_attempt_at = None
            else:
                retry_at = now + backoff(notification.attempts)
                notification.status = Status.PENDING
                notification.next_attempt_at = retry_at
        notification.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])
        if retry_at is not None:
            pk = notification.pk
            transaction.on_commit(lambda: _retry_later(pk, retry_at), robust=True)
    if notification.status == Status.FAILED:
        logger.warning(
            "Notification %s failed after %s attempts: %s",
            notification.pk,
            notification.attempts,
            notification.last_error,
        )
    return str(notification.status)


def _retry_later(pk: int, when: datetime) -> None:
    from lapor.notifications.services import enqueue

    if send_notification.get_backend().supports_defer:
        enqueue([pk], run_after=when)
    # A backend that cannot wait (the in-process "immediate" one) would retry at once and
    # exhaust every attempt in a second: the message stays pending, and the periodic
    # `requeue_stale_notifications` enqueues it once it is due.
