"""The summaries: incremental, idempotent, rebuilt when the calendar changes; lists match."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lapor.dashboards import drilldown, queries
from lapor.dashboards.models import (
    BounceFact,
    MonthlyBreakdown,
    MonthlyDuration,
    MonthlyStats,
    ReportFact,
    StatsRefresh,
)
from lapor.dashboards.periods import year
from lapor.dashboards.refresh import refresh_stats
from lapor.dashboards.tree import Tree
from lapor.lib import clock
from lapor.reports import services
from lapor.reports.models import Report
from lapor.workdays.models import Holiday
from lapor.workdays.services import add_holiday
from tests.dashboards.builders import at, known_city_set, march, refresh, story


def tables() -> dict[str, list[tuple]]:
    def rows(model, *exclude):
        fields = [
            f.attname for f in model._meta.concrete_fields if f.attname not in ("id", *exclude)
        ]
        return sorted(model.objects.values_list(*fields), key=repr)

    return {
        "facts": rows(ReportFact, "source_updated_at"),
        "bounces": rows(BounceFact),
        "monthly": rows(MonthlyStats),
        "durations": rows(MonthlyDuration),
        "breakdowns": rows(MonthlyBreakdown),
    }


def city_counters(world):
    tree = Tree.load()
    return queries.scope_counters(tree, year(2025), tree.get(world.city.pk))


def test_incremental_refresh_takes_only_changed_reports(world):
    report = story(world, submitted=march(3), routed=march(3, 10))
    other = story(world, submitted=march(4), routed=march(4, 10))
    # Saved an hour ago: older than the previous run minus the safety margin (10 minutes).
    Report.objects.filter(pk=other.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    first = refresh_stats()
    assert first.full and first.reports == 2
    assert city_counters(world).followed_up == 0
    with clock.at(march(5)):
        services.post_follow_up(actor=world.city_admin, report=report, message="Ditangani.")
    second = refresh_stats()
    assert not second.full and second.reports == 1 and second.months == 1
    assert city_counters(world).followed_up == 1
    assert StatsRefresh.objects.filter(finished_at__isnull=False).count() == 2


def test_refresh_is_idempotent(world):
    known_city_set(world)
    refresh()
    before = tables()
    refresh_stats(since=at(2000, 1, 1, 0))  # every report again, incrementally
    assert tables() == before
    refresh_stats(full=True)
    assert tables() == before
    refresh_stats()  # nothing changed since
    assert tables() == before


def test_a_new_holiday_rebuilds_everything(world):
    story(world, submitted=march(3), routed=march(3, 10), responded=march(5))
    refresh()
    tree = Tree.load()
    assert queries.durations(tree, year(2025), None)[None].first_response == {2: 1}
    add_holiday(actor=world.national_admin, date=date(2025, 3, 4), name="Libur uji",
                kind=Holiday.Kind.NATIONAL)  # fmt: skip
    result = refresh_stats()
    assert result.full
    tree = Tree.load()
    assert queries.durations(tree, year(2025), None)[None].first_response == {1: 1}


def test_command(world):
    story(world, submitted=march(3), routed=march(3, 10))
    out = StringIO()
    call_command("refresh_dashboard_stats", stdout=out)
    assert "full rebuild: 1 reports" in out.getvalue()
    call_command("refresh_dashboard_stats", "--since", "2020-01-01", stdout=out)
    assert "incremental: 1 reports" in out.getvalue()
    call_command("refresh_dashboard_stats", "--full", stdout=out)
    assert out.getvalue().count("full rebuild") == 2


@pytest.mark.parametrize("indicator", [*drilldown.INDICATOR_FILTERS, *drilldown.LIVE_INDICATORS])
def test_the_list_behind_each_number_has_that_many_reports(world, indicator):
    known_city_set(world)
    refresh()
    tree = Tree.load()
    for institution in (world.city, world.province, None):
        node = tree.get(institution.pk) if institution else None
        c = queries.scope_counters(tree, year(2025), node)
        d = queries.durations(tree, year(2025), node)[None]
        expected = {
            "not_followed_up": c.routed - c.followed_up,
            "finished_late": c.finished - c.finished_on_time,
            "rated": c.rating_count,
            "overdue": sum(queries.overdue_by_institution(tree, node).values()),
            "timed_first_response": sum(d.first_response.values()),
            "timed_completion": sum(d.completion.values()),
        }.get(indicator)
        if expected is None:
            expected = getattr(c, indicator)
        if indicator == "bounced":  # one row per move
            listed = drilldown.bounce_list(world.national_admin, tree, year(2025), node)
        else:
            listed = drilldown.report_list(world.national_admin, tree, year(2025), node, indicator)
        assert listed.count() == expected, (indicator, institution)


def test_breakdown_lists_match_their_counts(world):
    known_city_set(world)
    refresh()
    tree = Tree.load()
    node = tree.get(world.city.pk)
    for dimension, counts in queries.breakdowns(tree, year(2025), node).items():
        for value, n in counts.items():
            listed = drilldown.report_list(world.national_admin, tree, year(2025), node, "received",
                                         dimension=dimension, value=value)  # fmt: skip
            assert listed.count() == n, (dimension, value)
