"""The editable holiday table behind every working-day deadline.

Rows are seeded from the `holidays` package and corrected by the national admin when a decree
(SKB 3 Menteri) differs. Rows are never deleted: "removing" one sets `is_removed`, so that
re-seeding cannot bring it back and the history of corrections stays visible.
Only `lapor.workdays.services` writes here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class HolidayQuerySet(QuerySet["Holiday"]):
    def active(self) -> HolidayQuerySet:
        return self.filter(is_removed=False)

    def for_province(self, province_code: str | None) -> HolidayQuerySet:
        """National holidays and cuti bersama, plus that province's regional holidays."""
        applies = Q(kind__in=[Holiday.Kind.NATIONAL, Holiday.Kind.CUTI_BERSAMA])
        if province_code:
            applies |= Q(kind=Holiday.Kind.REGIONAL, province__code=province_code)
        return self.filter(applies)

    def in_year(self, year: int) -> HolidayQuerySet:
        return self.filter(date__year=year)


class Holiday(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", _("Libur nasional")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        REGIONAL = "regional", _("Libur daerah")

    class Source(models.TextChoices):
        SEED = "seed", _("Paket holidays")
        MANUAL = "manual", _("Diisi admin")

    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    province = models.ForeignKey(
        "institutions.Region",
        verbose_name=_("provinsi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holidays",
        limit_choices_to={"level": "province"},
        help_text=_("Hanya untuk libur daerah."),
    )
    source = models.CharField(
        _("sumber"), max_length=8, choices=Source.choices, default=Source.MANUAL
    )
    is_removed = models.BooleanField(
        _("dihapus"),
        default=False,
        help_text=_(
            "Tidak berlaku lagi. Baris tetap disimpan agar pengisian ulang tidak "
            "memunculkannya kembali."
        ),
    )
    note = models.CharField(
        _("catatan"), max_length=255, blank=True, help_text=_("Mis. nomor SKB atau keputusan.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        ordering = ["date", "kind"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["national", "cuti_bersama", "regional"]),
                name="holiday_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="regional", province__isnull=False)
                | (~Q(kind="regional") & Q(province__isnull=True)),
                name="holiday_regional_has_province",
                violation_error_message=_(
                    "Libur daerah wajib memiliki provinsi; libur lain tidak boleh."
                ),
            ),
            # Two constraints because NULLs are distinct in a plain UNIQUE: (date, kind, NULL)
            # could otherwise be inserted twice.
            models.UniqueConstraint(
                fields=["date", "kind"],
                condition=Q(province__isnull=True),
                name="holiday_unique_national",
                violation_error_message=_("Hari libur jenis ini pada tanggal ini sudah ada."),
            ),
            models.UniqueConstraint(
                fields=["date", "kind", "province"],
                condition=Q(province__isnull=False),
                name="holiday_unique_regional",
                violation_error_message=_("Libur daerah provinsi ini pada tanggal ini sudah ada."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} ({self.get_kind_display()})"


class CalendarRevision(models.Model):
    """A single row whose `value` goes up on every holiday change.

    Each process caches its calendars keyed by this value, so one cheap query tells it whether
    another process (web node, worker) changed the holidays since.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    value = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("revisi kalender")
        verbose_name_plural = _("revisi kalender")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="calendar_revision_single_row"),
        ]

    def __str__(self) -> str:
        return f"revisi {self.value}"
