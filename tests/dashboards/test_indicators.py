"""Indicators on hand-built data sets with known answers (working days: Monday to Friday)."""

from __future__ import annotations

from datetime import date

import pytest

from lapor.dashboards import queries
from lapor.dashboards.indicators import Durations
from lapor.dashboards.periods import Period, month, year
from lapor.dashboards.tree import Tree
from lapor.reports.models import ReportType, ResolutionClass
from tests.dashboards.builders import known_city_set, march, refresh, story, sweep


def scope(world, institution=None, period=None):
    tree = Tree.load()
    node = tree.get(institution.pk) if institution is not None else None
    period = period or year(2025)
    counters = queries.scope_counters(tree, period, node)
    days = queries.durations(tree, period, node).get(None, Durations())
    return counters, days


def test_no_reports_gives_zeros_and_no_rates(world):
    refresh()
    c, d = scope(world, world.city)
    assert c.received == c.routed == c.finished == c.bounced == 0
    assert c.follow_up_rate is None and c.on_time_rate is None and c.reopen_rate is None
    assert c.satisfaction_mean is None
    assert d.first_response_median is None and d.completion_p90 is None
    tree = Tree.load()
    assert queries.overdue_by_institution(tree) == {}


@pytest.fixture
def known(world):
    reports = known_city_set(world)
    refresh()
    return reports


def test_city_counters_known_answers(world, known):
    c, _d = scope(world, world.city)
    assert (c.received, c.verified, c.routed) == (4, 4, 4)
    assert c.followed_up == 3
    assert c.first_response_on_time == 2  # a (2 WD) and c (1 WD); b took 10
    assert (c.answered, c.finished) == (3, 3)
    assert c.finished_on_time == 1  # only a: b answered on a Saturday after the deadline
    assert (c.reopened, c.reopen_events) == (1, 2)  # c, reopened twice
    assert c.bounced == 1  # f, declined by the city
    assert (c.rating_count, c.rating_sum) == (2, 7)
    assert c.satisfaction_mean == pytest.approx(3.5)
    assert c.follow_up_rate == pytest.approx(3 / 4)
    assert c.on_time_rate == pytest.approx(1 / 4)
    assert c.reopen_rate == pytest.approx(1 / 3)


def test_city_working_day_percentiles(world, known):
    _c, d = scope(world, world.city)
    assert dict(d.first_response) == {2: 1, 10: 1, 1: 1}
    assert dict(d.completion) == {5: 1, 14: 1, 18: 1}
    assert d.first_response_median == 2
    assert d.first_response_p90 == pytest.approx(8.4)  # 2 + 0.8 x (10 - 2)
    assert d.completion_median == 14
    assert d.completion_p90 == pytest.approx(17.2)  # 14 + 0.8 x (18 - 14)


def test_bounced_report_belongs_to_the_queue_that_holds_it(world, known):
    province, _d = scope(world, world.province)
    national, _d = scope(world)
    assert province.received == 5  # the city's four and f, back in the province's queue
    assert national.received == 6
    assert national.verified == 5  # all but e
    assert national.routed == 4
    assert national.bounced == 1


def test_overdue_now_by_institution(world, known):
    tree = Tree.load()
    by_inst = queries.overdue_by_institution(tree)
    assert by_inst == {world.city.pk: 1, world.province.pk: 1, tree.root.id: 1}
    assert tree.rollup_counts(by_inst, [tree.get(world.province.pk)]) == {world.province.pk: 2}


def test_breakdowns_per_channel_type_class_category(world, known):
    tree = Tree.load()
    b = queries.breakdowns(tree, year(2025), tree.get(world.city.pk))
    assert b["channel"] == {"web": 3, "sms": 1}
    assert b["type"] == {ReportType.COMPLAINT: 4}
    assert b["class"] == {ResolutionClass.STANDARD: 4}
    assert b["category"] == {str(world.category.pk): 1, "": 3}
    assert b["state"] == {"finished": 3, "routed": 1}


def test_partial_month_periods_match_whole_months(world, known):
    tree = Tree.load()
    node = tree.get(world.city.pk)
    whole = queries.scope_counters(tree, month(2025, 3), node)
    # Same reports through day ranges: facts for the edges, monthly rows in between.
    for period in (
        Period(date(2025, 3, 1), date(2025, 3, 31)),
        Period(date(2025, 2, 15), date(2025, 4, 10)),
        Period(date(2025, 3, 3), date(2025, 3, 6)),
        Period(date(2024, 12, 31), date(2025, 5, 1)),
    ):
        assert queries.scope_counters(tree, period, node) == whole, period
        d = queries.durations(tree, period, node).get(None)
        assert d is not None and d.completion == {5: 1, 14: 1, 18: 1}
    only_first = queries.scope_counters(tree, Period(date(2025, 3, 3), date(2025, 3, 3)), node)
    assert only_first.received == 3


