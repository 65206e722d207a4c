"""Deadline upkeep: recompute open deadlines after the calendar changed, in bulk.

A report's deadline depends only on its stage, the zone and province of the institution that
owns the stage, the local date the stage started and the number of days. So the open reports are
grouped by exactly that (and by their stored deadlines) in SQL, each group's deadlines are
computed once with the calendar, and only reports of groups whose stored values differ are read
and rewritten: under a row lock, in chunks, with set-based writes (services._bulk), one
`deadlines_recomputed` event for each report whose deadline moved.
"""

from __future__ import annotations

import threading
from array import array
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial, reduce
from operator import or_
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from lapor.institutions.models import WIB, Institution, Region
from lapor.lib import clock
from lapor.reports.actors import SYSTEM
from lapor.reports.models import OPEN_STATES, DeadlinePolicy, Report, State
from lapor.reports.outbox import queue_announcement
from lapor.reports.policy import current_policy, sweep_schedule, warning_days
from lapor.reports.services._base import actor_label, iso
from lapor.reports.services._bulk import insert_events, lock_reports, update_reports
from lapor.workdays.calendar import WorkCalendar
from lapor.workdays.services import get_calendar

WARN = "deadline_warn_at"


@dataclass(frozen=True)
class Stage:
    """Where one stage keeps its clock: the states, the start field, the institution whose zone
    and province count, and the stored fields the recompute compares."""

    name: str
    states: tuple[str, ...]
    start: str
    institution: str
    stored: tuple[str, ...]


STAGES = (
    Stage(
        "verification",
        (State.AWAITING_VERIFICATION,),
        "verification_started_at",
        "queue_institution",
        ("verification_due_at", WARN),
    ),
    Stage(
        "clarification",
        (State.ON_HOLD,),
        "held_at",
        "queue_institution",
        ("clarification_due_at", WARN),
    ),
    Stage(
        "completion",
        (State.ROUTED, State.IN_PROGRESS),
        "routed_at",
        "responsible_institution",
        ("first_response_due_at", "completion_due_at", WARN),
    ),
    Stage(
        "reporter_window",
        (State.ANSWERED,),
        "answered_at",
        "responsible_institution",
        ("reporter_window_due_at", WARN),
    ),
)
STAGE_OF_STATE = {state: stage for stage in STAGES for state in stage.states}


class DeadlineCalculator:
    """policy.expected_deadlines for many reports: each institution's zone and province, each
    province's calendar and each (zone, province, local start date, days) is computed once.

    Must agree with expected_deadlines exactly (tests compare them on every kind of report).
    """

    def __init__(self, policy: DeadlinePolicy) -> None:
        self.policy = policy
        self._places: dict[int, tuple[str, str | None]] | None = None
        self._calendars: dict[str | None, WorkCalendar] = {}
        self._instants: dict[tuple[str, str | None, date, int, bool], datetime] = {}
        self._groups: dict[tuple[Any, ...], dict[str, datetime | None]] = {}
        self._zones: dict[str, ZoneInfo] = {}

    def place(self, institution_id: int | None) -> tuple[str, str | None]:
        """(time zone, province code) of an institution, as policy.zone_of; None: the national
        queue (WIB, national holidays only)."""
        if institution_id is None:
            return WIB, None
        if self._places is None or institution_id not in self._places:
            # All of them at once (about a thousand rows); again if one was created since.
            rows = Institution.objects.select_related("region__province").only(
                "timezone", "region__code", "region__timezone", "region__province__timezone"
            )
            self._places = {i.pk: (i.effective_timezone, i.province_code) for i in rows}
        return self._places[institution_id]

    def _instant(self, tz: str, province: str | None, day: date, days: int, end: bool) -> datetime:
        key = (tz, province, day, days, end)
        found = self._instants.get(key)
        if found is None:
            calendar = self._calendars.get(province)
            if calendar is None:
                calendar = self._calendars[province] = get_calendar(province)
            target = calendar.add_working_days(day, days)
            zone = ZoneInfo(tz)
            if end:  # the last microsecond of the day (workdays.services.deadline_at)
                midnight = datetime.combine(target + timedelta(days=1), time.min, tzinfo=zone)
                found = midnight.astimezone(UTC) - timedelta(microseconds=1)
            else:  # its first instant (policy.warning_for)
                found = datetime.combine(target, time.min, tzinfo=zone).astimezone(UTC)
            self._instants[key] = found
        return found

    def for_group(
        self,
        stage: Stage,
        tz: str,
        province: str | None,
        day: date,
        resolution_class: str = "",
        extension_days: int = 0,
        first_response_open: bool = False,
    ) -> dict[str, datetime | None]:
        """The expected stored values of a stage started on local `day` in (tz, province)."""
        policy, end = self.policy, partial(self._instant, tz, province, day)
        if stage.name == "verification":
            days = policy.verification_days
            warn = end(warning_days(days, policy.warning_percent), False)
            return {"verification_due_at": end(days, True), WARN: warn}
        if stage.name == "clarification":
            return {"clarification_due_at": end(policy.clarification_days, True), WARN: None}
        if stage.name == "reporter_window":
            return {"reporter_window_due_at": end(policy.reporter_window_days, True), WARN: None}
        days = policy.completion_days(resolution_class) + extension_days
        due: dict[str, datetime | None] = {}
        if first_response_open:
            due["first_response_due_at"] = end(policy.first_response_days, True)
        due["completion_due_at"] = end(days, True)
        due[WARN] = end(warning_days(days, policy.warning_percent), False)
        return due

    def expected(self, report: Report) -> dict[str, datetime | None]:
        """expected_deadlines(report, policy), from the report's own columns (no joins)."""
        stage = STAGE_OF_STATE.get(report.state)
        start = getattr(report, stage.start) if stage else None
        if stage is None or start is None:
            return {WARN: None}
        tz, province = self.place(getattr(report, f"{stage.institution}_id"))
        day = start.astimezone(self._zone(tz)).date()
        key = (
            stage.name,
            tz,
            province,
            day,
            report.resolution_class,
            report.extension_days,
            report.first_response_at is None,
        )
        found = self._groups.get(key)
        if found is None:
            found = self._groups[key] = self.for_group(stage, *key[1:])
        return dict(found)

    def _zone(self, tz: str) -> ZoneInfo:
        zone = self._zones.get(tz)
        if zone is None:
            zone = self._zones[tz] = ZoneInfo(tz)
        return zone


