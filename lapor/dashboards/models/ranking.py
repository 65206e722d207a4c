"""The ranking policy (one editable row), immutable ranking snapshots, and the decisions
(award, warning, sanction) the national admin takes on them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Institution
from lapor.reports.models import ImmutableQuerySet

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class RankingPolicy(models.Model):
    """The numbers of the ranking method (docs/ranking.md). A single row (pk=1).

    Read it through lapor.dashboards.ranking.current_ranking_policy().
    """

    min_volume = models.PositiveIntegerField(
        _("volume minimum"),
        default=30,
        help_text=_(
            "Instansi dengan laporan terdisposisi kurang dari angka ini dalam periode "
            "dinyatakan 'data belum cukup' dan tidak diperingkat."
        ),
    )
    confidence_z = models.DecimalField(
        _("nilai z selang kepercayaan"),
        max_digits=4,
        decimal_places=2,
        default=1.96,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text=_("1,96 = selang kepercayaan 95 % untuk batas bawah Wilson."),
    )
    weight_follow_up = models.PositiveSmallIntegerField(_("bobot tindak lanjut"), default=20)
    weight_first_response = models.PositiveSmallIntegerField(
        _("bobot respons pertama tepat waktu"), default=15
    )
    weight_on_time = models.PositiveSmallIntegerField(_("bobot selesai tepat waktu"), default=30)
    weight_no_reopen = models.PositiveSmallIntegerField(
        _("bobot jawaban tidak dibuka kembali"), default=10
    )
    weight_satisfaction = models.PositiveSmallIntegerField(_("bobot kepuasan pelapor"), default=15)
    weight_compliance = models.PositiveSmallIntegerField(
        _("bobot kepatuhan (SK Tim dan admin aktif)"), default=10
    )
    satisfied_rating = models.PositiveSmallIntegerField(
        _("nilai puas minimal"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Penilaian pelapor sebesar ini atau lebih dihitung 'puas'."),
    )
    active_admin_days = models.PositiveSmallIntegerField(
        _("admin aktif bila masuk dalam (hari)"), default=30
    )
    grade_good_min = models.DecimalField(
        _("nilai minimal 'Baik'"), max_digits=5, decimal_places=2, default=75, validators=PERCENT
    )
    grade_fair_min = models.DecimalField(
        _("nilai minimal 'Sedang'"), max_digits=5, decimal_places=2, default=50, validators=PERCENT
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kebijakan peringkat")
        verbose_name_plural = _("kebijakan peringkat")

    def __str__(self) -> str:
        return str(_("Kebijakan peringkat"))

    def clean(self) -> None:
        if self.grade_fair_min > self.grade_good_min:
            raise ValidationError(_("Nilai minimal 'Sedang' tidak boleh di atas nilai 'Baik'."))
        if sum(self.weights().values()) == 0:
            raise ValidationError(_("Setidaknya satu bobot harus lebih dari nol."))

    def weights(self) -> dict[str, int]:
        return {
            "follow_up": self.weight_follow_up,
            "first_response": self.weight_first_response,
            "on_time": self.weight_on_time,
            "no_reopen": self.weight_no_reopen,
            "satisfaction": self.weight_satisfaction,
            "compliance": self.weight_compliance,
        }

    def as_dict(self) -> dict[str, Any]:
        """The numbers a snapshot keeps, so it can be explained later whatever the policy."""
        return {
            "min_volume": self.min_volume,
            "confidence_z": float(self.confidence_z),
            "weights": self.weights(),
            "satisfied_rating": self.satisfied_rating,
            "active_admin_days": self.active_admin_days,
            "grade_good_min": float(self.grade_good_min),
            "grade_fair_min": float(self.grade_fair_min),
        }


class RankingSnapshot(models.Model):
    """A ranking as it stood when a decision was taken. Never changed or deleted."""

    group = models.CharField(max_length=16)
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy = models.JSONField()
    rows = models.JSONField()
    # The refresh the figures came from (StatsRefresh.token).
    stats_token = models.CharField(max_length=32, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("cuplikan peringkat")
        verbose_name_plural = _("cuplikan peringkat")

    def __str__(self) -> str:
        return f"{self.group} {self.period_start}..{self.period_end} @ {self.computed_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("A ranking snapshot is immutable once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("A ranking snapshot is immutable; it cannot be deleted.")

    def row_for(self, institution_id: int) -> dict[str, Any] | None:
        return next((r for r in self.rows if r.get("institution_id") == institution_id), None)


class Decision(models.Model):
    """An award, warning or sanction for an institution and period, with its justification."""

    class Kind(models.TextChoices):
        AWARD = "award", _("Penghargaan")
        WARNING = "warning", _("Teguran")
        SANCTION = "sanction", _("Sanksi")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="ranking_decisions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    reason = models.TextField(_("pertimbangan"))
    snapshot = models.ForeignKey(
        RankingSnapshot, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("keputusan penghargaan/sanksi")
        verbose_name_plural = _("keputusan penghargaan/sanksi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.institution}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A decision is a record of what was decided and why: a correction is a new decision.
        if not self._state.adding:
            raise PermissionError("A decision is immutable once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("A decision is immutable; it cannot be deleted.")
