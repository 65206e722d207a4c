"""The deadline sweeper, in process: which threshold fires when, once, with which event.

Dates: every flow starts on Monday 6 July 2026 at Pemkot Samarinda (WITA, UTC+8) unless a test
says otherwise; the test holiday table is empty, so the working days after it are
  1 Tue 7, 2 Wed 8, 3 Thu 9, 4 Fri 10, 5 Mon 13, ..., 10 Mon 20, 11 Tue 21, 12 Wed 22, 14 Fri 24.
Verification (3 days) turns yellow at the start of Thu 9 (80 % of 3 is 2.4: the 3rd day) and
red after Thu 9; completion (14 days) yellow from Wed 22 (11.2: the 12th day), red after Fri 24;
the clarification and reporter windows (10 days) end with Mon 20.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import OperationalError

from lapor.lib import clock
from lapor.reports import services, sweeps
from lapor.reports.actors import SYSTEM
from lapor.reports.errors import InvalidTransition, NotAllowed
from lapor.reports.models import (
    ArchiveReason,
    Assignment,
    DeadlineMark,
    Report,
    ReportEvent,
    State,
)
from lapor.reports.policy import current_policy, stage_clock
from lapor.reports.signals import report_event_recorded
from lapor.reports.sweeps import PassResult, Sweeper
from tests.factories import World, fresh, submit
from tests.outbox import queued_announcements, run_announcements
from tests.reports.lifecycle import route_to_city

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 7, 6, 9, 0, tzinfo=WITA)
SWEEP_ACTIONS = {
    "deadline_warning",
    "overdue",
    "ombudsman_offered",
    "expire_hold",
    "close_after_window",
}


def wita(day: int, hour: int = 9, minute: int = 0, month: int = 7) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def sweep(moment: datetime, **options: Any) -> PassResult:
    with clock.at(moment):
        return Sweeper(**options).run_pass()


def swept(report: Report) -> list[str]:
    """The sweeper's events on the report, in order."""
    return list(
        ReportEvent.objects.filter(report=report, action__in=SWEEP_ACTIONS)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def waiting(world: World, start: datetime = MONDAY) -> Report:
    with clock.at(start):
        report, _ = submit(world, suggested_institution_id=world.city.pk)
    return fresh(report)


def routed(world: World, start: datetime = MONDAY, **route: Any) -> Report:
    with clock.at(start):
        report, _ = submit(world, suggested_institution_id=world.city.pk)
        route_to_city(world, report)
    return fresh(report)


def answered(world: World, start: datetime = MONDAY) -> tuple[Report, Any]:
    with clock.at(start):
        report, reporter = submit(world, suggested_institution_id=world.city.pk)
        route_to_city(world, report)
        services.post_answer(actor=world.city_admin, report=report, message="Sudah diperbaiki.")
    return fresh(report), reporter


def held(world: World, start: datetime = MONDAY) -> Report:
    with clock.at(start):
        report, _ = submit(world, suggested_institution_id=world.city.pk)
        services.hold_report(actor=world.city_admin, report=report, question="Di mana?")
    return fresh(report)


def assert_sequences_intact(report: Report) -> None:
    sequences = list(
        ReportEvent.objects.filter(report=report)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, len(sequences) + 1))
    assert fresh(report).last_event_sequence == len(sequences)


# --- the schedule every move keeps ----------------------------------------------------------


def test_a_new_report_is_queued_at_its_warning_point(world: World) -> None:
    report = waiting(world)
    assert report.verification_due_at == datetime(2026, 7, 9, 15, 59, 59, 999999, tzinfo=UTC)
    assert report.deadline_warn_at == datetime(2026, 7, 8, 16, 0, tzinfo=UTC)  # Thu 9, 00:00 WITA
    assert report.next_sweep_at == report.deadline_warn_at
    assert (report.overdue_stage, report.overdue_since) == ("", None)