def test_all_overdue(world):
    for day in (3, 4, 5):
        story(world, submitted=march(day), routed=march(day, 10),
              resolution_class=ResolutionClass.INVESTIGATION)  # fmt: skip
    refresh()
    c, d = scope(world, world.city)
    assert (c.received, c.routed, c.followed_up, c.finished, c.finished_on_time) == (3, 3, 0, 0, 0)
    # Before the 60-working-day deadline the sweeper flags none of them; after it, all three.
    sweep(march(31))
    refresh()  # the count is taken by each refresh
    assert queries.overdue_by_institution(Tree.load()) == {}
    sweep()
    refresh()
    assert queries.overdue_by_institution(Tree.load()) == {world.city.pk: 3}
    assert d.first_response_median is None


def test_unit_roll_up(world):
    story(world, to=world.unit, submitted=march(3), routed=march(3, 10), responded=march(4))
    refresh()
    for institution in (world.unit, world.department, world.city, world.province):
        c, d = scope(world, institution)
        assert (c.received, c.followed_up) == (1, 1), institution
        assert d.first_response == {1: 1}
    other, _d = scope(world, world.other_city)
    assert other.received == 0


def test_institution_with_two_reports_and_one_with_two_hundred(world):
    from tests.dashboards.builders import bulk_reports

    story(world, submitted=march(3), routed=march(3, 10), responded=march(4), answered=march(5),
          confirmed=march(6), rating=4)  # fmt: skip
    story(world, submitted=march(4), routed=march(4, 10))
    bulk_reports(world, world.other_city, 200, on_time=150, day=date(2025, 3, 10))
    refresh()
    small, _d = scope(world, world.city)
    large, days = scope(world, world.other_city)
    assert (small.received, small.finished_on_time) == (2, 1)
    assert (large.received, large.routed, large.finished, large.finished_on_time) == (
        200,
        200,
        200,
        150,
    )
    assert days.completion == {3: 150, 20: 50}
    assert large.on_time_rate == pytest.approx(0.75)


def test_admin_activity_counts_logins_and_moves_inside_the_window(world):
    """City subtree staff: the city admin, the department officer, the unit officer (the
    leader is not staff). The city admin followed a report up on 4 March and answered it on
    20 March; seen on 10 April, a 30-day window starts on 11 March 09:00."""
    from tests.dashboards.builders import at

    story(world, submitted=march(3), routed=march(3, 10), responded=march(4), answered=march(20))
    world.city_admin.last_login = at(2025, 4, 1, 8)
    world.city_admin.save(update_fields=["last_login"])
    world.officer.last_login = at(2025, 1, 2, 8)
    world.officer.save(update_fields=["last_login"])
    tree = Tree.load()
    city, department = tree.get(world.city.pk), tree.get(world.department.pk)
    now = at(2025, 4, 10, 9)
    activity = queries.admin_activity(tree, [city, department], now, days=30)
    a = activity[world.city.pk]
    assert (a.admins, a.active_admins, a.last_login, a.actions) == (3, 1, at(2025, 4, 1, 8), 1)
    d = activity[world.department.pk]
    assert (d.admins, d.active_admins, d.last_login, d.actions) == (2, 0, at(2025, 1, 2, 8), 0)
    # Sixty days back (from 9 February): both moves; the officer's January login still not.
    wide = queries.admin_activity(tree, [city], now, days=60)[world.city.pk]
    assert (wide.active_admins, wide.actions) == (1, 2)


def test_weekly_trend_buckets_by_monday(world, known):
    """Weeks keyed by their Monday: Sunday 9 March belongs to the week of 3 March; reports
    after the last day are not counted."""
    story(world, submitted=march(9), routed=march(10, 10))  # a Sunday
    story(world, submitted=march(10), routed=march(10, 11), responded=march(11))
    story(world, submitted=march(13), routed=march(13, 10))  # after the last day
    refresh()
    tree = Tree.load()
    weeks = queries.weekly_trend(
        tree, date(2025, 2, 24), date(2025, 3, 12), tree.get(world.city.pk)
    )
    assert list(weeks) == [date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10)]
    got = {w: (c.received, c.followed_up, c.finished) for w, c in weeks.items()}
    assert got == {
        date(2025, 2, 24): (0, 0, 0),
        date(2025, 3, 3): (5, 3, 3),  # a, b, c, d and Sunday's
        date(2025, 3, 10): (1, 1, 0),
    }