# --- finding what is stale, in SQL -------------------------------------------------------------


def _zones() -> list[str]:
    found = set(Institution.objects.exclude(timezone="").values_list("timezone", flat=True))
    found |= set(Region.objects.values_list("timezone", flat=True))
    return sorted(found | {WIB})


def _groups(stage: Stage) -> QuerySet[Report, dict[str, Any]]:
    """One row per (zone, province, local start date, days inputs, stored values) of `stage`."""
    inst = stage.institution
    zone = Coalesce(
        NullIf(F(f"{inst}__timezone"), Value("")),
        F(f"{inst}__region__province__timezone"),
        F(f"{inst}__region__timezone"),
        Value(WIB),
    )
    province_region = Coalesce(F(f"{inst}__region__province_id"), F(f"{inst}__region_id"))
    local_day = Case(
        *(When(zone=z, then=TruncDate(stage.start, tzinfo=ZoneInfo(z))) for z in _zones()),
        default=TruncDate(stage.start, tzinfo=ZoneInfo(WIB)),
    )
    rows = Report.objects.filter(state__in=stage.states, **{f"{stage.start}__isnull": False})
    rows = rows.annotate(zone=zone, province_region=province_region).annotate(local_day=local_day)
    inputs: tuple[str, ...] = ()
    if stage.name == "completion":
        fr_open = ExpressionWrapper(Q(first_response_at__isnull=True), output_field=BooleanField())
        rows = rows.annotate(fr_open=fr_open)
        inputs = ("resolution_class", "extension_days", "fr_open")
    return (
        rows.values("zone", "province_region", "local_day", *inputs, *stage.stored)
        .annotate(n=Count("id"))
        .order_by()
    )


def _province_codes() -> dict[int, str]:
    return {pk: code.split(".")[0] for pk, code in Region.objects.values_list("pk", "code")}


def _stale_filter(stage: Stage, calc: DeadlineCalculator) -> Q | None:
    """A filter that catches every report of `stage` whose stored values are not the expected
    ones (and possibly a few more: each is checked again under its lock)."""
    codes = _province_codes()
    stale: dict[str, set[datetime | None]] = {}
    for group in _groups(stage).iterator(chunk_size=2000):
        province = codes.get(group["province_region"]) if group["province_region"] else None
        expected = calc.for_group(
            stage,
            group["zone"],
            province,
            group["local_day"],
            group.get("resolution_class", ""),
            group.get("extension_days", 0),
            bool(group.get("fr_open", False)),
        )
        for name, value in expected.items():
            if group[name] != value:
                # Select the whole group by the stored value that is wrong.
                stale.setdefault(name, set()).add(group[name])
    parts = []
    for name, values in stale.items():
        known = [v for v in values if v is not None]
        if known:
            parts.append(Q(**{f"{name}__in": known}))
        if None in values:
            parts.append(Q(**{f"{name}__isnull": True}))
    if not parts:
        return None
    return Q(state__in=stage.states) & reduce(or_, parts)


# --- rewriting, under the lock ----------------------------------------------------------------

