"""Upkeep of the outgoing queue: recover what a dead worker left, replay missed events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lapor.notifications.models import DeliveryAttempt, Notification, Status
from lapor.notifications.services import enqueue, notifications_for_event
from lapor.reports.models import ReportEvent

INTERRUPTED = "Terputus: pekerja berhenti sebelum hasil pengiriman tercatat (hasil tak diketahui)."


def replay_events(*, since: datetime) -> int:
    """Process again every event recorded since `since` (after an outage during which events
    committed but their messages could not be created). Idempotent: messages that exist are
    not created again. Returns how many messages were created."""
    created = 0
    events = ReportEvent.objects.filter(created_at__gte=since).order_by("pk")
    for pk in events.values_list("pk", flat=True).iterator(chunk_size=500):
        created += len(notifications_for_event(pk, include_history=True))
    return created


@dataclass(frozen=True)
class RequeueResult:
    interrupted: int
    requeued: int
    stale_tasks: int


def requeue_stale_notifications(
    *, older_than: timedelta, now: datetime | None = None
) -> RequeueResult:
    """Recover messages a dead worker left behind, and enqueue every pending one that is due.

    - `sending` for longer than `older_than`: the worker died during the attempt. The attempt is
      closed as an error ("interrupted", outcome unknown) and the message is sent again with the
      same idempotency key, so a gateway or mail client that did get the first one sees the
      second as the same message.
    - `pending` and due for longer than `older_than` with no task waiting in the queue: its
      task was lost (or never enqueued).
    - The queue's own record of a send task that was running when its worker died stays
      RUNNING forever; such records are marked FAILED so the queue does not lie.
    Safe to run at any time and from several places: a duplicate task finds the message claimed
    or sent and does nothing. `older_than` must exceed the longest send (SMTP or gateway timeout).
    """
    now = now or timezone.now()
    cutoff = now - older_than
    with transaction.atomic():
        stale = list(
            Notification.objects.select_for_update().filter(
                status=Status.SENDING, claimed_at__lte=cutoff
            )
        )
        for notification in stale:
            DeliveryAttempt.objects.filter(
                notification=notification, finished_at__isnull=True
            ).update(finished_at=now, outcome=DeliveryAttempt.Outcome.ERROR, detail=INTERRUPTED)
            notification.status = Status.PENDING
            notification.next_attempt_at = now
            notification.last_error = INTERRUPTED
            notification.save(update_fields=["status", "next_attempt_at", "last_error"])
        due = Notification.objects.filter(status=Status.PENDING).filter(
            Q(next_attempt_at__lte=cutoff) | Q(next_attempt_at__isnull=True, created_at__lte=cutoff)
        )
        waiting = set(due.values_list("pk", flat=True)) - _queued_ids()
        ids = sorted({n.pk for n in stale} | waiting)
        if ids:
            transaction.on_commit(lambda: enqueue(ids), robust=True)
    return RequeueResult(len(stale), len(ids), _fail_orphaned_tasks(cutoff))


def _task_results() -> Any:
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return None
    from django_tasks_db.models import DBTaskResult

    from lapor.notifications.tasks import send_notification

    return DBTaskResult.objects.filter(task_path=send_notification.module_path)


def _queued_ids() -> set[int]:
    """Messages that already have a send task waiting in the database queue."""
    results = _task_results()
    if results is None:
        return set()
    waiting = results.filter(status="READY").values_list("args_kwargs", flat=True)
    return {int(value["args"][0]) for value in waiting.iterator() if value.get("args")}


class WorkerLost(Exception):
    """The worker running this task stopped before it could record the outcome."""


def _fail_orphaned_tasks(cutoff: datetime) -> int:
    results = _task_results()
    if results is None:
        return 0
    orphans = results.filter(status="RUNNING", started_at__lte=cutoff)
    count = 0
    for result in orphans:
        result.set_failed(WorkerLost("Pekerja berhenti; pesan diantrekan ulang."))
        count += 1
    return count
