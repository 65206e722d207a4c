"""Holiday services and the cached calendars every deadline is computed with.

Guarantees:
- Only these functions write `Holiday` rows. Each write runs in one transaction, serialised on the
  `CalendarRevision` row, bumps the revision, and after commit sends `calendar_changed` once.
- Nothing is deleted: removing a holiday sets `is_removed`, so re-seeding never brings it back.
- `get_calendar` never serves a calendar older than the committed holiday table: its cache is the
  reference cache, keyed by the reference stamp that a trigger on the holiday table changes
  (lapor/institutions/refcache.py); one query per request (outside a request, per call).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_package
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.institutions import refcache
from lapor.institutions.models import Region
from lapor.lib import memo
from lapor.workdays.calendar import WorkCalendar
from lapor.workdays.models import CalendarRevision, Holiday
from lapor.workdays.signals import calendar_changed

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    Actor = AbstractBaseUser | AnonymousUser | None

logger = logging.getLogger(__name__)

SEED_YEARS_MIN, SEED_YEARS_MAX = 1990, 2100
_EDITABLE_FIELDS = frozenset({"date", "name", "kind", "province", "note", "is_removed"})
_IDENTITY_FIELDS = ("date", "kind", "province")

# --- calendars and their cache ------------------------------------------------------------


def clear_calendar_cache() -> None:
    """Forget every cached calendar (and every other cached reference row)."""
    refcache.clear()


def current_revision() -> int:
    row = CalendarRevision.objects.filter(pk=CalendarRevision.SINGLETON_ID).first()
    return row.value if row is not None else 0


def get_calendar(province_code: str | None = None) -> WorkCalendar:
    """The calendar for one province (or nationally): national holidays and cuti bersama, plus
    the province's regional holidays; removed rows excluded. Built once per process and kept
    until a holiday (or any reference row) changes (lapor/institutions/refcache.py)."""
    if province_code is not None and "." in province_code:
        raise ValueError(f"expected a province code like '64', got regency code {province_code!r}")
    province_code = province_code or None

    def build() -> WorkCalendar:
        days = Holiday.objects.active().for_province(province_code).values_list("date", flat=True)
        return WorkCalendar(days)

    # A WorkCalendar is immutable: every caller may share the one kept.
    return refcache.remember(("calendar", province_code), build, share=True)


def due_date(start: date, days: int, province_code: str | None = None) -> date:
    """The `days`-th working day after `start` (see WorkCalendar.add_working_days)."""
    return get_calendar(province_code).add_working_days(start, days)


def deadline_at(event_at: datetime, days: int, *, tz: str, province_code: str | None) -> datetime:
    """End (last microsecond) of the `days`-th working day after the event's local date, in UTC.

    The local date is taken in the institution's zone `tz` (WIB/WITA/WIT), because an event at
    23:30 WIB is already the next day in WITA.
    """
    if timezone.is_naive(event_at):
        raise ValueError("event_at must be an aware datetime")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r}") from exc
    local_day = event_at.astimezone(zone).date()
    due = due_date(local_day, days, province_code)
    # Convert midnight to UTC before subtracting, so the result is right even across a DST
    # change (Indonesia has none, but the function should not depend on that).
    next_midnight = datetime.combine(due + timedelta(days=1), time.min, tzinfo=zone)
    return next_midnight.astimezone(UTC) - timedelta(microseconds=1)


# --- writes -------------------------------------------------------------------------------


def _lock_revision() -> None:
    """Serialise calendar writes on the revision row (created on first use)."""
    row = CalendarRevision.objects.select_for_update().filter(pk=CalendarRevision.SINGLETON_ID)
    if row.first() is None:
        CalendarRevision.objects.get_or_create(pk=CalendarRevision.SINGLETON_ID)


def _announce(revision: int) -> None:
    # send_robust: the holidays are committed whatever a receiver does; a failing receiver is
    # logged (and reported by the logging setup) instead of turning the admin's save into a 500.
    for receiver, result in calendar_changed.send_robust(sender=Holiday, revision=revision):
        if isinstance(result, Exception):
            logger.error("calendar_changed receiver %r failed", receiver, exc_info=result)


def _record_change() -> int:
    """Bump the revision inside the current transaction and announce it after commit."""
    CalendarRevision.objects.filter(pk=CalendarRevision.SINGLETON_ID).update(
        value=F("value") + 1, updated_at=timezone.now()
    )
    memo.forget()  # .update() sends no signal
    revision = current_revision()
    transaction.on_commit(functools.partial(_announce, revision))
    return revision


def _check_province(kind: str, province: Region | None) -> None:
    if province is not None and province.level != Region.Level.PROVINCE:
        raise ValidationError({"province": _("%(code)s bukan provinsi.") % {"code": province.code}})
    if kind not in Holiday.Kind.values:
        raise ValidationError({"kind": _("Jenis hari libur tidak dikenal.")})


def _same_key(day: date, kind: str, province: Region | None) -> Holiday | None:
    return (
        Holiday.objects.select_for_update().filter(date=day, kind=kind, province=province).first()
    )


def add_holiday(
    *,
    actor: Actor,
    date: date,
    name: str,
    kind: str,
    province: Region | None = None,
    note: str = "",
) -> Holiday:
    """Add a holiday (source `manual`). Re-adding a removed one restores that row.

    Raises django ValidationError if it already exists or breaks a rule (regional <=> province).
    """
    day = date
    with transaction.atomic():
        _lock_revision()
        _check_province(kind, province)
        existing = _same_key(day, kind, province)
        if existing is not None and not existing.is_removed:
            raise ValidationError(_("Hari libur jenis ini pada tanggal ini sudah ada."))
        holiday = existing or Holiday(date=day, kind=kind, province=province)
        holiday.name = name
        holiday.note = note
        holiday.is_removed = False
        holiday.source = Holiday.Source.MANUAL
        holiday.full_clean()
        holiday.save()
        _record_change()
    logger.info("holiday %s added by %s", holiday.pk, actor)
    return holiday


def update_holiday(*, actor: Actor, holiday: Holiday, **changes: Any) -> Holiday:
    """Change a holiday's fields; returns the row that now holds the values.

    Moving a seeded holiday (new date, kind or province) removes the seeded row and adds a manual
    one, so that re-seeding finds the removed row and does not bring the old date back.
    """
    unknown = set(changes) - _EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_holiday got unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        _lock_revision()
        current = Holiday.objects.select_for_update().get(pk=holiday.pk)
        changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changed:
            return current
        moves = any(field in changed for field in _IDENTITY_FIELDS)
        if moves and current.source == Holiday.Source.SEED:
            values = {f: getattr(current, f) for f in ("date", "name", "kind", "province", "note")}
            values.update({k: v for k, v in changed.items() if k != "is_removed"})
            current.is_removed = True
            current.save(update_fields=["is_removed", "updated_at"])
            result = add_holiday(actor=actor, **values)  # nested atomic; bumps again, harmless
            if changed.get("is_removed"):
                result.is_removed = True
                result.save(update_fields=["is_removed", "updated_at"])
            return result
        for field, value in changed.items():
            setattr(current, field, value)
        _check_province(current.kind, current.province)
        # An edited seeded row is the admin's from now on (seeding never touches it anyway).
        current.source = Holiday.Source.MANUAL
        current.full_clean()
        current.save()
        _record_change()
    logger.info("holiday %s changed by %s: %s", current.pk, actor, sorted(changed))
    return current


def remove_holiday(*, actor: Actor, holiday: Holiday) -> Holiday:
    """Soft-remove a holiday (seeded or manual): it stops counting, the row stays."""
    with transaction.atomic():
        _lock_revision()
        current = Holiday.objects.select_for_update().get(pk=holiday.pk)
        if current.is_removed:
            return current
        current.is_removed = True
        current.save(update_fields=["is_removed", "updated_at"])
        _record_change()
    logger.info("holiday %s removed by %s", current.pk, actor)
    return current


def seed_holidays(years: Iterable[int]) -> int:
    """Add the `holidays` package's Indonesian holidays for `years`; returns how many were added.

    "public" entries become national holidays, "government" entries (cuti bersama) become
    `cuti_bersama`. A (date, kind) that already has a row — removed, edited or manual — is left
    alone, so seeding is idempotent and never undoes an admin's correction.
    """
    wanted = sorted({int(y) for y in years})
    if not wanted:
        return 0
    if wanted[0] < SEED_YEARS_MIN or wanted[-1] > SEED_YEARS_MAX:
        raise ValueError(f"years must lie in {SEED_YEARS_MIN}..{SEED_YEARS_MAX}")
    entries: dict[tuple[date, str], str] = {}
    # Built separately: a combined object merges both categories and loses which is which.
    for category, kind in (
        ("public", Holiday.Kind.NATIONAL),
        ("government", Holiday.Kind.CUTI_BERSAMA),
    ):
        package = holidays_package.country_holidays(
            "ID", years=wanted, categories=(category,), language="id"
        )
        for day, name in package.items():
            entries[(day, kind.value)] = name[:200]
    note = f"holidays {holidays_package.__version__}"
    with transaction.atomic():
        _lock_revision()
        existing = set(
            Holiday.objects.filter(
                province__isnull=True,
                date__gte=date(wanted[0], 1, 1),
                date__lte=date(wanted[-1], 12, 31),
            ).values_list("date", "kind")
        )
        new = [
            Holiday(date=day, kind=kind, name=name, source=Holiday.Source.SEED, note=note)
            for (day, kind), name in sorted(entries.items())
            if (day, kind) not in existing
        ]
        Holiday.objects.bulk_create(new)
        if new:
            _record_change()
    logger.info("seeded %d holidays for %s", len(new), wanted)
    return len(new)