def test_the_warning_point_is_where_stage_clock_turns_yellow(world: World) -> None:
    report = routed(world)
    warn = report.deadline_warn_at
    assert warn == datetime(2026, 7, 22, 0, 0, tzinfo=WITA)
    policy = current_policy()
    before = stage_clock(report, policy, warn - timedelta(microseconds=1))
    at = stage_clock(report, policy, warn)
    assert before is not None and at is not None
    assert (before.colour, at.colour) == ("green", "yellow")


@pytest.mark.parametrize("percent", [50, 80, 99])
def test_the_warning_point_follows_the_policy(world: World, percent: int) -> None:
    policy = current_policy()
    policy.warning_percent = percent
    policy.save()
    report = routed(world)
    # 14 days: 7 (50 %), 11.2 -> 12 (80 %), 13.86 -> 14 (99 %) working days after Mon 6 July.
    day = {50: 15, 80: 22, 99: 24}[percent]
    assert report.deadline_warn_at == datetime(2026, 7, day, 0, 0, tzinfo=WITA)


# --- each threshold once --------------------------------------------------------------------


def test_verification_warns_then_flags_overdue_each_once(world: World) -> None:
    report = waiting(world)
    assert sweep(wita(8, 23, 59)).reports == 0  # Wed 8: still green
    assert swept(report) == []

    result = sweep(wita(9, 0, 1))  # Thu 9: yellow
    assert result.recorded == Counter({"deadline_warning": 1})
    sweep(wita(9, 12))
    assert swept(report) == ["deadline_warning"]
    warning = ReportEvent.objects.get(report=report, action="deadline_warning")
    assert (warning.actor, warning.actor_role, warning.is_public) == (None, "system", False)
    assert warning.from_state == warning.to_state == State.AWAITING_VERIFICATION
    assert warning.data == {
        "stage": "verification",
        "due_at": report.verification_due_at.isoformat(),
        "actor": "system",
    }
    assert fresh(report).next_sweep_at == report.verification_due_at

    sweep(wita(10, 0, 1))  # Fri 10: red
    sweep(wita(10, 8))
    sweep(wita(13, 8))
    assert swept(report) == ["deadline_warning", "overdue"]
    overdue = ReportEvent.objects.get(report=report, action="overdue")
    assert overdue.is_public is False
    assert overdue.data["stage"] == "verification"
    after = fresh(report)
    assert (after.overdue_stage, after.overdue_since) == (
        "verification",
        report.verification_due_at,
    )
    assert after.next_sweep_at is None
    assert list(Report.objects.overdue()) == [after]
    assert DeadlineMark.objects.filter(report=report).count() == 2
    assert_sequences_intact(report)


def test_completion_warns_flags_and_offers_the_ombudsman_once(world: World) -> None:
    report = routed(world)
    sweep(wita(21, 23))
    assert swept(report) == []
    sweep(wita(22, 1))
    sweep(wita(24, 12))
    assert swept(report) == ["deadline_warning"]
    for day in (25, 27, 28):
        sweep(wita(day, 9))
    assert swept(report) == ["deadline_warning", "overdue", "ombudsman_offered"]
    offer = ReportEvent.objects.get(report=report, action="ombudsman_offered")
    assert offer.is_public is True
    assert "Ombudsman" in offer.message
    assert offer.data == {
        "completion_due_at": report.completion_due_at.isoformat(),
        "actor": "system",
    }
    assert fresh(report).overdue_stage == "completion"
    assert_sequences_intact(report)


def test_a_stage_found_past_its_deadline_is_flagged_without_a_warning_first(world: World) -> None:
    report = routed(world)
    sweep(wita(30))  # the sweeper did not run while the report went yellow, then red
    assert swept(report) == ["overdue", "ombudsman_offered"]
    sweep(wita(31))
    assert swept(report) == ["overdue", "ombudsman_offered"]


def test_no_offer_when_the_reporter_already_asked_for_the_hand_over(world: World) -> None:
    with clock.at(wita(6)):
        report, reporter = submit(world, suggested_institution_id=world.city.pk)
        route_to_city(world, report)
    with clock.at(wita(27)):
        services.consent_to_ombudsman(actor=reporter, report=report)
    sweep(wita(28))
    assert swept(report) == ["overdue"]


