"""Action plans (rencana aksi): an institution's targets for a period, the activities that
should reach them, and progress notes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Institution
from lapor.reports.models import ImmutableQuerySet


class ActionPlan(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("judul"), max_length=200)
    period_start = models.DateField(_("mulai"))
    period_end = models.DateField(_("selesai"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")

    def __str__(self) -> str:
        return f"{self.title} ({self.institution})"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))


class Indicator(models.TextChoices):
    """Indicators a target can be set on. `LOWER_IS_BETTER` says which way is progress."""

    FOLLOW_UP_RATE = "follow_up_rate", _("Persentase ditindaklanjuti")
    FIRST_RESPONSE_RATE = "first_response_rate", _("Persentase respons pertama tepat waktu")
    FINISH_RATE = "finish_rate", _("Persentase selesai")
    ON_TIME_RATE = "on_time_rate", _("Persentase selesai tepat waktu")
    REOPEN_RATE = "reopen_rate", _("Persentase dibuka kembali")
    SATISFACTION = "satisfaction", _("Rata-rata kepuasan (1–5)")
    MEDIAN_FIRST_RESPONSE = "median_first_response", _("Median hari kerja ke respons pertama")
    MEDIAN_COMPLETION = "median_completion", _("Median hari kerja ke penyelesaian")


LOWER_IS_BETTER = frozenset(
    {Indicator.REOPEN_RATE, Indicator.MEDIAN_FIRST_RESPONSE, Indicator.MEDIAN_COMPLETION}
)
PERCENT_INDICATORS = frozenset(
    {
        Indicator.FOLLOW_UP_RATE,
        Indicator.FIRST_RESPONSE_RATE,
        Indicator.FINISH_RATE,
        Indicator.ON_TIME_RATE,
        Indicator.REOPEN_RATE,
    }
)


class ActionPlanTarget(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indikator"), max_length=24, choices=Indicator.choices)
    # Percent for rates (0-100), a rating for satisfaction, working days for the medians.
    target = models.DecimalField(_("target"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="dash_plan_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} → {self.target}"


class ActionPlanActivity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Berjalan")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    description = models.CharField(_("kegiatan"), max_length=300)
    owner = models.CharField(_("penanggung jawab"), max_length=200)
    due_on = models.DateField(_("tenggat"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("tanggal selesai"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description

    def is_late(self, today: object) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and bool(
            self.due_on < today  # type: ignore[operator]
        )


class ActionPlanNote(models.Model):
    """A progress note. Notes are a log: never changed or deleted."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("catatan"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("A progress note is immutable once written.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
