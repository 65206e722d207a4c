"""The pure parts: periods, percentiles, Wilson bounds, working-day tables."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from lapor.dashboards.indicators import Counters, percentile
from lapor.dashboards.periods import Period, parse_period, year
from lapor.dashboards.ranking import wilson_lower_bound, wilson_upper_bound
from lapor.dashboards.workdays import DayTable
from lapor.workdays.calendar import WorkCalendar

TODAY = date(2025, 6, 15)


def test_whole_months_and_edges():
    p = Period(date(2025, 1, 15), date(2025, 4, 10))
    assert p.full_months() == [date(2025, 2, 1), date(2025, 3, 1)]
    assert p.edge_ranges() == [
        (date(2025, 1, 15), date(2025, 1, 31)),
        (date(2025, 4, 1), date(2025, 4, 10)),
    ]
    assert year(2025).full_months()[0] == date(2025, 1, 1)
    assert year(2025).edge_ranges() == []
    inside = Period(date(2025, 2, 3), date(2025, 2, 20))
    assert inside.full_months() == [] and inside.edge_ranges() == [(inside.start, inside.end)]


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ({"periode": "2024"}, date(2024, 1, 1), date(2024, 12, 31)),
        ({"periode": "2024-02"}, date(2024, 2, 1), date(2024, 2, 29)),
        ({"periode": "2024-q4"}, date(2024, 10, 1), date(2024, 12, 31)),
        ({"dari": "2024-03-05", "sampai": "2024-03-09"}, date(2024, 3, 5), date(2024, 3, 9)),
        ({}, date(2025, 1, 1), date(2025, 12, 31)),
        ({"periode": "2024-13"}, date(2025, 1, 1), date(2025, 12, 31)),
        ({"dari": "2024-03-09", "sampai": "2024-03-05"}, date(2025, 1, 1), date(2025, 12, 31)),
        ({"dari": "kemarin", "sampai": "2024-03-05"}, date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_parse_period(params, start, end):
    p = parse_period(params, TODAY)
    assert (p.start, p.end) == (start, end)


def test_percentile_matches_percentile_cont():
    # percentile_cont(0.5) of 1,2,3,4 is 2.5; (0.9) is 3.7.
    hist = Counter({1: 1, 2: 1, 3: 1, 4: 1})
    assert percentile(hist, 0.5) == pytest.approx(2.5)
    assert percentile(hist, 0.9) == pytest.approx(3.7)
    assert percentile(Counter({7: 5}), 0.9) == 7
    assert percentile(Counter(), 0.5) is None
    assert percentile(Counter({0: 3, 10: 1}), 0.5) == 0


def test_percentile_against_sorted_list():
    rng = random.Random(4)
    for _ in range(200):
        values = [rng.randint(0, 30) for _ in range(rng.randint(1, 40))]
        ordered = sorted(values)
        for p in (0.5, 0.9, 0.0, 1.0):
            pos = p * (len(ordered) - 1)
            lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
            expected = ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
            assert percentile(Counter(values), p) == pytest.approx(expected)


def test_counter_rates():
    c = Counters(received=10, routed=8, followed_up=6, finished=4, finished_on_time=2,
                 answered=5, reopened=1, rating_4=1, rating_5=2, rating_1=1)  # fmt: skip
    assert c.follow_up_rate == 0.75 and c.on_time_rate == 0.25 and c.reopen_rate == 0.2
    assert c.rating_count == 4 and c.rating_sum == 15 and c.satisfied(4) == 3


def test_wilson_bounds_hand_computed():
    # p=1, n=3, z=1.96: (1 + z²/6 - z·sqrt(z²/36)) / (1 + z²/3) = 1 / (1 + 1.28053) = 0.43850
    assert wilson_lower_bound(3, 3) == pytest.approx(0.43850, abs=1e-5)
    # n=300 all successes: 1 / (1 + 3.8416/300) = 0.98736
    assert wilson_lower_bound(300, 300) == pytest.approx(0.98736, abs=1e-5)
    # 8 of 10: (0.8 + 0.19208 - 1.96·sqrt(0.016 + 0.009604)) / 1.38416 = 0.49016
    assert wilson_lower_bound(8, 10) == pytest.approx(0.49016, abs=1e-5)
    # 150 of 200: (0.75 + 0.009604 - 1.96·sqrt(0.0009375 + 0.00002401)) / 1.019208 = 0.68566
    assert wilson_lower_bound(150, 200) == pytest.approx(0.68566, abs=1e-5)
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(0, 5) == 0.0
    # 0 of 5, upper: (z²/10 + z·sqrt(z²/100)) / (1 + z²/5) = 0.76832 / 1.76832 = 0.43449
    assert wilson_upper_bound(0, 5) == pytest.approx(0.43449, abs=1e-5)
    # More evidence of the same rate gives a higher lower bound.
    assert wilson_lower_bound(9, 10) < wilson_lower_bound(90, 100) < wilson_lower_bound(900, 1000)


@pytest.mark.parametrize("use_numpy", [True, False])
def test_day_table_agrees_with_the_calendar(use_numpy):
    holidays = [date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 18), date(2025, 5, 1)]
    calendar = WorkCalendar(holidays)
    first, last = date(2025, 1, 1), date(2025, 12, 31)
    table = DayTable(calendar, first, last, use_numpy=use_numpy)
    rng = random.Random(7)
    starts, ends, limits = [], [], []
    for _ in range(500):
        s = first + timedelta(days=rng.randint(0, 200))
        starts.append(s)
        ends.append(s + timedelta(days=rng.randint(0, 120)))
        limits.append(rng.randint(1, 60))
    got = table.between([d.toordinal() for d in starts], [d.toordinal() for d in ends])
    assert got == [calendar.working_days_between(s, e) for s, e in zip(starts, ends, strict=True)]
    on_time = table.on_time([d.toordinal() for d in starts], [d.toordinal() for d in ends], limits)
    expected = [
        e <= calendar.add_working_days(s, n) for s, e, n in zip(starts, ends, limits, strict=True)
    ]
    assert on_time == expected


def test_deadline_on_a_friday_is_missed_by_a_saturday_answer():
    table = DayTable(WorkCalendar(), date(2025, 3, 1), date(2025, 4, 30))
    monday, friday, saturday = date(2025, 3, 3), date(2025, 3, 21), date(2025, 3, 22)
    assert table.between([monday.toordinal()], [saturday.toordinal()]) == [14]
    assert table.on_time([monday.toordinal()], [friday.toordinal()], [14]) == [True]
    assert table.on_time([monday.toordinal()], [saturday.toordinal()], [14]) == [False]
