"""Properties of the pure working-day calendar (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.workdays import calendar as calendar_module
from lapor.workdays.calendar import WorkCalendar

# A narrow span keeps building a calendar per example cheap; the arithmetic does not depend on it.
FIRST_YEAR, LAST_YEAR = 2015, 2040
holiday_sets = st.frozensets(
    st.dates(min_value=date(2019, 1, 1), max_value=date(2032, 12, 31)), max_size=300
)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def build(holidays: frozenset[date]) -> WorkCalendar:
    return WorkCalendar(holidays, first_year=FIRST_YEAR, last_year=LAST_YEAR)


def brute_force_add(start: date, days: int, holidays: frozenset[date]) -> date:
    """Reference: walk day by day, counting Monday-Friday non-holidays after `start`."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day


def numpy_calendar(holidays: frozenset[date]) -> np.busdaycalendar:
    return np.busdaycalendar(
        weekmask="1111100", holidays=np.array(sorted(holidays), dtype="datetime64[D]")
    )


@given(holiday_sets, starts, counts)
def test_matches_brute_force(holidays: frozenset[date], start: date, days: int) -> None:
    assert build(holidays).add_working_days(start, days) == brute_force_add(start, days, holidays)


@given(holiday_sets, starts, st.integers(min_value=1, max_value=400))
def test_result_is_a_working_day_after_start(
    holidays: frozenset[date], start: date, days: int
) -> None:
    calendar = build(holidays)
    due = calendar.add_working_days(start, days)
    assert due > start
    assert calendar.is_working_day(due)
    assert due.weekday() < 5
    assert due not in holidays


@given(holiday_sets, starts, counts)
def test_between_inverts_add(holidays: frozenset[date], start: date, days: int) -> None:
    calendar = build(holidays)
    due = calendar.add_working_days(start, days)
    assert calendar.working_days_between(start, due) == days
    assert calendar.working_days_between(due, start) == -days


@given(holiday_sets, starts, starts)
def test_between_counts_working_days_in_half_open_interval(
    holidays: frozenset[date], a: date, b: date
) -> None:
    calendar = build(holidays)
    low, high = sorted((a, b))
    expected = sum(
        1
        for i in range(1, (high - low).days + 1)
        if (d := low + timedelta(days=i)).weekday() < 5 and d not in holidays
    )
    assert calendar.working_days_between(low, high) == expected
    assert calendar.working_days_between(high, low) == -expected


@given(holiday_sets, starts, counts)
def test_monotonic_in_days(holidays: frozenset[date], start: date, days: int) -> None:
    calendar = build(holidays)
    assert calendar.add_working_days(start, days) < calendar.add_working_days(start, days + 1)


@given(holiday_sets, starts, starts, counts)
def test_monotonic_in_start(holidays: frozenset[date], a: date, b: date, days: int) -> None:
    calendar = build(holidays)
    early, late = sorted((a, b))
    assert calendar.add_working_days(early, days) <= calendar.add_working_days(late, days)


@given(holiday_sets, starts, counts)
def test_ordinal_path_equals_date_path(holidays: frozenset[date], start: date, days: int) -> None:
    calendar = build(holidays)
    by_ordinal = calendar.add_working_days_ordinal(start.toordinal(), days)
    assert date.fromordinal(by_ordinal) == calendar.add_working_days(start, days)


@given(holiday_sets, st.lists(st.tuples(starts, counts), min_size=1, max_size=50))
def test_batch_equals_scalar(holidays: frozenset[date], pairs: list[tuple[date, int]]) -> None:
    calendar = build(holidays)
    start_array = np.array([s for s, _ in pairs], dtype="datetime64[D]")
    day_array = np.array([n for _, n in pairs], dtype=np.int64)
    result = calendar.add_working_days_batch(start_array, day_array)
    assert result.dtype == np.dtype("datetime64[D]")
    assert [d.astype(object) for d in result] == [calendar.add_working_days(s, n) for s, n in pairs]


@given(holiday_sets, starts, st.integers(min_value=1, max_value=400))
def test_agrees_with_numpy_busday_offset(holidays: frozenset[date], start: date, days: int) -> None:
    """numpy rolls a non-working start first; ours counts from the day after `start`.

    roll="forward" moves a non-working start to the next working day, which then counts as day 0,
    so it equals our result with one day fewer; on a working start both agree exactly.
    roll="backward" moves to the previous working day, which has the same successors: equal.
    """
    calendar = build(holidays)
    cal = numpy_calendar(holidays)
    ours = np.datetime64(calendar.add_working_days(start, days), "D")
    start64 = np.datetime64(start, "D")
    forward_days = days if calendar.is_working_day(start) else days - 1
    assert np.busday_offset(start64, forward_days, roll="forward", busdaycal=cal) == ours
    assert np.busday_offset(start64, days, roll="backward", busdaycal=cal) == ours


