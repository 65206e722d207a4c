"""Deadline rules: which limit applies to which stage, in which calendar and zone.

Every number comes from the one DeadlinePolicy row. Deadlines are the end of the Nth working day
in the responsible institution's time zone, counting from the working day after the event
(lapor.workdays.services.deadline_at).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from lapor.institutions import refcache
from lapor.institutions.models import WIB, Institution
from lapor.lib import memo
from lapor.reports.models import DeadlinePolicy, Report, State
from lapor.workdays.calendar import WorkCalendar
from lapor.workdays.services import deadline_at, get_calendar

# The stages a report's clock runs in (stage_clock, the sweeper, DeadlineMark.stage).
VERIFICATION = "verification"
CLARIFICATION = "clarification"
COMPLETION = "completion"
REPORTER_WINDOW = "reporter_window"
# Stages where the institution owes work: warned at the policy's share, flagged red at 100 %.
# In the other two the reporter is awaited, and the deadline passing ends the report.
WARNED_STAGES = frozenset({VERIFICATION, COMPLETION})


def current_policy() -> DeadlinePolicy:
    # One copy per request (memo) of the row each process keeps until it changes (refcache).
    return memo.remember(
        "deadline-policy", lambda: refcache.remember("deadline-policy", _load_policy)
    )


def _load_policy() -> DeadlinePolicy:
    policy, _ = DeadlinePolicy.objects.get_or_create(pk=1)
    return policy


def zone_of(institution: Institution | None) -> tuple[str, str | None]:
    """(time zone, province code for regional holidays). The national queue counts in WIB."""
    if institution is None:
        return WIB, None
    return institution.effective_timezone, institution.province_code


def deadline_for(institution: Institution | None, start: datetime, days: int) -> datetime:
    tz, province = zone_of(institution)
    return deadline_at(start, days, tz=tz, province_code=province)


def warning_days(limit: int, percent: int) -> int:
    """Working days elapsed at which a stage of `limit` days turns yellow: the first whole
    number with elapsed * 100 >= limit * percent (stage_clock's rule)."""
    return -(-limit * percent // 100)


def warning_for(
    institution: Institution | None, start: datetime, limit: int, policy: DeadlinePolicy
) -> datetime:
    """The instant a stage started at `start` with `limit` working days turns yellow: the start
    (local midnight, in UTC) of the working day on which stage_clock first counts enough
    elapsed days. Before it the stage is green, from it on yellow."""
    tz, province = zone_of(institution)
    zone = ZoneInfo(tz)
    days = warning_days(limit, policy.warning_percent)
    day = get_calendar(province).add_working_days(start.astimezone(zone).date(), days)
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def expected_deadlines(report: Report, policy: DeadlinePolicy) -> dict[str, datetime | None]:
    """The deadlines the report's open stage should have, from its stored start points, and the
    stage's warning point (`deadline_warn_at`, None when the stage has no warning).

    Used after every move and when the holiday table changes, so both agree by construction
    (the bulk recompute, services.deadlines.DeadlineCalculator, is tested against this).
    """
    queue, responsible = report.queue_institution, report.responsible_institution
    due: dict[str, datetime | None] = {"deadline_warn_at": None}
    if report.state == State.AWAITING_VERIFICATION and report.verification_started_at:
        start, days = report.verification_started_at, policy.verification_days
        due["verification_due_at"] = deadline_for(queue, start, days)
        due["deadline_warn_at"] = warning_for(queue, start, days, policy)
    if report.state == State.ON_HOLD and report.held_at:
        due["clarification_due_at"] = deadline_for(queue, report.held_at, policy.clarification_days)
    if report.state in (State.ROUTED, State.IN_PROGRESS) and report.routed_at:
        if report.first_response_at is None:
            due["first_response_due_at"] = deadline_for(
                responsible, report.routed_at, policy.first_response_days
            )
        days = policy.completion_days(report.resolution_class) + report.extension_days
        due["completion_due_at"] = deadline_for(responsible, report.routed_at, days)
        due["deadline_warn_at"] = warning_for(responsible, report.routed_at, days, policy)
    if report.state == State.ANSWERED and report.answered_at:
        due["reporter_window_due_at"] = deadline_for(
            responsible, report.answered_at, policy.reporter_window_days
        )
    return due


@dataclass(frozen=True)
class OpenStage:
    """The stage whose clock runs now, read from the stored fields alone (no policy, no query)."""

    name: str
    started_at: datetime
    due_at: datetime
    warn_at: datetime | None  # only for WARNED_STAGES


def open_stage(report: Report) -> OpenStage | None:
    """The report's running stage clock, or None (closed, or no clock stored)."""
    r = report
    if r.state == State.AWAITING_VERIFICATION:
        name, started_at, due_at = VERIFICATION, r.verification_started_at, r.verification_due_at
    elif r.state == State.ON_HOLD:
        name, started_at, due_at = CLARIFICATION, r.held_at, r.clarification_due_at
    elif r.state in (State.ROUTED, State.IN_PROGRESS):
        name, started_at, due_at = COMPLETION, r.routed_at, r.completion_due_at
    elif r.state == State.ANSWERED:
        name, started_at, due_at = REPORTER_WINDOW, r.answered_at, r.reporter_window_due_at
    else:
        return None
    if started_at is None or due_at is None:
        return None
    warn_at = r.deadline_warn_at if name in WARNED_STAGES else None
    return OpenStage(name, started_at, due_at, warn_at)


def sweep_schedule(report: Report) -> dict[str, Any]:
    """The sweeper bookkeeping the report's stored deadlines call for: `next_sweep_at` and the
    overdue flag. Pure; every write of a report applies it (services._base.write_event).

    The flag stays only while it names the current stage and deadline; any other change clears
    it and the sweeper looks again (its marks keep it from repeating an action). Once the
    sweeper handled the warning of a deadline it waits for that deadline (next == due).
    """
    stage = open_stage(report)
    if stage is None:
        return {"next_sweep_at": None, "overdue_stage": "", "overdue_since": None}
    if report.overdue_stage == stage.name and report.overdue_since == stage.due_at:
        return {"next_sweep_at": None}
    warn = stage.warn_at
    if warn is None or warn >= stage.due_at or report.next_sweep_at == stage.due_at:
        upcoming = stage.due_at
    else:
        upcoming = warn
    return {"next_sweep_at": upcoming, "overdue_stage": "", "overdue_since": None}


@dataclass(frozen=True)
class StageClock:
    """Where the current stage stands: green, yellow (past the warning share) or red (overdue)."""

    stage: str
    started_at: datetime
    due_at: datetime
    limit_days: int
    elapsed_days: int
    colour: str


def stage_clock(
    report: Report,
    policy: DeadlinePolicy,
    now: datetime,
    *,
    calendars: dict[str | None, WorkCalendar] | None = None,
) -> StageClock | None:
    """The clock of the report's open stage, or None when no clock runs (closed, or no start).

    Pass one `calendars` dict when computing many clocks in one request (a list page): each
    province's calendar is then looked up once, not once per report.
    """
    stage = _current_stage(report, policy)
    if stage is None:
        return None
    name, started_at, due_at, limit, institution = stage
    tz, province = zone_of(institution)
    zone = ZoneInfo(tz)
    if calendars is None:
        calendar = get_calendar(province)
    elif (calendar := calendars.get(province)) is None:  # type: ignore[assignment]
        calendar = calendars[province] = get_calendar(province)
    elapsed = calendar.working_days_between(
        started_at.astimezone(zone).date(), now.astimezone(zone).date()
    )
    if now > due_at:
        colour = "red"
    elif elapsed * 100 >= limit * policy.warning_percent:
        colour = "yellow"
    else:
        colour = "green"
    return StageClock(name, started_at, due_at, limit, max(elapsed, 0), colour)


def _current_stage(
    report: Report, policy: DeadlinePolicy
) -> tuple[str, datetime, datetime, int, Institution | None] | None:
    stage = open_stage(report)
    if stage is None:
        return None
    r = report
    # Only the institution the stage needs is touched (a list page may not have joined both).
    if stage.name == VERIFICATION:
        limit, institution = policy.verification_days, r.queue_institution
    elif stage.name == CLARIFICATION:
        limit, institution = policy.clarification_days, r.queue_institution
    elif stage.name == COMPLETION:
        limit = policy.completion_days(r.resolution_class) + r.extension_days
        institution = r.responsible_institution
    else:
        limit, institution = policy.reporter_window_days, r.responsible_institution
    return (stage.name, stage.started_at, stage.due_at, limit, institution)
