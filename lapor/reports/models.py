"""The domain's data: reports, their immutable event log, routing hops, attachments, the policy.

Only lapor.reports.services changes a report's state, deadlines or assignee.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Category, Institution, Region


class ReportType(models.TextChoices):
    COMPLAINT = "pengaduan", _("Pengaduan")
    ASPIRATION = "aspirasi", _("Aspirasi")
    INFORMATION = "informasi", _("Permintaan informasi")


class State(models.TextChoices):
    AWAITING_VERIFICATION = "awaiting_verification", _("Menunggu verifikasi")
    ON_HOLD = "on_hold", _("Ditunda (menunggu klarifikasi)")
    ARCHIVED = "archived", _("Diarsipkan")
    ROUTED = "routed", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    ANSWERED = "answered", _("Dijawab")
    FINISHED = "finished", _("Selesai")
    ESCALATED = "escalated", _("Dilimpahkan ke Ombudsman")


OPEN_STATES = frozenset(
    {State.AWAITING_VERIFICATION, State.ON_HOLD, State.ROUTED, State.IN_PROGRESS, State.ANSWERED}
)


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    API = "api", _("API instansi")
    OPEN311 = "open311", _("Open311")
    SMS = "sms", _("SMS 1708")
    EMAIL = "email", _("Surel")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    LETTER = "letter", _("Surat")
    WALK_IN = "walk_in", _("Datang langsung")
    PHONE = "phone", _("Telepon")
    SUGGESTION_BOX = "suggestion_box", _("Kotak saran")


OFFLINE_CHANNELS = frozenset(
    {Channel.LETTER, Channel.WALK_IN, Channel.PHONE, Channel.SUGGESTION_BOX}
)


class ResolutionClass(models.TextChoices):
    """The completion class set at verification; the number of days comes from the policy."""

    SHORT = "short", _("5 hari kerja (aspirasi / permintaan informasi)")
    STANDARD = "standard", _("14 hari kerja (pengaduan tanpa pemeriksaan)")
    INVESTIGATION = "investigation", _("60 hari kerja (pengaduan dengan pemeriksaan lapangan)")


class ArchiveReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Duplikat laporan lain")
    UNINTELLIGIBLE = "unintelligible", _("Tidak dapat dipahami")
    TOO_GENERAL = "too_general", _("Terlalu umum")
    OUT_OF_SCOPE = "out_of_scope", _("Di luar lingkup pelayanan publik")
    NO_CLARIFICATION = "no_clarification", _("Tidak ada klarifikasi dari pelapor")


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        from lapor.reports.privacy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]

    def open(self) -> ReportQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def overdue(self) -> ReportQuerySet:
        """Open reports the deadline sweeper flagged red: their current stage's deadline passed.

        The national admin's overdue list; longest overdue first.
        """
        return self.filter(overdue_since__isnull=False, state__in=OPEN_STATES).order_by(
            "overdue_since", "pk"
        )


class Report(models.Model):
    tracking_number = models.CharField(max_length=16, unique=True)
    # sha256 of the guest secret; the secret itself is shown once and never stored.
    guest_secret_hash = models.CharField(max_length=64, blank=True)
    # Set by the client (a form token, an Idempotency-Key) so a resent submission is not a
    # second report.
    submission_key = models.CharField(max_length=100, null=True, blank=True, unique=True)

    report_type = models.CharField(max_length=12, choices=ReportType.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    incident_date = models.DateField(null=True, blank=True)
    province = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    regency = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=255, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT)
    suggested_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    is_anonymous = models.BooleanField(default=False)
    is_confidential = models.BooleanField(default=False)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)
    intake_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    original_document = models.CharField(
        _("dokumen asli"), max_length=255, blank=True, help_text=_("Nomor surat, buku tamu, ...")
    )

    state = models.CharField(max_length=24, choices=State.choices, db_index=True)
    # Whose queue the report sits in now: the verifying admin's institution while it awaits
    # verification (None = the national queue); the unit handling it once routed.
    queue_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The K/L/D that owns the completion clock; forwarding inside it does not change it.
    responsible_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_class = models.CharField(max_length=16, choices=ResolutionClass.choices, blank=True)
    bounce_count = models.PositiveSmallIntegerField(default=0)
    needs_national_decision = models.BooleanField(default=False)

    submitted_at = models.DateTimeField(default=timezone.now)
    verification_started_at = models.DateTimeField(null=True, blank=True)
    verification_due_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    clarification_due_at = models.DateTimeField(null=True, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    completion_due_at = models.DateTimeField(null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    reporter_window_due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    ombudsman_consent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    archive_reason = models.CharField(max_length=20, choices=ArchiveReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    satisfaction_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    satisfaction_comment = models.TextField(blank=True)
    # Sequence number of the last ReportEvent; bumped under the row lock by the services.
    last_event_sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    # Deadline sweeper bookkeeping (lapor.reports.sweeps), kept in step by the services:
    # when the current stage passes the policy's warning share (yellow; verification and
    # completion only), when the sweeper next has something to do (null: nothing pending), and
    # the red flag: which stage's deadline passed, and that deadline (cleared when the stage or
    # its deadline changes).
    deadline_warn_at = models.DateTimeField(null=True, blank=True)
    next_sweep_at = models.DateTimeField(null=True, blank=True)
    overdue_stage = models.CharField(max_length=20, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["state", "verification_due_at"]),
            models.Index(fields=["state", "completion_due_at"]),
            models.Index(fields=["queue_institution", "state"]),
            models.Index(fields=["responsible_institution", "state"]),
            # The sweeper's queue and the overdue list: only rows with something pending.
            models.Index(
                fields=["next_sweep_at", "id"],
                name="report_sweep_queue",
                condition=models.Q(next_sweep_at__isnull=False),
            ),
            models.Index(
                fields=["overdue_since"],
                name="report_overdue",
                condition=models.Q(overdue_since__isnull=False),
            ),
            # The API's sync list (updated_since, cursor on (updated_at, id)).
            models.Index(fields=["updated_at", "id"], name="report_sync_cursor"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ImmutableQuerySet(models.QuerySet[Any]):
    """Bulk update and delete are refused: the record is append-only."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("This record is append-only; it cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("This record is append-only; it cannot be deleted.")


