"""What the channels app keeps: every inbound message (stored before it is processed), the
Message-IDs that thread e-mail, Open311 client keys, and webhook subscriptions with their
deliveries and attempts."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Institution
from lapor.reports.models import Report, ReportEvent


class InboundChannel(models.TextChoices):
    SMS = "sms", _("SMS 1708")
    EMAIL = "email", _("Surel")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL_MEDIA = "social_media", _("Media sosial")


class InboundMessage(models.Model):
    """One message as a gateway delivered it. Written in its own transaction before any
    processing, so nothing a gateway handed over is ever lost, whatever happens next."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima (belum diproses)")
        THREADED = "threaded", _("Masuk ke laporan yang ada")
        CREATED = "created", _("Menjadi laporan baru")
        IGNORED = "ignored", _("Diabaikan (balasan otomatis / pantulan)")
        UNPARSEABLE = "unparseable", _("Tidak dapat dibaca")
        FAILED = "failed", _("Gagal diproses")

    channel = models.CharField(max_length=16, choices=InboundChannel.choices)
    # The gateway's own id of the message (or the e-mail's Message-ID): a resend is recognised.
    external_id = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    sender = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    # The payload as received (JSON), or {"raw": ...} when it was not JSON.
    payload = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_messages"
    )
    # The service that handled it: submit, add_information, clarify, reopen.
    action = models.CharField(max_length=24, blank=True)
    error = models.TextField(blank=True)
    # What the sender is told (returned to the gateway to send back).
    reply = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=Q(external_id__isnull=False),
                name="unique_inbound_external_id",
            )
        ]
        indexes = [models.Index(fields=["channel", "sender"])]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")

    def __str__(self) -> str:
        # No sender here: this string appears wherever the row is named (admin, logs).
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"


class KnownMessageId(models.Model):
    """An e-mail Message-ID tied to a report: replies that point at it (In-Reply-To,
    References) thread into that report."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("Masuk")
        OUTBOUND = "out", _("Keluar")

    message_id = models.CharField(max_length=255, unique=True)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.message_id} -> {self.report_id}"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Client(models.Model):
    """An application allowed to POST service requests through Open311 (its api_key)."""

    name = models.CharField(max_length=200)
    key_prefix = models.CharField(max_length=12, editable=False)
    # sha256 of the key; the key itself is shown once, when it is issued.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Reports from an institution's own client go to that institution's verification queue.
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, name: str, institution: Institution | None = None) -> tuple[Open311Client, str]:
        """Create a client and return it with its key (the only time the key is visible)."""
        key = "o311_" + secrets.token_urlsafe(30)
        client = cls.objects.create(
            name=name, key_prefix=key[:12], key_hash=hash_key(key), institution=institution
        )
        return client, key


class Open311Request(models.Model):
    """What an Open311 POST carried beyond the report itself (who sent it, its media URL)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="open311_request")
    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="requests")
    media_url = models.URLField(max_length=1000, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.client_id}: {self.report_id}"


class WebhookSubscription(models.Model):
    """An institution's system that wants to hear about events on the reports it holds."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500)
    # Kept in clear: it signs every delivery. Shown to the institution once, like a password.
    secret = models.CharField(max_length=128)
    # Event names (lapor.channels.webhooks.events.EVENT_ACTIONS), or ["*"] for all.
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    owner_email = models.EmailField()
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return f"{self.institution} → {self.url}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from lapor.channels.webhooks.events import EVENT_ACTIONS

        events = self.events
        if (
            not isinstance(events, list)
            or not events
            or not all(isinstance(e, str) for e in events)
        ):
            raise ValidationError({"events": _('Daftar nama peristiwa, mis. ["routed"].')})
        unknown = sorted(set(events) - set(EVENT_ACTIONS) - {"*"})
        if unknown:
            raise ValidationError({"events": _("Peristiwa tidak dikenal: %s") % ", ".join(unknown)})

    @staticmethod
    def new_secret() -> str:
        return "whsec_" + secrets.token_urlsafe(32)


class WebhookDelivery(models.Model):
    """One event for one subscription. Unique per (subscription, event): at most one delivery
    record, sent at least once; receivers de-duplicate by its event id."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        DELIVERED = "delivered", _("Terkirim")
        FAILED = "failed", _("Gagal (batas percobaan habis)")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(ReportEvent, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="unique_webhook_delivery_event"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")

    def __str__(self) -> str:
        return f"{self.subscription_id} event {self.event_id} ({self.get_status_display()})"


class WebhookAttempt(models.Model):
    """One POST of a delivery and what came back."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.started_at:%Y-%m-%d %H:%M:%S} {self.status_code}"
