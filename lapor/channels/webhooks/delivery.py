"""Sending one webhook delivery: claim it, POST it signed, record the answer, and either
finish, retry later (exponential back-off) or give up; pause a subscription that keeps failing
and tell its owner.

At-least-once: a delivery may reach the receiver more than once (a lost 2xx, a worker that
died after sending), always with the same X-Lapor-Event-Id, so receivers de-duplicate on it.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lapor.channels.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from lapor.channels.signing import SIGNATURE_HEADER, sign_delivery
from lapor.channels.webhooks.safety import UnsafeUrl, check_url

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
USER_AGENT = "Lapor-Webhooks/1"
Status = WebhookDelivery.Status


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: base, 2x, 4x, ... capped at six hours."""
    base = timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    """Queue the sending task after the current transaction commits.

    A later attempt is deferred with the backend's run_after; a backend that cannot defer
    leaves it to `manage.py send_webhooks`, which queues every delivery that is due.
    """
    from lapor.channels.tasks import deliver_webhook_task

    task = deliver_webhook_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(delivery_id))


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer, not a delivery: following it would re-send the body elsewhere.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(subscription: WebhookSubscription, delivery: WebhookDelivery) -> Answer:
    started = time.monotonic()
    try:
        check_url(subscription.url)
    except UnsafeUrl as refusal:
        # Never connected: recorded as a failed attempt, so it retries, pauses and is told.
        return Answer(None, "", f"Ditolak sebelum dikirim: {refusal}"[:1000], _ms(started))
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (check_url above: http(s), public host)
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Lapor-Event-Id": str(delivery.payload.get("event_id", delivery.event_id)),
            "X-Lapor-Event": str(delivery.payload.get("event", "")),
            "X-Lapor-Timestamp": timestamp,
            SIGNATURE_HEADER: sign_delivery(subscription.secret, timestamp, body),
        },
    )
    limit = settings.WEBHOOK_RESPONSE_MAX_CHARS
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            text = response.read(limit).decode("utf-8", "replace")
            return Answer(response.status, text, "", _ms(started))
    except urllib.error.HTTPError as error:
        text = error.read(limit).decode("utf-8", "replace") if error.fp else ""
        return Answer(error.code, text, "", _ms(started))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Answer(None, "", f"{type(error).__name__}: {reason}"[:1000], _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due and its subscription is live. Safe to run twice."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Status.PENDING:
            return "skipped"
        subscription = delivery.subscription
        if not subscription.is_active or subscription.paused_at is not None:
            return "paused"
        if delivery.next_attempt_at > now + timedelta(seconds=1):
            return "not_due"
        delivery.status, delivery.claimed_at = Status.SENDING, now
        delivery.save(update_fields=["status", "claimed_at"])
    answer = post(subscription, delivery)
    return _record(delivery.pk, answer, now)


def _record(delivery_id: int, answer: Answer, started_at: datetime) -> str:
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        subscription = WebhookSubscription.objects.select_for_update().get(
            pk=delivery.subscription_id
        )
        WebhookAttempt.objects.create(
            delivery=delivery,
            started_at=started_at,
            duration_ms=answer.duration_ms,
            status_code=answer.status_code,
            response=answer.body,
            error=answer.error,
        )
        delivery.attempts += 1
        delivery.last_status_code = answer.status_code
        delivery.last_response = answer.body
        delivery.last_error = answer.error
        delivery.claimed_at = None
        if answer.ok:
            delivery.status, delivery.delivered_at = Status.DELIVERED, now
            subscription.consecutive_failures = 0
        else:
            _failed(delivery, subscription, now)
        delivery.save()
        subscription.save(update_fields=["consecutive_failures", "paused_at"])
    return delivery.status


def _failed(delivery: WebhookDelivery, subscription: WebhookSubscription, now: datetime) -> None:
    subscription.consecutive_failures += 1
    if (
        subscription.paused_at is None
        and subscription.consecutive_failures >= settings.WEBHOOK_PAUSE_AFTER_FAILURES
    ):
        subscription.paused_at = now
        pk = subscription.pk
        transaction.on_commit(lambda: tell_owner_paused(pk))
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = Status.FAILED
        return
    delivery.status = Status.PENDING
    delivery.next_attempt_at = now + backoff(delivery.attempts)
    if subscription.paused_at is None:
        enqueue(delivery.pk, run_after=delivery.next_attempt_at)


def tell_owner_paused(subscription_id: int) -> None:
    subscription = WebhookSubscription.objects.select_related("institution").get(pk=subscription_id)
    last = (
        WebhookDelivery.objects.filter(subscription=subscription)
        .exclude(attempts=0)
        .order_by("-id")
        .first()
    )
    detail = ""
    if last is not None:
        detail = f"Jawaban terakhir: {last.last_status_code or '-'} {last.last_error}".strip()
    try:
        send_mail(
            subject="LAPOR! Webhook dihentikan sementara",
            message=(
                f"Langganan webhook instansi {subscription.institution} ke {subscription.url} "
                f"dihentikan sementara setelah {subscription.consecutive_failures} kali gagal "
                f"berturut-turut.\n{detail}\n\nPerbaiki penerima Anda, lalu minta admin "
                "mengaktifkannya kembali; kiriman yang tertunda akan dikirim ulang."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[subscription.owner_email],
        )
    except Exception:
        logger.exception("Could not tell the owner of webhook subscription %s", subscription_id)


def resume(subscription: WebhookSubscription) -> int:
    """Un-pause a subscription and queue its waiting deliveries again. Returns how many."""
    with transaction.atomic():
        WebhookSubscription.objects.filter(pk=subscription.pk).update(
            paused_at=None, consecutive_failures=0, is_active=True
        )
        waiting = list(
            WebhookDelivery.objects.filter(
                subscription=subscription, status=Status.PENDING
            ).values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=waiting).update(next_attempt_at=timezone.now())
        for pk in waiting:
            enqueue(pk)
    return len(waiting)


def queue_due(now: datetime | None = None) -> int:
    """The sweep: queue every pending delivery that is due, and release claims of workers
    that died mid-send. Idempotent; `manage.py send_webhooks` runs it."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)
    WebhookDelivery.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING, claimed_at=None
    )
    due = list(
        WebhookDelivery.objects.filter(
            status=Status.PENDING,
            next_attempt_at__lte=now,
            subscription__is_active=True,
            subscription__paused_at__isnull=True,
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in due:
        enqueue(pk)
    return len(due)
