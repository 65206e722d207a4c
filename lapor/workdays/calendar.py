"""Working-day arithmetic: pure Python, no Django, numpy only for the batch method.

A working day is Monday to Friday and not a holiday. Deadlines in SP4N-LAPOR! count from the
working day AFTER the event, so `add_working_days(start, n)` is the n-th working day strictly
after `start`, whatever `start` itself is (a Saturday submission and a Monday one that precedes
the same Tuesday give the same count).

Every call must be cheap because deadlines are recomputed in bulk (a calendar change touches
every open report), so the constructor precomputes, for each day of the span:

- `_cum[i]`: how many working days lie in [span start, span start + i] (inclusive);
- `_wd_ordinals[k]` / `_wd_dates[k]`: the k-th working day (0-based) of the span.

Then the n-th working day after day `o` is `_wd_ordinals[_cum[o - base] + n - 1]`: two list
lookups, and `working_days_between` is a difference of two `_cum` entries.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is optional at import time: only the batch method needs it.
    import numpy as np
    import numpy.typing as npt

DEFAULT_FIRST_YEAR = 1990
DEFAULT_LAST_YEAR = 2100
# Years added on each side of the holiday list when it reaches beyond the default span, so a
# deadline computed from the last listed holiday still has room to land.
SPAN_MARGIN_YEARS = 1
_SATURDAY = 5  # date.weekday(): Monday is 0
# date(1970, 1, 1).toordinal(): numpy's datetime64[D] counts days from the Unix epoch.
_EPOCH_ORDINAL = 719_163

__all__ = [
    "WorkCalendar",
    "add_working_days",
    "is_working_day",
    "working_days_between",
]


class WorkCalendar:
    """Monday-Friday working days minus a fixed set of holidays, over a span of whole years.

    Immutable once built; safe to share between threads. Dates outside the span raise
    `ValueError` instead of silently treating the unknown future as holiday-free.
    """

    __slots__ = (
        "_base",
        "_cum",
        "_first_year",
        "_holidays",
        "_last_year",
        "_np_cache",
        "_size",
        "_wd_dates",
        "_wd_ordinals",
        "_working",
    )

    def __init__(
        self,
        holidays: Iterable[date] = (),
        *,
        first_year: int | None = None,
        last_year: int | None = None,
    ) -> None:
        holiday_set = frozenset(holidays)
        for day in holiday_set:
            if not isinstance(day, date):
                raise TypeError(f"holidays must be datetime.date objects, got {day!r}")
        years = [day.year for day in holiday_set]
        if first_year is None:
            first_year = min([DEFAULT_FIRST_YEAR, *(y - SPAN_MARGIN_YEARS for y in years)])
        if last_year is None:
            last_year = max([DEFAULT_LAST_YEAR, *(y + SPAN_MARGIN_YEARS for y in years)])
        # The span is clamped to what `date` can represent; one spare year at the top keeps
        # `date(last_year + 1, 1, 1)` valid below.
        first_year = max(first_year, 1)
        last_year = min(last_year, 9998)
        if first_year > last_year:
            raise ValueError(f"empty calendar span: {first_year}..{last_year}")

        self._first_year = first_year
        self._last_year = last_year
        self._holidays = holiday_set
        self._base = date(first_year, 1, 1).toordinal()
        end = date(last_year + 1, 1, 1).toordinal()
        self._size = end - self._base
        holiday_ordinals = {day.toordinal() for day in holiday_set}

        working = bytearray(self._size)
        cum = [0] * self._size
        wd_ordinals: list[int] = []
        count = 0
        # weekday() of ordinal o is (o + 6) % 7; walking the span once is ~40k steps.
        weekday = (self._base + 6) % 7
        for i in range(self._size):
            ordinal = self._base + i
            if weekday < _SATURDAY and ordinal not in holiday_ordinals:
                working[i] = 1
                wd_ordinals.append(ordinal)
                count += 1
            cum[i] = count
            weekday = 0 if weekday == 6 else weekday + 1
        self._working = bytes(working)
        self._cum = cum
        self._wd_ordinals = wd_ordinals
        self._wd_dates = [date.fromordinal(o) for o in wd_ordinals]
        self._np_cache: tuple[Any, Any] | None = None

    # --- introspection ------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        return date(self._first_year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self._last_year, 12, 31)

    @property
    def holidays(self) -> frozenset[date]:
        return self._holidays

    def __repr__(self) -> str:
        return (
            f"WorkCalendar({len(self._holidays)} holidays, {self._first_year}..{self._last_year})"
        )

    # --- scalar API -----------------------------------------------------------------------

    def _offset(self, ordinal: int) -> int:
        offset = ordinal - self._base
        if not 0 <= offset < self._size:
            raise ValueError(
                f"{_describe(ordinal)} is outside the working-day calendar span "
                f"{self._first_year}-01-01..{self._last_year}-12-31"
            )
        return offset

    def _beyond_span(self, start: object, days: int) -> ValueError:
        return ValueError(
            f"{days} working days after {start} falls after the end of the working-day "
            f"calendar span ({self._last_year}-12-31)"
        )

    def is_working_day(self, day: date) -> bool:
        return self._working[self._offset(day.toordinal())] == 1

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (`start` itself is never counted).

        `days == 0` returns `start` unchanged, even if it is a holiday.
        """
        if days <= 0:
            if days == 0:
                return start
            raise ValueError(f"days must not be negative, got {days}")
        # Inlined rather than calling the ordinal method: this is the hot path.
        offset = start.toordinal() - self._base
        if not 0 <= offset < self._size:
            self._offset(start.toordinal())  # raises with the message
        try:
            return self._wd_dates[self._cum[offset] + days - 1]
        except IndexError:
            raise self._beyond_span(start, days) from None

    def add_working_days_ordinal(self, start_ordinal: int, days: int) -> int:
        """Same as `add_working_days` on `date.toordinal()` integers (no date objects)."""
        if days <= 0:
            if days == 0:
                return start_ordinal
            raise ValueError(f"days must not be negative, got {days}")
        offset = start_ordinal - self._base
        if not 0 <= offset < self._size:
            self._offset(start_ordinal)
        try:
            return self._wd_ordinals[self._cum[offset] + days - 1]
        except IndexError:
            raise self._beyond_span(_describe(start_ordinal), days) from None

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; the negative of (end, start] if end < start.

        Inverse of `add_working_days`: `working_days_between(s, add_working_days(s, n)) == n`.
        """
        return self._cum[self._offset(end.toordinal())] - self._cum[self._offset(start.toordinal())]

    # --- vectorised API -------------------------------------------------------------------

    def _numpy_tables(self) -> tuple[Any, Any]:
        # Built on first use and kept: the batch path should not pay for list->array copies.
        if self._np_cache is None:
            import numpy as np

            cum = np.asarray(self._cum, dtype=np.int64)
            epoch_days = np.asarray(self._wd_ordinals, dtype=np.int64) - _EPOCH_ORDINAL
            self._np_cache = (cum, epoch_days)
        return self._np_cache

    def add_working_days_batch(
        self, starts: npt.ArrayLike, days: npt.ArrayLike
    ) -> np.ndarray[Any, np.dtype[np.datetime64]]:
        """Vectorised `add_working_days`: `datetime64[D]` starts, integer days (broadcast).

        Returns a `datetime64[D]` array. Raises `ValueError` if any start lies outside the span,
        any `days` is negative, or any result falls after the span.
        """
        import numpy as np

        cum, wd_epoch_days = self._numpy_tables()
        start_days = np.asarray(starts, dtype="datetime64[D]").astype(np.int64)
        n = np.asarray(days)
        if n.dtype.kind not in "iu":
            raise TypeError(f"days must be an integer array, got dtype {n.dtype}")
        n = n.astype(np.int64, copy=False)
        start_days, n = np.broadcast_arrays(start_days, n)
        if n.size and n.min() < 0:
            raise ValueError("days must not be negative")
        offsets = start_days + (_EPOCH_ORDINAL - self._base)
        # NaT is the most negative int64, so it fails this check too.
        if offsets.size and (offsets.min() < 0 or offsets.max() >= self._size):
            raise ValueError(
                "a start date is outside the working-day calendar span "
                f"{self._first_year}-01-01..{self._last_year}-12-31"
            )
        index = cum[offsets] + (n - 1)
        if index.size and index.max() >= len(wd_epoch_days):
            raise ValueError(
                "a result falls after the end of the working-day calendar span "
                f"({self._last_year}-12-31)"
            )
        # days == 0 gives index cum-1, possibly -1: clip so the gather stays in bounds, then
        # `where` puts the start back for those entries.
        result = wd_epoch_days[np.maximum(index, 0)]
        result = np.where(n == 0, start_days, result)
        return result.astype("datetime64[D]")


def _describe(ordinal: int) -> str:
    try:
        return date.fromordinal(ordinal).isoformat()
    except (ValueError, OverflowError):
        return f"day ordinal {ordinal}"


# --- module-level convenience ---------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _calendar_for(holidays: frozenset[date]) -> WorkCalendar:
    # Building a calendar walks ~40k days; callers of the helpers below usually pass the same
    # holiday list again and again.
    return WorkCalendar(holidays)


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    return _calendar_for(frozenset(holidays)).is_working_day(day)


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    return _calendar_for(frozenset(holidays)).add_working_days(start, days)


def working_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    return _calendar_for(frozenset(holidays)).working_days_between(start, end)