def test_a_held_report_is_archived_when_the_clarification_window_passes(world: World) -> None:
    report = held(world)
    assert report.next_sweep_at == report.clarification_due_at  # no warning while on hold
    sweep(wita(20, 23, 59))
    assert fresh(report).state == State.ON_HOLD
    result = sweep(wita(21, 0, 1))
    assert result.recorded == Counter({"expire_hold": 1})
    after = fresh(report)
    assert (after.state, after.archive_reason) == (State.ARCHIVED, ArchiveReason.NO_CLARIFICATION)
    assert after.closed_at == wita(21, 0, 1)
    assert after.next_sweep_at is None
    event = ReportEvent.objects.get(report=report, action="expire_hold")
    assert (event.from_state, event.to_state, event.is_public) == (
        State.ON_HOLD,
        State.ARCHIVED,
        True,
    )
    assert not Assignment.objects.filter(report=report, ended_at__isnull=True).exists()
    sweep(wita(22))
    assert swept(report) == ["expire_hold"]


def test_an_answered_report_closes_when_the_reporter_window_passes(world: World) -> None:
    report, _ = answered(world)
    assert report.next_sweep_at == report.reporter_window_due_at
    sweep(wita(20, 12))
    assert fresh(report).state == State.ANSWERED
    sweep(wita(21, 0, 1))
    sweep(wita(22))
    after = fresh(report)
    assert (after.state, after.closed_at) == (State.FINISHED, wita(21, 0, 1))
    assert swept(report) == ["close_after_window"]
    assert_sequences_intact(report)


def test_closed_and_escalated_reports_are_left_alone(world: World) -> None:
    finished, reporter = answered(world)
    with clock.at(wita(7)):
        services.confirm_report(actor=reporter, report=finished)
    archived = waiting(world)
    with clock.at(wita(7)):
        services.archive_report(actor=world.city_admin, report=archived, reason_code="spam")
    with clock.at(wita(6)):
        escalated, owner = submit(world, suggested_institution_id=world.city.pk)
        route_to_city(world, escalated)
    with clock.at(wita(27)):
        services.consent_to_ombudsman(actor=owner, report=escalated)
        services.escalate_to_ombudsman(actor=world.national_admin, report=escalated)
    for report in (finished, archived, escalated):
        assert fresh(report).next_sweep_at is None
    assert sweep(wita(31, month=12)).reports == 0
    for report in (finished, archived, escalated):
        assert swept(report) == []
    assert fresh(escalated).overdue_since is None


# --- time zones -------------------------------------------------------------------------------


def test_a_wita_report_is_overdue_at_the_end_of_the_wita_day_not_the_wib_one(world: World) -> None:
    # Both routed on Monday 6 July (10:00 WITA = 09:00 WIB): 14 working days end on Friday 24
    # July in each zone, which is 16:00 UTC for Samarinda and 17:00 UTC for the ministry.
    with clock.at(wita(6, 10)):
        city, _ = submit(world)
        ministry, _ = submit(world)
        route_to_city(world, city, actor=world.national_admin)
        world.route(ministry, world.ministry)
    sweep(datetime(2026, 7, 24, 15, 59, 59, tzinfo=UTC))
    assert "overdue" not in swept(city)
    sweep(datetime(2026, 7, 24, 16, 0, 0, 1, tzinfo=UTC))
    assert "overdue" in swept(city)
    assert "overdue" not in swept(ministry)
    assert fresh(city).overdue_since == datetime(2026, 7, 24, 15, 59, 59, 999999, tzinfo=UTC)
    sweep(datetime(2026, 7, 24, 17, 0, 0, 1, tzinfo=UTC))
    assert "overdue" in swept(ministry)
    assert fresh(ministry).overdue_since == datetime(2026, 7, 24, 16, 59, 59, 999999, tzinfo=UTC)


