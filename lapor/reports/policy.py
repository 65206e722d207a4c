"""Deadline rules: which limit applies to which stage, in which calendar and zone.

Every number comes from the one DeadlinePolicy row. Deadlines are the end of the Nth working day
in the responsible institution's time zone, counting from the working day after the event
(lapor.workdays.services.deadline_at).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from lapor.institutions.models import WIB, Institution
from lapor.reports.models import DeadlinePolicy, Report, State
from lapor.workdays.calendar import WorkCalendar
from lapor.workdays.services import deadline_at, get_calendar


def current_policy() -> DeadlinePolicy:
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


def expected_deadlines(report: Report, policy: DeadlinePolicy) -> dict[str, datetime | None]:
    """The deadlines the report's open stage should have, from its stored start points.

    Used after every move and when the holiday table changes, so both agree by construction.
    """
    queue, responsible = report.queue_institution, report.responsible_institution
    due: dict[str, datetime | None] = {}
    if report.state == State.AWAITING_VERIFICATION and report.verification_started_at:
        due["verification_due_at"] = deadline_for(
            queue, report.verification_started_at, policy.verification_days
        )
    if report.state == State.ON_HOLD and report.held_at:
        due["clarification_due_at"] = deadline_for(queue, report.held_at, policy.clarification_days)
    if report.state in (State.ROUTED, State.IN_PROGRESS) and report.routed_at:
        if report.first_response_at is None:
            due["first_response_due_at"] = deadline_for(
                responsible, report.routed_at, policy.first_response_days
            )
        days = policy.completion_days(report.resolution_class) + report.extension_days
        due["completion_due_at"] = deadline_for(responsible, report.routed_at, days)
    if report.state == State.ANSWERED and report.answered_at:
        due["reporter_window_due_at"] = deadline_for(
            responsible, report.answered_at, policy.reporter_window_days
        )
    return due


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
    r = report
    if (
        r.state == State.AWAITING_VERIFICATION
        and r.verification_started_at
        and r.verification_due_at
    ):
        return (
            "verification",
            r.verification_started_at,
            r.verification_due_at,
            policy.verification_days,
            r.queue_institution,
        )
    if r.state == State.ON_HOLD and r.held_at and r.clarification_due_at:
        return (
            "clarification",
            r.held_at,
            r.clarification_due_at,
            policy.clarification_days,
            r.queue_institution,
        )
    if r.state in (State.ROUTED, State.IN_PROGRESS) and r.routed_at and r.completion_due_at:
        limit = policy.completion_days(r.resolution_class) + r.extension_days
        return ("completion", r.routed_at, r.completion_due_at, limit, r.responsible_institution)
    if r.state == State.ANSWERED and r.answered_at and r.reporter_window_due_at:
        return (
            "reporter_window",
            r.answered_at,
            r.reporter_window_due_at,
            policy.reporter_window_days,
            r.responsible_institution,
        )
    return None
