"""Working-day arithmetic over many reports at once, for the dashboard refresh.

A `DayTable` holds, for one calendar (a province's, or the national one) and a span of dates,
the cumulative count of working days; then "working days between" for a whole batch is a
difference of two lookups, and "on time" one comparison more. numpy does it in C when it is
installed (it is for development and the benchmark); otherwise the same lookups run in Python.
Both give identical results (tests/dashboards/test_workdays.py).

Same conventions as lapor.workdays.calendar: `between(s, e)` counts working days d with
s < d <= e; a deadline of n working days after s is the end of the n-th working day after s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from lapor.workdays.calendar import WorkCalendar

try:  # pragma: no branch - one of the two is taken per installation
    import numpy as np
except ImportError:  # pragma: no cover - production without numpy
    np = None  # type: ignore[assignment]


class DayTable:
    """Cumulative working days of `calendar` from `first` to `last` (inclusive)."""

    def __init__(
        self, calendar: WorkCalendar, first: date, last: date, *, use_numpy: bool = True
    ) -> None:
        self.base = first.toordinal()
        size = last.toordinal() - self.base + 1
        working = [
            1 if calendar.is_working_day(first + timedelta(days=i)) else 0 for i in range(size)
        ]
        self._working = working
        self._cum = list(accumulate(working))
        self.use_numpy = use_numpy and np is not None
        if self.use_numpy:
            self._np_working = np.asarray(working, dtype=np.bool_)
            self._np_cum = np.asarray(self._cum, dtype=np.int64)

    def covers(self, ordinal: int) -> bool:
        return 0 <= ordinal - self.base < len(self._cum)

    def between(self, starts: Sequence[int], ends: Sequence[int]) -> list[int]:
        """Working days after each start up to and including each end (date ordinals)."""
        if self.use_numpy:
            s = np.asarray(starts, dtype=np.int64) - self.base
            e = np.asarray(ends, dtype=np.int64) - self.base
            return (self._np_cum[e] - self._np_cum[s]).tolist()  # type: ignore[no-any-return]
        cum, base = self._cum, self.base
        return [cum[b - base] - cum[a - base] for a, b in zip(starts, ends, strict=True)]

    def on_time(
        self, starts: Sequence[int], ends: Sequence[int], limits: Sequence[int]
    ) -> list[bool]:
        """Whether each end lies on or before the limit-th working day after its start."""
        if self.use_numpy:
            s = np.asarray(starts, dtype=np.int64) - self.base
            e = np.asarray(ends, dtype=np.int64) - self.base
            n = np.asarray(limits, dtype=np.int64)
            count = self._np_cum[e] - self._np_cum[s]
            result: Any = (count < n) | ((count == n) & self._np_working[e])
            return result.tolist()  # type: ignore[no-any-return]
        cum, work, base = self._cum, self._working, self.base
        out: list[bool] = []
        for a, b, n_ in zip(starts, ends, limits, strict=True):
            got = cum[b - base] - cum[a - base]
            out.append(got < n_ or (got == n_ and work[b - base] == 1))
        return out
