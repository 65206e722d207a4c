"""The deadline sweeper's moves: the warning (yellow), the overdue flag (red), the Ombudsman offer,
and, in bulk, the two system moves that end a report when the reporter stays silent.

Exactly once: every action first claims a DeadlineMark (report, stage, stage start, kind) with
INSERT ... ON CONFLICT DO NOTHING in the transaction that records the action's event, so an
action whose mark exists is never recorded again, whoever tries (a second sweeper, a retry after
a crash, a person calling the single-report service). The rows themselves are claimed with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL (several sweepers share the work); on SQLite
every transaction holds the write lock from BEGIN (IMMEDIATE), so sweepers take turns.

`sweep_batch` is the set-based form the sweeper runs (one transaction per batch, a handful of
statements for the whole batch); the single-report services below are the same moves through
the usual frame (`begin` / `record`), and produce the same rows and events.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lapor.lib import clock
from lapor.reports import workflow
from lapor.reports.actors import SYSTEM, Actor, SystemActor
from lapor.reports.errors import InvalidTransition
from lapor.reports.models import (
    ArchiveReason,
    Assignment,
    DeadlineMark,
    Report,
    State,
)
from lapor.reports.outbox import queue_announcement
from lapor.reports.policy import (
    CLARIFICATION,
    COMPLETION,
    REPORTER_WINDOW,
    OpenStage,
    open_stage,
)
from lapor.reports.services._base import Move, actor_label, begin, iso, record
from lapor.reports.services._bulk import insert_events, insert_marks, update_reports

logger = logging.getLogger("lapor.reports.sweeps")

WARNING = DeadlineMark.Kind.DEADLINE_WARNING.value
OVERDUE = DeadlineMark.Kind.OVERDUE.value
OMBUDSMAN_OFFERED = DeadlineMark.Kind.OMBUDSMAN_OFFERED.value
EXPIRE_HOLD = DeadlineMark.Kind.EXPIRE_HOLD.value
CLOSE_AFTER_WINDOW = DeadlineMark.Kind.CLOSE_AFTER_WINDOW.value
ACTIONS = (WARNING, OVERDUE, OMBUDSMAN_OFFERED, EXPIRE_HOLD, CLOSE_AFTER_WINDOW)

OMBUDSMAN_MESSAGE = (
    "Batas waktu penyelesaian laporan ini telah lewat. Anda dapat meminta agar laporan ini "
    "dilimpahkan ke Ombudsman Republik Indonesia."
)
# What the sweeper reads of a claimed report (the body and contact data stay in the database).
SWEEP_FIELDS = (
    "id",
    "state",
    "last_event_sequence",
    "verification_started_at",
    "verification_due_at",
    "held_at",
    "clarification_due_at",
    "routed_at",
    "completion_due_at",
    "answered_at",
    "reporter_window_due_at",
    "deadline_warn_at",
    "next_sweep_at",
    "overdue_stage",
    "overdue_since",
    "ombudsman_consent_at",
)


# --- what is due --------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the sweeper does with one report at `now`: the actions (each recorded only if its
    mark is new), and the bookkeeping it leaves: the next instant to look, and the red flag."""

    stage: OpenStage | None
    actions: tuple[str, ...] = ()
    next_sweep_at: datetime | None = None
    flagged: bool = False


def plan(report: Report, now: datetime) -> Plan:
    """The thresholds of the report's current stage that `now` has passed (strictly).

    Only the highest one acts: a stage found already past its deadline is flagged overdue
    without a warning first. Whatever happens, `next_sweep_at` ends up null or not before
    `now`, so a pass never picks the same report twice.
    """
    stage = open_stage(report)
    if stage is None:
        return Plan(None)
    if stage.name == CLARIFICATION:
        if stage.due_at < now:
            return Plan(stage, (EXPIRE_HOLD,))
        return Plan(stage, next_sweep_at=stage.due_at)
    if stage.name == REPORTER_WINDOW:
        if stage.due_at < now:
            return Plan(stage, (CLOSE_AFTER_WINDOW,))
        return Plan(stage, next_sweep_at=stage.due_at)
    if stage.due_at < now:
        actions: tuple[str, ...] = (OVERDUE,)
        if stage.name == COMPLETION and report.ombudsman_consent_at is None:
            actions += (OMBUDSMAN_OFFERED,)
        return Plan(stage, actions, flagged=True)
    if stage.warn_at is not None and stage.warn_at < now:
        return Plan(stage, (WARNING,), next_sweep_at=stage.due_at)
    upcoming = stage.warn_at if stage.warn_at is not None else stage.due_at
    return Plan(stage, next_sweep_at=upcoming)