@settings(max_examples=25)
@given(holiday_sets, st.integers(min_value=0, max_value=2000))
def test_batch_agrees_with_numpy_on_many_inputs(holidays: frozenset[date], seed: int) -> None:
    rng = np.random.default_rng(seed)
    start_array = np.datetime64("2020-01-01") + rng.integers(0, 4000, size=500)
    day_array = rng.integers(1, 100, size=500)
    ours = build(holidays).add_working_days_batch(start_array, day_array)
    theirs = np.busday_offset(
        start_array, day_array, roll="backward", busdaycal=numpy_calendar(holidays)
    )
    assert np.array_equal(ours, theirs)


def test_zero_days_returns_start_even_on_a_holiday() -> None:
    holiday = date(2026, 3, 19)
    calendar = WorkCalendar([holiday])
    assert calendar.add_working_days(holiday, 0) == holiday
    assert calendar.add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 21)  # a Saturday
    assert calendar.add_working_days_ordinal(holiday.toordinal(), 0) == holiday.toordinal()


def test_negative_days_are_refused() -> None:
    calendar = WorkCalendar()
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(date(2026, 1, 5), -1)
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days_ordinal(date(2026, 1, 5).toordinal(), -1)
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days_batch(np.array(["2026-01-05"], dtype="datetime64[D]"), [-1])


def test_dates_outside_the_span_are_refused() -> None:
    calendar = WorkCalendar(first_year=2000, last_year=2030)
    assert calendar.first_day == date(2000, 1, 1)
    assert calendar.last_day == date(2030, 12, 31)
    for call in (
        lambda: calendar.is_working_day(date(1999, 12, 31)),
        lambda: calendar.add_working_days(date(2031, 1, 1), 1),
        lambda: calendar.add_working_days_ordinal(5, 1),
        lambda: calendar.working_days_between(date(2026, 1, 1), date(2040, 1, 1)),
        lambda: calendar.add_working_days_batch(np.array(["1980-01-01"], "datetime64[D]"), [1]),
        lambda: calendar.add_working_days_batch(np.array(["NaT"], "datetime64[D]"), [1]),
    ):
        with pytest.raises(ValueError, match="outside the working-day calendar span"):
            call()


def test_results_beyond_the_span_are_refused() -> None:
    calendar = WorkCalendar(first_year=2000, last_year=2030)
    assert calendar.add_working_days(date(2030, 12, 30), 1) == date(2030, 12, 31)
    with pytest.raises(ValueError, match="falls after the end"):
        calendar.add_working_days(date(2030, 12, 30), 2)
    with pytest.raises(ValueError, match="falls after the end"):
        calendar.add_working_days_ordinal(date(2030, 12, 30).toordinal(), 2)
    with pytest.raises(ValueError, match="falls after the end"):
        calendar.add_working_days_batch(np.array(["2030-12-30"], "datetime64[D]"), [2])


def test_default_span_widens_to_cover_the_holidays() -> None:
    assert WorkCalendar().first_day == date(1990, 1, 1)
    assert WorkCalendar().last_day == date(2100, 12, 31)
    wide = WorkCalendar([date(1985, 5, 1), date(2105, 1, 1)])
    assert wide.first_day == date(1984, 1, 1)
    assert wide.last_day == date(2106, 12, 31)
    assert not wide.is_working_day(date(2105, 1, 1))


def test_batch_broadcasts_a_scalar_count_and_rejects_float_counts() -> None:
    calendar = WorkCalendar()
    start_array = np.array(["2026-01-02", "2026-01-03"], dtype="datetime64[D]")  # Fri, Sat
    result = calendar.add_working_days_batch(start_array, 1)
    assert result.tolist() == [date(2026, 1, 5), date(2026, 1, 5)]
    with pytest.raises(TypeError):
        calendar.add_working_days_batch(start_array, np.array([1.5, 2.0]))


def test_module_functions_use_the_given_holidays() -> None:
    nyepi = date(2026, 3, 19)
    assert calendar_module.is_working_day(nyepi)
    assert not calendar_module.is_working_day(nyepi, holidays=[nyepi])
    assert calendar_module.add_working_days(date(2026, 3, 18), 1) == nyepi
    assert calendar_module.add_working_days(date(2026, 3, 18), 1, [nyepi]) == date(2026, 3, 20)
    assert calendar_module.working_days_between(date(2026, 3, 16), date(2026, 3, 20), [nyepi]) == 3


def test_module_imports_without_numpy() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from datetime import date\n"
        "from lapor.workdays.calendar import WorkCalendar\n"
        "assert WorkCalendar().add_working_days(date(2026, 1, 2), 1) == date(2026, 1, 5)\n"
        "assert 'django' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