# What the recompute reads of a report (its deadlines, their inputs and the sweep bookkeeping).
RECOMPUTE_FIELDS = (
    "id",
    "state",
    "queue_institution_id",
    "responsible_institution_id",
    "resolution_class",
    "extension_days",
    "last_event_sequence",
    "verification_started_at",
    "verification_due_at",
    "held_at",
    "clarification_due_at",
    "routed_at",
    "first_response_at",
    "first_response_due_at",
    "completion_due_at",
    "answered_at",
    "reporter_window_due_at",
    WARN,
    "next_sweep_at",
    "overdue_stage",
    "overdue_since",
)
DUE_FIELDS = (
    "verification_due_at",
    "clarification_due_at",
    "first_response_due_at",
    "completion_due_at",
    "reporter_window_due_at",
)
# Written for every rewritten report (the values it already has where nothing changed).
WRITTEN = (*DUE_FIELDS, WARN, "next_sweep_at", "overdue_stage", "overdue_since")


def recompute_open_deadlines(*, reason: str, batch_size: int = 2000, workers: int = 2) -> int:
    """Recompute every open report's current deadline; record an event on each one that moved.

    Safe to run twice (a second run finds nothing to change) and in batches, each its own
    transaction, so a crash half-way loses nothing: the next run finishes the rest. Warning
    points and the sweeper's bookkeeping are brought in step silently. Returns how many reports
    changed. Side effects: `report_event_recorded` for every event, after commit.

    On PostgreSQL, outside any transaction, `workers` threads (each with its own connection)
    rewrite the chunks side by side: one prepares its chunk while the database writes another's.
    """
    calc = DeadlineCalculator(current_policy())
    parts = [f for stage in STAGES if (f := _stale_filter(stage, calc)) is not None]
    if not parts:
        return 0
    candidates = Report.objects.filter(reduce(or_, parts)).order_by("pk")
    ids = array("q", candidates.values_list("pk", flat=True).iterator(chunk_size=10000))
    chunks = [list(ids[start : start + batch_size]) for start in range(0, len(ids), batch_size)]
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    if workers > 1 and parallel and len(chunks) > 1:
        return _rewrite_in_threads(chunks, calc, reason, workers)
    return sum(_rewrite(chunk, calc, reason) for chunk in chunks)


def _rewrite_in_threads(
    chunks: list[list[int]], calc: DeadlineCalculator, reason: str, workers: int
) -> int:
    # Chunks are disjoint, so the threads never wait on each other's row locks.
    changed = [0] * workers
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for chunk in chunks[k::workers]:
                if errors:
                    return
                changed[k] += _rewrite(chunk, calc, reason)
        except BaseException as error:  # handed to the caller below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(changed)


class _Row:
    """A report's recompute columns, read without a model instance (RECOMPUTE_FIELDS)."""

    __slots__ = RECOMPUTE_FIELDS

    def __init__(self, values: tuple[Any, ...]) -> None:
        for name, value in zip(RECOMPUTE_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return int(self.id)  # type: ignore[attr-defined]


def _rewrite(ids: list[int], calc: DeadlineCalculator, reason: str) -> int:
    now, touched, label = clock.now(), timezone.now(), actor_label(SYSTEM)
    events: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    with transaction.atomic():
        for values in lock_reports(RECOMPUTE_FIELDS, ids, sorted(OPEN_STATES)):
            # Read like a Report by expected() and sweep_schedule(), which only read fields.
            report = cast(Report, _Row(values))
            expected = calc.expected(report)
            diffs = {
                name: {"from": iso(getattr(report, name)), "to": iso(value)}
                for name, value in expected.items()
                if name != WARN and getattr(report, name) != value
            }
            if not diffs and getattr(report, WARN) == expected[WARN]:
                continue
            for name, value in expected.items():
                setattr(report, name, value)
            for name, value in sweep_schedule(report).items():
                setattr(report, name, value)
            if diffs:
                report.last_event_sequence += 1
                events.append(_event(report, reason, diffs | {"actor": label}, now))
            rows.append(
                (
                    *(getattr(report, f) for f in WRITTEN),
                    report.last_event_sequence,
                    touched,
                    report.pk,
                )
            )
        update_reports((*WRITTEN, "last_event_sequence", "updated_at"), rows)
        event_ids = insert_events(events)
        if event_ids:
            queue_announcement(event_ids)
    return len(events)


def _event(report: Report, reason: str, data: dict[str, Any], now: datetime) -> tuple[Any, ...]:
    """A `deadlines_recomputed` event row, in services._bulk.EVENT_FIELDS order."""
    state, seq = report.state, report.last_event_sequence
    return (
        report.pk,
        seq,
        "deadlines_recomputed",
        None,
        "system",
        state,
        state,
        reason,
        "",
        False,
        data,
        now,
    )