def threshold_of(action: str, stage: OpenStage) -> datetime:
    if action == WARNING:
        assert stage.warn_at is not None
        return stage.warn_at
    return stage.due_at


@dataclass(frozen=True)
class EventSpec:
    to_state: str
    is_public: bool
    reason: str = ""
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def event_spec(action: str, report: Report, stage: OpenStage) -> EventSpec:
    """The event each action records: the same for the bulk sweep and the single services (and
    for expire_hold / close_after_window, the same as those services record)."""
    if action in (WARNING, OVERDUE):
        data = {"stage": stage.name, "due_at": iso(stage.due_at)}
        return EventSpec(report.state, False, data=data)
    if action == OMBUDSMAN_OFFERED:
        data = {"completion_due_at": iso(stage.due_at)}
        return EventSpec(report.state, True, message=OMBUDSMAN_MESSAGE, data=data)
    if action == EXPIRE_HOLD:
        reason = ArchiveReason.NO_CLARIFICATION
        data = {"archive_reason": str(reason)}
        return EventSpec(State.ARCHIVED, True, reason=str(reason.label), data=data)
    if action == CLOSE_AFTER_WINDOW:
        return EventSpec(State.FINISHED, True)
    raise ValueError(f"not a sweeper action: {action}")


# --- marks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkClaim:
    report_id: int
    stage: str
    stage_started_at: datetime
    kind: str
    threshold_at: datetime


def claim_marks(claims: Sequence[MarkClaim], *, now: datetime) -> set[tuple[int, str]]:
    """Insert the marks that do not exist yet; returns (report id, kind) of those inserted.

    INSERT ... ON CONFLICT DO NOTHING RETURNING (PostgreSQL, SQLite 3.35+): the unique
    constraint decides, atomically, which actions are new. Must run inside the transaction
    that records the actions.
    """
    return insert_marks(
        [(c.report_id, c.stage, c.stage_started_at, c.kind, c.threshold_at, now) for c in claims]
    )


# --- the single-report services -------------------------------------------------------------


def _open_stage_or_fail(move: Move) -> OpenStage:
    stage = open_stage(move.report)
    if stage is None:
        raise InvalidTransition("Tidak ada batas waktu yang berjalan pada laporan ini.")
    return stage


def _claim_or_fail(move: Move, stage: OpenStage, action: str) -> None:
    claim = MarkClaim(
        move.report.pk, stage.name, stage.started_at, action, threshold_of(action, stage)
    )
    if not claim_marks([claim], now=move.now):
        raise InvalidTransition("Tindakan tenggat ini sudah dicatat untuk tahap ini.")


def _record_action(move: Move, action: str, stage: OpenStage) -> None:
    spec = event_spec(action, move.report, stage)
    record(move, reason=spec.reason, message=spec.message, is_public=spec.is_public, data=spec.data)


def record_deadline_warning(*, actor: Actor, report: Report | int) -> Report:
    """Record that the report's stage passed the policy's warning share (yellow), once per stage.

    Non-public event `deadline_warning` (data: stage, due_at); notifications remind the people
    handling the report. Raises InvalidTransition before the warning point or when recorded.
    """
    with transaction.atomic():
        move = begin(report, "deadline_warning", actor)
        stage = _open_stage_or_fail(move)
        if stage.warn_at is None or not stage.warn_at < move.now:
            raise InvalidTransition("Tahap ini belum mendekati batas waktunya.")
        _claim_or_fail(move, stage, WARNING)
        # The warning of this deadline is done: the sweeper waits for the deadline itself.
        move.report.next_sweep_at = stage.due_at
        _record_action(move, WARNING, stage)
    return move.report


