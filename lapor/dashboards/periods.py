"""Periods: a range of local dates, parsed from a URL and split into whole months and edge days.

A period of whole months is answered from the monthly summary tables alone; the days of a
partial month at either end are summed from the per-report facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
FIRST_YEAR, LAST_YEAR = 1900, 2999
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[qQ]([1-4])$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Local dates start..end, both included."""

    start: date
    end: date
    key: str = ""  # how it was asked for ("2025", "2025-03", "2025-q1", or "")

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    @property
    def label(self) -> str:
        if _MONTH.match(self.key):
            return f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if _QUARTER.match(self.key):
            return _("Triwulan %(q)s %(year)s") % {
                "q": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if _YEAR.match(self.key):
            return str(self.start.year)
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"

    @property
    def query(self) -> str:
        """The query-string part that asks for this period again."""
        if self.key:
            return f"periode={self.key}"
        return f"dari={self.start.isoformat()}&sampai={self.end.isoformat()}"

    def full_months(self) -> list[date]:
        """First days of the months lying wholly inside the period."""
        months = []
        month = month_start(self.start)
        if month != self.start:
            month = next_month(month)
        while month_end(month) <= self.end:
            months.append(month)
            month = next_month(month)
        return months

    def edge_ranges(self) -> list[tuple[date, date]]:
        """Day ranges of the period not covered by full_months()."""
        months = self.full_months()
        if not months:
            return [(self.start, self.end)]
        ranges = []
        if self.start < months[0]:
            ranges.append((self.start, months[0] - timedelta(days=1)))
        last = month_end(months[-1])
        if last < self.end:
            ranges.append((last + timedelta(days=1), self.end))
        return ranges

    def months(self) -> list[date]:
        """First days of every month the period touches."""
        result = []
        month = month_start(self.start)
        while month <= self.end:
            result.append(month)
            month = next_month(month)
        return result


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), f"{y:04d}")


def month(y: int, m: int) -> Period:
    first = date(y, m, 1)
    return Period(first, month_end(first), f"{y:04d}-{m:02d}")


def parse_period(params: dict[str, str] | object, today: date) -> Period:
    """The period asked for by `dari`/`sampai` (both given: a typed date range wins) or else
    `periode` (2025, 2025-03, 2025-q1).

    Anything missing or invalid gives the default: the current year (its later months are
    simply empty).
    """
    get = getattr(params, "get", None)
    asked = _asked(get) if get is not None else None
    # Years no report can have (and whose month arithmetic would overflow) are no period.
    if asked is not None and asked.start.year >= FIRST_YEAR and asked.end.year <= LAST_YEAR:
        return asked
    return year(today.year)


def _asked(get: Callable[[str], str | None]) -> Period | None:
    ranged = _date_range((get("dari") or "").strip(), (get("sampai") or "").strip())
    if ranged is not None:
        return ranged
    value = (get("periode") or "").strip()
    try:
        if m := _YEAR.match(value):
            return year(int(m.group(1)))
        if m := _MONTH.match(value):
            return month(int(m.group(1)), int(m.group(2)))
        if m := _QUARTER.match(value):
            y, q = int(m.group(1)), int(m.group(2))
            first = date(y, 3 * q - 2, 1)
            return Period(first, month_end(add_months(first, 2)), f"{y:04d}-q{q}")
    except ValueError:
        pass
    return None


def _date_range(start: str, end: str) -> Period | None:
    if not (start and end):
        return None
    try:
        a, b = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None
    if a <= b and (b - a).days <= 366 * 20:
        return Period(a, b)
    return None


def period_choices(today: date) -> list[tuple[str, str]]:
    """Quick choices for the period form: this and the last two years, and recent months."""
    choices = [(f"{y:04d}", str(y)) for y in range(today.year, today.year - 3, -1)]
    first = month_start(today)
    for back in range(12):
        m = add_months(first, -back)
        choices.append((f"{m:%Y-%m}", f"{MONTH_NAMES[m.month - 1]} {m.year}"))
    return choices
