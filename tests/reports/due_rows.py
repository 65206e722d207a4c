"""Many reports, fast, already where a deadline threshold has passed: rows built with bulk_create
(not through the services), each consistent with what the services would have stored (the
deadlines, the warning point and the sweeper's queue position come from the same policy code)
and with its first event (`submit`, sequence 1). KINDS says what a sweep at `now` must do with
each kind of report.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django_tasks_db.models import DBTaskResult

from lapor.institutions.models import Institution
from lapor.reports.models import (
    DeadlineMark,
    Report,
    ReportEvent,
    ReportType,
    ResolutionClass,
    State,
)
from lapor.reports.outbox import announce_events_task
from lapor.reports.policy import current_policy, expected_deadlines, open_stage, sweep_schedule
from tests.factories import World


@dataclass(frozen=True)
class Kind:
    state: str
    # What must hold at `now` (with a margin): "warned" (warning point passed, deadline not),
    # "due" (deadline passed), "pending" (nothing passed yet).
    phase: str
    actions: tuple[str, ...]


KINDS = {
    "verification_warning": Kind(State.AWAITING_VERIFICATION, "warned", ("deadline_warning",)),
    "verification_overdue": Kind(State.AWAITING_VERIFICATION, "due", ("overdue",)),
    "completion_warning": Kind(State.ROUTED, "warned", ("deadline_warning",)),
    "completion_overdue": Kind(State.IN_PROGRESS, "due", ("overdue", "ombudsman_offered")),
    "hold_expired": Kind(State.ON_HOLD, "due", ("expire_hold",)),
    "window_passed": Kind(State.ANSWERED, "due", ("close_after_window",)),
    "pending": Kind(State.ROUTED, "pending", ()),
}
DUE_KINDS = tuple(k for k, v in KINDS.items() if v.actions)
_serial = itertools.count(1)


def _template(kind: Kind, institution: Institution, start: datetime) -> Report:
    r = Report(
        report_type=ReportType.COMPLAINT,
        state=kind.state,
        queue_institution=institution,
        submitted_at=start - timedelta(days=1),
        verification_started_at=start - timedelta(days=1),
    )
    if kind.state == State.AWAITING_VERIFICATION:
        r.submitted_at = r.verification_started_at = start
    elif kind.state == State.ON_HOLD:
        r.held_at = start
    else:
        r.responsible_institution = institution
        r.resolution_class = ResolutionClass.STANDARD
        r.routed_at = start
        if kind.state == State.IN_PROGRESS:
            r.first_response_at = start + timedelta(hours=1)
        if kind.state == State.ANSWERED:
            r.routed_at = start - timedelta(days=20)
            r.first_response_at = r.answered_at = start
    policy = current_policy()
    for name, value in expected_deadlines(r, policy).items():
        setattr(r, name, value)
    for name, value in sweep_schedule(r).items():
        setattr(r, name, value)
    return r


def _fits(r: Report, phase: str, now: datetime, margin: timedelta) -> bool:
    stage = open_stage(r)
    assert stage is not None
    if phase == "due":
        return stage.due_at < now - margin
    if phase == "warned":
        return (
            stage.warn_at is not None and stage.warn_at < now - margin < now + margin < stage.due_at
        )
    warn = stage.warn_at or stage.due_at
    return warn > now + margin


def template_for(
    kind_name: str, institution: Institution, now: datetime, margin: timedelta
) -> Report:
    """A report of `kind_name` whose stage started on the latest day that puts it in its phase."""
    kind = KINDS[kind_name]
    zone = ZoneInfo(institution.effective_timezone)
    today = now.astimezone(zone).date()
    pending: Report | None = None
    for back in range(400):
        start = datetime.combine(today - timedelta(days=back), time(10, 0), tzinfo=zone)
        if start > now:
            continue
        r = _template(kind, institution, start)
        if _fits(r, kind.phase, now, margin):
            return r
        if pending is None and _fits(r, "pending", now, margin):
            pending = r
    if kind.phase == "warned" and pending is not None:
        return _warned_now(pending, now, margin)
    raise AssertionError(f"no start date puts {kind_name} in phase {kind.phase}")


def _warned_now(r: Report, now: datetime, margin: timedelta) -> Report:
    """`r` with its stored warning point moved before `now`. From Friday evening to Monday
    morning no start date puts a stage between its warning and its deadline (both fall on
    working days); the sweeper acts on the stored points, so the test can still have some."""
    stage = open_stage(r)
    assert stage is not None
    r.deadline_warn_at = max(stage.started_at + timedelta(minutes=1), now - 2 * margin)
    assert r.deadline_warn_at < now - margin < now + margin < stage.due_at
    for name, value in sweep_schedule(r).items():
        setattr(r, name, value)
    return r


def build_due_reports(
    world: World,
    counts: dict[str, int],
    *,
    now: datetime,
    margin: timedelta = timedelta(hours=1),
) -> dict[str, list[int]]:
    """Create `counts[kind]` reports of each kind (alternating a WITA city and a WIB ministry);
    returns their ids by kind. Thresholds are at least `margin` away from `now`."""
    ids: dict[str, list[int]] = {}
    places = (world.city, world.ministry)
    for kind_name, count in counts.items():
        templates = [template_for(kind_name, place, now, margin) for place in places]
        rows = []
        for i in range(count):
            serial = next(_serial)
            rows.append(_copy(templates[i % 2], f"SW{serial:010d}"))
        created = Report.objects.bulk_create(rows, batch_size=1000)
        ids[kind_name] = [r.pk for r in created]
        ReportEvent.objects.bulk_create(
            [
                ReportEvent(
                    report_id=r.pk,
                    sequence=1,
                    action="submit",
                    actor_role="reporter",
                    to_state=State.AWAITING_VERIFICATION,
                    is_public=True,
                    created_at=r.submitted_at,
                )
                for r in created
            ],
            batch_size=1000,
        )
    return ids


_COPIED = [
    f.attname
    for f in Report._meta.concrete_fields
    if not f.primary_key and f.attname not in {"tracking_number", "updated_at"}
]


def _copy(template: Report, tracking_number: str) -> Report:
    values: dict[str, Any] = {name: getattr(template, name) for name in _COPIED}
    values.update(
        tracking_number=tracking_number,
        title="Jalan rusak di depan sekolah",
        body="Jalan berlubang sejak tiga bulan dan membahayakan murid.",
        last_event_sequence=1,
    )
    return Report(**values)


def assert_exactly_once(ids: dict[str, list[int]]) -> Counter[str]:
    """Every report of every kind got exactly its kind's actions, each once, each with its mark,
    and its events are numbered 1..n with n stored on the report. Returns the actions counted."""
    every = [pk for pks in ids.values() for pk in pks]
    events: Counter[tuple[int, str]] = Counter()
    sequences: dict[int, list[int]] = {}
    for start in range(0, len(every), 5000):
        chunk = every[start : start + 5000]
        for report_id, action, sequence in ReportEvent.objects.filter(
            report_id__in=chunk
        ).values_list("report_id", "action", "sequence"):
            events[(report_id, action)] += 1
            sequences.setdefault(report_id, []).append(sequence)
    marks = Counter(
        DeadlineMark.objects.filter(report_id__in=every).values_list("report_id", "kind")
    )
    last = dict(Report.objects.filter(pk__in=every).values_list("pk", "last_event_sequence"))
    total: Counter[str] = Counter()
    for kind_name, pks in ids.items():
        wanted = KINDS[kind_name].actions
        for pk in pks:
            for action in wanted:
                assert events[(pk, action)] == 1, (kind_name, pk, action, events[(pk, action)])
                assert marks[(pk, action)] == 1, (kind_name, pk, action, marks[(pk, action)])
                total[action] += 1
            assert sorted(sequences[pk]) == list(range(1, len(sequences[pk]) + 1)), pk
            assert last[pk] == len(sequences[pk]) == 1 + len(wanted), (kind_name, pk)
    assert sum(marks.values()) == sum(total.values())
    _assert_announced_once(every, {a for kind in ids for a in KINDS[kind].actions})
    return total


def _assert_announced_once(report_ids: list[int], actions: set[str]) -> None:
    """Every event the sweeper recorded has its announcement queued exactly once (the task row
    commits with the events: a crash or an outage cannot separate them)."""
    recorded = set(
        ReportEvent.objects.filter(report_id__in=report_ids, action__in=actions).values_list(
            "pk", flat=True
        )
    )
    queued: Counter[int] = Counter()
    tasks = DBTaskResult.objects.filter(task_path=announce_events_task.module_path)
    for args in tasks.values_list("args_kwargs", flat=True).iterator():
        queued.update(pk for pk in args["args"][0] if pk in recorded)
    assert set(queued) == recorded, len(recorded - set(queued))
    assert set(queued.values()) <= {1}