def flag_overdue(*, actor: Actor, report: Report | int) -> Report:
    """Flag the report red: its current stage's deadline passed. Once per stage.

    Sets overdue_stage / overdue_since (cleared by the next move that changes the stage or its
    deadline) and records the non-public event `overdue` (data: stage, due_at); notifications
    tell the institution's admins and the level above.
    """
    with transaction.atomic():
        move = begin(report, "overdue", actor)
        stage = _open_stage_or_fail(move)
        if not stage.due_at < move.now:
            raise InvalidTransition("Batas waktu tahap ini belum lewat.")
        _claim_or_fail(move, stage, OVERDUE)
        move.report.overdue_stage, move.report.overdue_since = stage.name, stage.due_at
        _record_action(move, OVERDUE, stage)
    return move.report


def offer_ombudsman(*, actor: Actor, report: Report | int) -> Report:
    """Tell the reporter, once, that the completion deadline passed and that they may ask for the
    hand-over to the Ombudsman: the public event `ombudsman_offered` with a message to them."""
    with transaction.atomic():
        move = begin(report, "ombudsman_offered", actor)
        stage = _open_stage_or_fail(move)
        if not stage.due_at < move.now:
            raise InvalidTransition("Batas waktu penyelesaian belum lewat.")
        if move.report.ombudsman_consent_at is not None:
            raise InvalidTransition("Pelapor sudah meminta pelimpahan ke Ombudsman.")
        _claim_or_fail(move, stage, OMBUDSMAN_OFFERED)
        _record_action(move, OMBUDSMAN_OFFERED, stage)
    return move.report


# --- the set-based sweep ----------------------------------------------------------------------


@dataclass
class BatchResult:
    """What one batch did: reports claimed, events per action, and where the batch ended."""

    claimed: int = 0
    recorded: Counter[str] = field(default_factory=Counter)
    # (next_sweep_at, id) of the last claimed report: the next batch starts after it.
    last_key: tuple[datetime, int] | None = None


def sweep_batch(
    *,
    actor: SystemActor = SYSTEM,
    batch_size: int = 1000,
    after: tuple[datetime, int] | None = None,
) -> BatchResult:
    """Claim up to `batch_size` reports whose next threshold has passed and act on them, in one
    transaction: marks, events, report bookkeeping, closings. Returns what it did.

    `after` is the previous batch's `last_key`: a pass walks the queue (next_sweep_at, id) once.
    Side effects: `report_event_recorded` for every event, after commit.
    """
    result = BatchResult()
    with transaction.atomic():
        now = clock.now()
        reports = _claim(now, batch_size, after)
        if not reports:
            return result
        result.claimed = len(reports)
        last = reports[-1]
        assert last.next_sweep_at is not None
        result.last_key = (last.next_sweep_at, last.pk)
        announced = _act(reports, now, actor, result)
        if announced:
            queue_announcement(announced)
    return result


