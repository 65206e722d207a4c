"""What the system told whom: one row per message, every delivery attempt, and preferences.

A Notification is rendered when it is created (subject and body are kept as sent), so staff can
read exactly what a reporter was told. Its `idempotency_key` is unique: processing an event a
second time creates nothing new, and the key travels with the message (e-mail Message-ID, the
SMS gateway's Idempotency-Key) so a resend after a crash is recognisable as the same message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.reports.models import Report, ReportEvent


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class Audience(models.TextChoices):
    REPORTER = "reporter", _("Pelapor")
    STAFF = "staff", _("Petugas")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def failed(self) -> NotificationQuerySet:
        return self.filter(status=Status.FAILED)

    def for_report(self, report: Report | int) -> NotificationQuerySet:
        return self.filter(report=report)

    def to_reporter(self) -> NotificationQuerySet:
        return self.filter(audience=Audience.REPORTER)


class Notification(models.Model):
    # Null for a digest, which covers many reports.
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    event = models.ForeignKey(
        ReportEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    # Null for a reporter without an account (a guest, an offline complaint): only an address.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    audience = models.CharField(max_length=10, choices=Audience.choices)
    kind = models.CharField(max_length=32)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=254)
    language = models.CharField(max_length=5, default="id")
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set when a worker claims the message; a `sending` row whose claim is old belongs to a
    # worker that died (see requeue_stale_notifications).
    claimed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} ({self.get_status_display()})"


class DeliveryAttempt(models.Model):
    """One try to hand a message to the e-mail server or SMS gateway, recorded before it starts."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Terkirim")
        ERROR = "error", _("Galat")
        TIMEOUT = "timeout", _("Waktu habis")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Empty while the attempt runs (or if the worker died during it).
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.notification_id} @ {self.started_at:%Y-%m-%d %H:%M:%S} {self.outcome}"


class NotificationPreference(models.Model):
    """How a person wants to be told. Without a row the defaults apply (see `preference_for`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("surel"), default=True)
    # SMS needs a phone number on the account; with one, it is on unless switched off.
    sms = models.BooleanField(_("SMS"), default=True)
    daily_digest = models.BooleanField(
        _("ringkasan harian"),
        default=False,
        help_text=_("Petugas: tugas baru dan pengingat dikirim sekali sehari, bukan satu-satu."),
    )

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email} sms={self.sms} digest={self.daily_digest}"


class DigestItem(models.Model):
    """An event a digest reader was not told about one by one; the next digest lists it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_items"
    )
    event = models.ForeignKey(ReportEvent, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    digest = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="unique_digest_item")]

    def __str__(self) -> str:
        return f"{self.user_id} <- {self.event_id} ({self.kind})"