def test_the_warning_starts_at_local_midnight(world: World) -> None:
    with clock.at(wita(6, 10)):
        city, _ = submit(world)
        ministry, _ = submit(world)
        route_to_city(world, city, actor=world.national_admin)
        world.route(ministry, world.ministry)
    # Wed 22 July 00:00 WITA is Tue 21 July 16:00 UTC; in WIB it comes an hour later.
    sweep(datetime(2026, 7, 21, 16, 30, tzinfo=UTC))
    assert swept(city) == ["deadline_warning"]
    assert swept(ministry) == []
    sweep(datetime(2026, 7, 21, 17, 30, tzinfo=UTC))
    assert swept(ministry) == ["deadline_warning"]


# --- stages change ------------------------------------------------------------------------------


def test_a_new_stage_gets_its_own_thresholds_and_clears_the_flag(world: World) -> None:
    report = waiting(world)
    sweep(wita(10, 9))
    assert swept(report) == ["overdue"]
    assert Report.objects.overdue().filter(pk=report.pk).exists()
    with clock.at(wita(13, 9)):  # routed late: the completion clock starts on Mon 13
        route_to_city(world, report)
    after = fresh(report)
    assert (after.overdue_stage, after.overdue_since) == ("", None)
    assert not Report.objects.overdue().filter(pk=report.pk).exists()
    assert after.next_sweep_at == after.deadline_warn_at == datetime(2026, 7, 29, 0, 0, tzinfo=WITA)
    sweep(wita(29, 9))
    assert swept(report) == ["overdue", "deadline_warning"]
    sweep(wita(31, 9))  # due Fri 31 July
    sweep(wita(1, 9, month=8))
    assert swept(report) == ["overdue", "deadline_warning", "overdue", "ombudsman_offered"]
    stages = set(DeadlineMark.objects.filter(report=report).values_list("stage", "kind"))
    assert stages == {
        ("verification", "overdue"),
        ("completion", "deadline_warning"),
        ("completion", "overdue"),
        ("completion", "ombudsman_offered"),
    }
    assert_sequences_intact(report)


def test_the_flag_clears_when_the_report_is_answered(world: World) -> None:
    report = routed(world)
    sweep(wita(27))
    assert fresh(report).overdue_stage == "completion"
    with clock.at(wita(28)):
        services.post_answer(actor=world.city_admin, report=report, message="Selesai.")
    after = fresh(report)
    assert (after.overdue_stage, after.overdue_since) == ("", None)
    assert after.next_sweep_at == after.reporter_window_due_at
    assert not Report.objects.overdue().exists()


def test_a_reopened_report_is_flagged_again_without_repeating_its_events(world: World) -> None:
    with clock.at(wita(6)):
        report, reporter = submit(world, suggested_institution_id=world.city.pk)
        route_to_city(world, report)
    sweep(wita(22, 9))
    sweep(wita(27, 9))
    assert swept(report) == ["deadline_warning", "overdue", "ombudsman_offered"]
    with clock.at(wita(28)):
        services.post_answer(actor=world.city_admin, report=report, message="Selesai.")
        services.reopen_report(actor=reporter, report=report, message="Belum selesai.")
    assert fresh(report).overdue_since is None
    sweep(wita(29))
    # The completion clock kept running from the routing: the same stage, already acted on.
    assert swept(report) == ["deadline_warning", "overdue", "ombudsman_offered"]
    assert fresh(report).overdue_stage == "completion"
    assert Report.objects.overdue().filter(pk=report.pk).exists()
    assert_sequences_intact(report)


def test_a_report_handed_back_starts_a_new_verification_stage(world: World) -> None:
    report = waiting(world)
    sweep(wita(10))
    with clock.at(wita(13)):
        services.decline_report(actor=world.city_admin, report=report, reason="Bukan wewenang.")
    assert fresh(report).overdue_since is None
    sweep(wita(17))  # 3 working days after Mon 13: due Thu 16
    assert swept(report) == ["overdue", "overdue"]
    assert DeadlineMark.objects.filter(report=report, kind="overdue").count() == 2