class ReportEvent(models.Model):
    """One recorded step of a report: who, when, from, to, why. Never changed or deleted."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "system", "reporter" (a guest), or the Role the actor acted in.
    actor_role = models.CharField(max_length=24)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    reason = models.TextField(blank=True)
    # Text addressed to the reporter (a question, a follow-up, the answer, a reply).
    message = models.TextField(blank=True)
    # Whether the reporter (and, for a public report, the public) may see this event.
    is_public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["report_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["report", "sequence"], name="unique_event_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("A report event is immutable once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("A report event is immutable; it cannot be deleted.")


class Assignment(models.Model):
    """One hop of a report: which institution held it and from when to when (delay attribution)."""

    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("Verifikasi")
        ROUTE = "route", _("Disposisi")
        FORWARD = "forward", _("Diteruskan ke unit")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="assignments")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report_id", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.institution_id or 'nasional'} ({self.kind})"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random directory names: nothing about the reporter or report leaks through the path.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        ReportEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=255)
    name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=16)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class IdentityAccess(models.Model):
    """A national admin looked at an anonymous reporter's identity. Every access is kept."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="identity_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField()
    accessed_at = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.report_id} @ {self.accessed_at:%Y-%m-%d %H:%M}"


class DeadlinePolicy(models.Model):
    """The one policy of stage limits (working days) and thresholds; the national admin edits it.

    A single row (pk=1). Read it through lapor.reports.policy.current_policy().
    """

    verification_days = models.PositiveSmallIntegerField(default=3)
    first_response_days = models.PositiveSmallIntegerField(default=5)
    completion_short_days = models.PositiveSmallIntegerField(
        default=5, help_text=_("Aspirasi dan permintaan informasi")
    )
    completion_standard_days = models.PositiveSmallIntegerField(default=14)
    completion_investigation_days = models.PositiveSmallIntegerField(default=60)
    reporter_window_days = models.PositiveSmallIntegerField(default=10)
    clarification_days = models.PositiveSmallIntegerField(default=10)
    warning_percent = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    max_bounces = models.PositiveSmallIntegerField(
        default=2, help_text=_("Setelah sekian kali 'bukan wewenang', admin nasional memutuskan.")
    )
    max_extension_days = models.PositiveSmallIntegerField(
        default=14, help_text=_("Jumlah total hari kerja perpanjangan yang boleh diberikan.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kebijakan tenggat")
        verbose_name_plural = _("kebijakan tenggat")

    def __str__(self) -> str:
        return str(_("Kebijakan tenggat"))

    def completion_days(self, resolution_class: str) -> int:
        return {
            ResolutionClass.SHORT: self.completion_short_days,
            ResolutionClass.STANDARD: self.completion_standard_days,
            ResolutionClass.INVESTIGATION: self.completion_investigation_days,
        }[ResolutionClass(resolution_class)]


class DeadlineMark(models.Model):
    """The deadline sweeper took one action on one stage of a report: the durable proof that it
    happened, written in the same transaction as the action's event.

    A stage instance is the stage and the moment its clock started; the unique constraint makes
    a second warning, overdue flag, Ombudsman offer or closing for the same instance impossible,
    whoever (several sweepers, a retry after a crash) attempts it. Never changed or deleted.
    """

    class Kind(models.TextChoices):
        DEADLINE_WARNING = "deadline_warning", _("Peringatan tenggat")
        OVERDUE = "overdue", _("Melewati tenggat")
        OMBUDSMAN_OFFERED = "ombudsman_offered", _("Tawaran pelimpahan ke Ombudsman")
        EXPIRE_HOLD = "expire_hold", _("Diarsipkan: tidak ada klarifikasi")
        CLOSE_AFTER_WINDOW = "close_after_window", _("Selesai: masa tanggapan berakhir")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="deadline_marks")
    # verification, clarification, completion or reporter_window (policy.open_stage).
    stage = models.CharField(max_length=20)
    stage_started_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The instant that was crossed: the warning point or the deadline.
    threshold_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["report_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "stage", "stage_started_at", "kind"],
                name="unique_deadline_mark",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.stage}@{self.stage_started_at:%Y-%m-%d} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("A deadline mark is immutable once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("A deadline mark is immutable; it cannot be deleted.")
