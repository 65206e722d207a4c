"""The bulk recompute of open deadlines (after a holiday changed) and the sweeper's schedule.

The recompute groups reports in SQL and computes each group once (DeadlineCalculator); here it
is held to policy.expected_deadlines, the rule every move applies, on reports of every open
state, in the three zones, in the national queue, with regional holidays and extensions.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapor.accounts.models import Role
from lapor.institutions.models import Institution, Region
from lapor.lib import clock
from lapor.reports import services
from lapor.reports.actors import SYSTEM
from lapor.reports.models import (
    OPEN_STATES,
    Report,
    ReportEvent,
    ReportType,
    ResolutionClass,
)
from lapor.reports.policy import current_policy, expected_deadlines, sweep_schedule
from lapor.reports.services.deadlines import RECOMPUTE_FIELDS, DeadlineCalculator
from lapor.reports.sweeps import Sweeper
from lapor.workdays.models import Holiday
from lapor.workdays.services import add_holiday
from tests.factories import World, fresh, make_institution, make_staff, submit
from tests.outbox import queued_announcements, run_announcements
from tests.reports.test_sweeps import assert_sequences_intact, routed, swept, wita

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def variety(world: World) -> list[Report]:
    """Open reports of every stage, zone and clock shape, built through the services."""
    jayapura = make_institution("Pemerintah Kabupaten Jayapura", "regency", world.national, "91.03")
    jayapura_admin = make_staff(Role.INSTITUTION_ADMIN, jayapura)
    agency = make_institution("Badan Uji", "agency", world.national)
    Institution.objects.filter(pk=agency.pk).update(timezone="Asia/Makassar")
    agency.refresh_from_db()
    made: list[Report] = []
    # Monday 09:00 WITA, and Monday 23:30 WIB (already Tuesday in WITA and WIT).
    for moment in (wita(6), datetime(2026, 7, 6, 23, 30, tzinfo=WIB)):
        with clock.at(moment):
            made.append(submit(world)[0])  # the national queue
            made.append(submit(world, suggested_institution_id=world.city.pk)[0])
            held, _ = submit(world, suggested_institution_id=world.city.pk)
            services.hold_report(actor=world.city_admin, report=held, question="Di mana?")
            made.append(held)
            for target, kind in (
                (world.city, ResolutionClass.STANDARD),
                (world.ministry, ResolutionClass.INVESTIGATION),
                (jayapura, ResolutionClass.STANDARD),
                (agency, ResolutionClass.SHORT),
            ):
                report = submit(world)[0]
                report_type = ReportType.ASPIRATION if kind == ResolutionClass.SHORT else None
                world.route(
                    report,
                    target,
                    resolution_class=kind,
                    report_type=report_type or ReportType.COMPLAINT,
                )
                made.append(report)
            started = submit(world)[0]
            world.route(started, world.city)
            services.post_follow_up(actor=world.city_admin, report=started, message="Dicek.")
            services.extend_deadline(actor=world.city_admin, report=started, days=3, reason="Uji.")
            made.append(started)
            done = submit(world)[0]
            world.route(done, jayapura)
            services.post_answer(actor=jayapura_admin, report=done, message="Selesai.")
            made.append(done)
    return [fresh(r) for r in made]


def holidays(world: World) -> None:
    for day, kind, province in (
        (date(2026, 7, 8), Holiday.Kind.REGIONAL, "64"),
        (date(2026, 7, 14), Holiday.Kind.REGIONAL, "91"),
        (date(2026, 7, 16), Holiday.Kind.NATIONAL, None),
        (date(2026, 8, 20), Holiday.Kind.CUTI_BERSAMA, None),
    ):
        add_holiday(
            actor=world.national_admin,
            date=day,
            name="Libur uji",
            kind=kind,
            province=Region.objects.get(code=province) if province else None,
        )


def stored(report: Report) -> dict[str, Any]:
    r = fresh(report)
    return {name: getattr(r, name) for name in expected_deadlines(r, current_policy())}


def expected(report: Report) -> dict[str, Any]:
    return expected_deadlines(fresh(report), current_policy())


def test_the_calculator_agrees_with_expected_deadlines(world: World) -> None:
    reports = variety(world)
    holidays(world)
    assert {r.state for r in reports} == set(OPEN_STATES)
    calc = DeadlineCalculator(current_policy())
    for report in reports:
        light = Report.objects.only(*RECOMPUTE_FIELDS).get(pk=report.pk)
        assert calc.expected(light) == expected(report), report.state


def test_after_holidays_every_open_deadline_is_recomputed_once(world: World) -> None:
    reports = variety(world)
    with clock.at(wita(7)):
        finished = routed(world)
        services.post_answer(actor=world.city_admin, report=finished, message="Selesai.")
        services.confirm_report(actor=world.reporter, report=finished)
    closed = Report.objects.filter(pk=finished.pk).values().get()
    holidays(world)
    stale = [r for r in reports if stored(r) != expected(r)]
    assert len(stale) >= 10
    events_before = ReportEvent.objects.count()

    changed = services.recompute_open_deadlines(reason="Kalender berubah.")

    assert changed == len(stale)
    assert ReportEvent.objects.count() == events_before + changed
    for report in reports:
        assert stored(report) == expected(report)
        assert_sequences_intact(report)
        after = fresh(report)
        schedule = sweep_schedule(after)
        assert {k: getattr(after, k) for k in schedule} == schedule
    for report in stale:
        event = ReportEvent.objects.filter(report=report).latest("sequence")
        assert (event.action, event.actor, event.actor_role) == (
            "deadlines_recomputed",
            None,
            "system",
        )
        moved = {k for k in event.data if k != "actor"}
        assert moved and all(k.endswith("_due_at") for k in moved)
        for name in moved:
            assert event.data[name]["to"] == getattr(fresh(report), name).isoformat()
    assert Report.objects.filter(pk=finished.pk).values().get() == closed
    assert services.recompute_open_deadlines(reason="Sekali lagi.") == 0


def test_missing_warning_points_are_filled_in_silently(world: World) -> None:
    reports = [routed(world) for _ in range(3)]
    # As the upgrade leaves reports that existed before the sweeper: no warning point.
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        deadline_warn_at=None, next_sweep_at=None
    )
    assert services.recompute_open_deadlines(reason="Pemutakhiran.") == 0
    for report in reports:
        after = fresh(report)
        assert after.deadline_warn_at == datetime(
            2026, 7, 22, 0, 0, tzinfo=ZoneInfo("Asia/Makassar")
        )
        assert after.next_sweep_at == after.deadline_warn_at
        assert after.last_event_sequence == report.last_event_sequence


def test_a_deadline_moved_past_now_lifts_the_flag_and_nothing_repeats(world: World) -> None:
    report = routed(world)  # due Fri 24 July
    sweep_at = wita(27, 9)
    with clock.at(sweep_at):
        Sweeper().run_pass()
    assert fresh(report).overdue_stage == "completion"
    add_holiday(actor=world.national_admin, date=date(2026, 7, 15), name="Libur", kind="national")
    with clock.at(wita(27, 10)):
        assert services.recompute_open_deadlines(reason="Libur baru.") == 1
    after = fresh(report)
    assert after.completion_due_at == datetime(2026, 7, 27, 15, 59, 59, 999999, tzinfo=UTC)
    assert (after.overdue_stage, after.overdue_since) == ("", None)
    with clock.at(wita(27, 11)):
        Sweeper().run_pass()  # yellow again: the warning of the moved deadline
    with clock.at(wita(28, 9)):
        Sweeper().run_pass()  # red again: flagged, nothing repeated
    assert swept(report) == ["overdue", "ombudsman_offered", "deadline_warning"]
    again = fresh(report)
    assert (again.overdue_stage, again.overdue_since) == ("completion", after.completion_due_at)


def _queries_for_recompute(world: World, count: int, day: date) -> tuple[int, int]:
    with clock.at(wita(6)):
        for _ in range(count):
            routed(world)
    add_holiday(actor=world.national_admin, date=day, name="Libur", kind="national")
    with CaptureQueriesContext(connection) as queries:
        changed = services.recompute_open_deadlines(reason="Uji.")
    return changed, len(queries)


def test_the_recompute_costs_the_same_queries_for_few_or_many_reports(world: World) -> None:
    few, few_queries = _queries_for_recompute(world, 3, date(2026, 7, 15))
    many, many_queries = _queries_for_recompute(world, 40, date(2026, 7, 17))
    assert (few, many) == (3, 43)
    assert many_queries == few_queries


def test_the_recompute_event_is_queued_with_it_and_announced_by_the_worker(
    world: World,
) -> None:
    report = routed(world)
    add_holiday(actor=world.national_admin, date=date(2026, 7, 15), name="Libur", kind="national")
    run_announcements()  # what came before the recompute
    received: list[int] = []

    def receiver(sender: Any, event_id: int, **kwargs: Any) -> None:
        received.append(event_id)

    from lapor.reports.signals import report_event_recorded

    report_event_recorded.connect(receiver, dispatch_uid="test-recompute-receiver")
    try:
        services.recompute_open_deadlines(reason="Uji.")
        assert received == []
        queued = queued_announcements()
        run_announcements()
    finally:
        report_event_recorded.disconnect(dispatch_uid="test-recompute-receiver")
    event = ReportEvent.objects.filter(report=report).latest("sequence")
    assert received == [event.pk]
    assert queued == [[event.pk]]
    assert (
        Counter(ReportEvent.objects.values_list("action", flat=True))["deadlines_recomputed"] == 1
    )
    assert SYSTEM.name == event.data["actor"]