def test_an_extension_moves_the_deadline_without_a_second_warning(world: World) -> None:
    report = routed(world)
    sweep(wita(22, 9))
    with clock.at(wita(23)):
        services.extend_deadline(actor=world.city_admin, report=report, days=5, reason="Cek.")
    after = fresh(report)
    assert after.completion_due_at == datetime(2026, 7, 31, 23, 59, 59, 999999, tzinfo=WITA)
    sweep(wita(30))
    assert swept(report) == ["deadline_warning"]
    sweep(wita(1, 9, month=8))
    assert swept(report) == ["deadline_warning", "overdue", "ombudsman_offered"]


# --- the services behind it ------------------------------------------------------------------


def test_the_single_report_services_refuse_early_and_repeated_actions(world: World) -> None:
    report = routed(world)
    with clock.at(wita(21)), pytest.raises(InvalidTransition):
        services.record_deadline_warning(actor=SYSTEM, report=report)
    with clock.at(wita(22, 9)):
        services.record_deadline_warning(actor=SYSTEM, report=report)
        with pytest.raises(InvalidTransition):
            services.record_deadline_warning(actor=SYSTEM, report=report)
        with pytest.raises(InvalidTransition):
            services.flag_overdue(actor=SYSTEM, report=report)
        with pytest.raises(InvalidTransition):
            services.offer_ombudsman(actor=SYSTEM, report=report)
        with pytest.raises(NotAllowed):
            services.flag_overdue(actor=world.city_admin, report=report)
    # The sweeper knows the warning was given, and a flag set by hand ends its work on the
    # stage (it offers the hand-over only together with the flag).
    sweep(wita(23))
    assert swept(report) == ["deadline_warning"]
    with clock.at(wita(27)):
        services.flag_overdue(actor=SYSTEM, report=report)
    sweep(wita(28))
    assert swept(report) == ["deadline_warning", "overdue"]
    assert fresh(report).next_sweep_at is None


COMPARED_REPORT_FIELDS = (
    "state",
    "archive_reason",
    "closed_at",
    "verification_due_at",
    "clarification_due_at",
    "first_response_due_at",
    "completion_due_at",
    "reporter_window_due_at",
    "deadline_warn_at",
    "next_sweep_at",
    "overdue_stage",
    "overdue_since",
    "last_event_sequence",
)
COMPARED_EVENT_FIELDS = (
    "sequence",
    "action",
    "actor_id",
    "actor_role",
    "from_state",
    "to_state",
    "reason",
    "message",
    "is_public",
    "data",
    "created_at",
)


def _outcome(report: Report) -> tuple[Any, ...]:
    row = Report.objects.filter(pk=report.pk).values(*COMPARED_REPORT_FIELDS).get()
    events = list(
        ReportEvent.objects.filter(report=report, sequence__gt=report.last_event_sequence)
        .order_by("sequence")
        .values(*COMPARED_EVENT_FIELDS)
    )
    hops = list(Assignment.objects.filter(report=report).values_list("ended_at", flat=True))
    return row, events, hops


@pytest.mark.parametrize(
    ("build", "moment", "single"),
    [
        ("held", wita(21), lambda r: [services.expire_hold(actor=SYSTEM, report=r)]),
        ("answered", wita(21), lambda r: [services.close_after_window(actor=SYSTEM, report=r)]),
        ("routed", wita(22), lambda r: [services.record_deadline_warning(actor=SYSTEM, report=r)]),
        (
            "routed",
            wita(27),
            lambda r: [
                services.flag_overdue(actor=SYSTEM, report=r),
                services.offer_ombudsman(actor=SYSTEM, report=r),
            ],
        ),
        ("waiting", wita(10), lambda r: [services.flag_overdue(actor=SYSTEM, report=r)]),
    ],
)
def test_the_bulk_sweep_writes_what_the_single_report_services_write(
    world: World, build: str, moment: datetime, single: Any
) -> None:
    makers = {
        "held": held,
        "answered": lambda w: answered(w)[0],
        "routed": routed,
        "waiting": waiting,
    }
    # Built one after the other at the same (fixed) moments: the same clocks, to the microsecond.
    by_sweeper = makers[build](world)
    sweep(moment)
    by_service = makers[build](world)
    with clock.at(moment):
        single(by_service)
    assert _outcome(by_sweeper) == _outcome(by_service)