def _claim(now: datetime, batch_size: int, after: tuple[datetime, int] | None) -> list[Report]:
    queue = Report.objects.filter(next_sweep_at__lt=now)
    if after is not None:
        moment, pk = after
        queue = queue.filter(next_sweep_at__gte=moment).filter(
            Q(next_sweep_at__gt=moment) | Q(pk__gt=pk)
        )
    # SKIP LOCKED: another sweeper's batch (or a person's move) is left to them; the rows it
    # leaves unfinished come back in the next pass.
    claimed = (
        queue.order_by("next_sweep_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))
        .only(*SWEEP_FIELDS)
    )
    return list(claimed[:batch_size])


# What a non-closing visit writes, and what each closing move writes (verification._archive,
# closing._finish), as update_reports columns.
BOOKKEEPING = (
    "next_sweep_at",
    "overdue_stage",
    "overdue_since",
    "last_event_sequence",
    "updated_at",
)
CLOSING = {
    EXPIRE_HOLD: (
        "state",
        "archive_reason",
        "duplicate_of",
        "closed_at",
        "verification_due_at",
        "clarification_due_at",
        "first_response_due_at",
        "completion_due_at",
        *BOOKKEEPING,
        "deadline_warn_at",
    ),
    CLOSE_AFTER_WINDOW: (
        "state",
        "closed_at",
        "reporter_window_due_at",
        *BOOKKEEPING,
        "deadline_warn_at",
    ),
}


@dataclass
class _Writes:
    events: list[tuple[Any, ...]] = field(default_factory=list)
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    closed: list[int] = field(default_factory=list)


def _act(
    reports: list[Report], now: datetime, actor: SystemActor, result: BatchResult
) -> list[int]:
    """Act on the claimed reports; returns the ids of the events recorded."""
    plans = [(report, _allowed(report, plan(report, now))) for report in reports]
    claims = [
        MarkClaim(r.pk, p.stage.name, p.stage.started_at, action, threshold_of(action, p.stage))
        for r, p in plans
        if p.stage is not None
        for action in p.actions
    ]
    claimed = claim_marks(claims, now=now)
    writes, touched, label = _Writes(), timezone.now(), actor_label(actor)
    for report, p in plans:
        new = [a for a in p.actions if (report.pk, a) in claimed]
        seq = report.last_event_sequence
        for action in new:
            assert p.stage is not None
            seq += 1
            writes.events.append(_event(report, action, p.stage, seq, now, label))
            result.recorded[action] += 1
        _schedule(report, p, new, seq, now, touched, writes)
    ids = insert_events(writes.events)
    for kind, rows in writes.rows.items():
        update_reports(CLOSING.get(kind, BOOKKEEPING), rows)
    if writes.closed:
        Assignment.objects.filter(report_id__in=writes.closed, ended_at__isnull=True).update(
            ended_at=now
        )
    return ids


def _allowed(report: Report, p: Plan) -> Plan:
    """The plan, if the workflow table gives the system every action of it from the report's
    state; otherwise nothing, and the report leaves the queue (logged: a bug to fix)."""
    for action in p.actions:
        row = workflow.find(report.state, action)
        if row is None or workflow.SYSTEM not in row.roles:
            logger.error(
                "Sweeper: %s not allowed from %s (report %s)", action, report.state, report.pk
            )
            return Plan(p.stage)
    return p


def _event(
    report: Report, action: str, stage: OpenStage, seq: int, now: datetime, label: str
) -> tuple[Any, ...]:
    """An event row in services._bulk.EVENT_FIELDS order."""
    spec = event_spec(action, report, stage)
    data = dict(spec.data)
    if label:
        data.setdefault("actor", label)
    return (
        report.pk,
        seq,
        action,
        None,
        workflow.SYSTEM,
        report.state,
        spec.to_state,
        spec.reason,
        spec.message,
        spec.is_public,
        data,
        now,
    )


def _schedule(
    report: Report,
    p: Plan,
    new: list[str],
    seq: int,
    now: datetime,
    touched: datetime,
    writes: _Writes,
) -> None:
    """The report's row after the visit, in the columns of its kind of write."""
    stage = p.stage
    if stage is not None and (EXPIRE_HOLD in p.actions or CLOSE_AFTER_WINDOW in p.actions):
        if new:
            writes.rows[new[0]].append(_closing_row(new[0], seq, now, touched, report.pk))
            writes.closed.append(report.pk)
            return
        # The mark exists but the report never left the stage: cannot happen while the mark
        # and the move share a transaction. Stop sweeping it rather than loop on it.
        logger.error("Sweeper: %s of report %s already marked", p.actions[0], report.pk)
        p = Plan(stage)
    # (next_sweep_at, overdue_stage, overdue_since): flagged red, waiting for the deadline after
    # the warning, or waiting for the next threshold.
    if stage is not None and p.flagged:
        queue: tuple[Any, ...] = (None, stage.name, stage.due_at)
    elif stage is not None and p.actions:
        queue = (stage.due_at, "", None)
    else:
        queue = (p.next_sweep_at, "", None)
    writes.rows["bookkeeping"].append((*queue, seq, touched, report.pk))


def _closing_row(
    action: str, seq: int, now: datetime, touched: datetime, pk: int
) -> tuple[Any, ...]:
    bookkeeping = (None, "", None, seq, touched, None)  # ... and deadline_warn_at
    if action == EXPIRE_HOLD:
        archived = (State.ARCHIVED.value, ArchiveReason.NO_CLARIFICATION.value, None, now)
        return (*archived, None, None, None, None, *bookkeeping, pk)
    return (State.FINISHED.value, now, None, *bookkeeping, pk)