# --- the pass -------------------------------------------------------------------------------


def test_a_pass_walks_the_queue_in_batches(world: World) -> None:
    reports = [routed(world) for _ in range(7)]
    result = sweep(wita(27), batch_size=3)
    assert (result.reports, result.batches) == (7, 3)
    assert result.recorded == Counter({"overdue": 7, "ombudsman_offered": 7})
    assert {r.pk for r in Report.objects.overdue()} == {r.pk for r in reports}


def test_the_command_prints_what_it_did(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    routed(world)
    held(world)
    with clock.at(wita(27)):
        call_command("sweep_deadlines", "--batch-size", "10")
    out = capsys.readouterr().out
    assert "Deadline sweep: 2 reports in 1 batches" in out
    assert "overdue=1 ombudsman_offered=1 expire_hold=1 close_after_window=0" in out


def test_the_database_going_away_is_retried_and_nothing_is_lost(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    reports = [routed(world) for _ in range(5)]
    real = sweeps.sweep_batch
    calls = Counter[str]()

    def flaky(**kwargs: Any) -> Any:
        calls["all"] += 1
        if calls["all"] in (2, 3):  # the second batch fails twice, then goes through
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(sweeps, "sweep_batch", flaky)
    waits: list[float] = []
    with caplog.at_level(logging.WARNING, logger="lapor.reports.sweeps"):
        result = sweep(wita(27), batch_size=2, sleep=waits.append)
    assert result.retries == 2
    assert waits == [1.0, 2.0]
    assert "Database unavailable during the deadline sweep" in caplog.text
    assert result.recorded == Counter({"overdue": 5, "ombudsman_offered": 5})
    for report in reports:
        assert swept(report) == ["overdue", "ombudsman_offered"]


def test_a_pass_gives_up_after_the_retry_window(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    routed(world)

    def down(**kwargs: Any) -> Any:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(sweeps, "sweep_batch", down)
    waits: list[float] = []
    with pytest.raises(OperationalError):
        sweep(wita(27), retry_for=10, sleep=waits.append)
    assert waits == [1.0, 2.0, 4.0]  # the next wait (8 s) would pass the 10 s window


def test_the_overdue_list_shows_the_longest_overdue_first(world: World) -> None:
    completion = routed(world)  # due Fri 24 July
    verification = waiting(world)  # due Thu 9 July
    closed = waiting(world)
    sweep(wita(27))
    with clock.at(wita(27, 10)):
        services.archive_report(actor=world.city_admin, report=closed, reason_code="spam")
    assert [r.pk for r in Report.objects.overdue()] == [verification.pk, completion.pk]


def test_every_event_of_a_sweep_is_queued_with_it_and_announced_by_the_worker(
    world: World,
) -> None:
    routed(world)
    held(world)
    run_announcements()  # what came before the sweep
    received: list[int] = []

    def broken(sender: Any, event_id: int, **kwargs: Any) -> None:
        raise RuntimeError("receiver down")

    def receiver(sender: Any, event_id: int, **kwargs: Any) -> None:
        received.append(event_id)

    report_event_recorded.connect(broken, dispatch_uid="test-sweep-broken")
    report_event_recorded.connect(receiver, dispatch_uid="test-sweep-receiver")
    try:
        result = sweep(wita(27))
        # The pass itself tells nobody: its events wait in the queue, committed with them.
        assert received == []
        queued = [pk for ids in queued_announcements() for pk in ids]
        run_announcements()
    finally:
        report_event_recorded.disconnect(dispatch_uid="test-sweep-broken")
        report_event_recorded.disconnect(dispatch_uid="test-sweep-receiver")
    swept_ids = ReportEvent.objects.filter(action__in=SWEEP_ACTIONS).values_list("pk", flat=True)
    assert sorted(received) == sorted(swept_ids) == sorted(queued)
    assert len(received) == sum(result.recorded.values()) == 3
