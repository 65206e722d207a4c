"""Telling the rest of the system about recorded events: a transactional outbox on the task queue.

Every service that records events calls `queue_announcement` inside its transaction. With the
database task queue (the default) the task row is written in that same transaction, so it
commits with the events or not at all: a rolled-back move announces nothing, and a move that
committed is announced even if the web process dies right after the commit. The worker then
sends `report_event_recorded` for each event (notifications, webhooks out), off the request
path: a citizen's submission waits for none of it.

With any other backend (the immediate one of a development set-up) the task is enqueued after
commit instead, so that receivers never run inside the move's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

# Events per task: a sweep or a recompute records thousands in one transaction.
CHUNK = 1000


@task()
def announce_events_task(event_ids: list[int], queued_at: str | None = None) -> int:
    """Send `report_event_recorded` for each event (receivers are idempotent: safe to run twice).

    `queued_at` (ISO) is when the events' transaction queued them: receivers judge an event's
    age from it (an old event replayed as history is not news; a backlog of the worker is)."""
    from lapor.reports.services._bulk import announce

    announce(event_ids, queued_at=datetime.fromisoformat(queued_at) if queued_at else None)
    return len(event_ids)


def _queue_is_transactional() -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(announce_events_task.get_backend(), DatabaseBackend)


def queue_announcement(event_ids: Iterable[int]) -> None:
    """Queue the announcement of these events; call it inside the transaction that wrote them."""
    ids = [int(pk) for pk in event_ids]
    if not ids:
        return
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    # Wall-clock time, not lapor.lib.clock: demo data replays old moves at their moments.
    queued_at = timezone.now().isoformat()
    if _queue_is_transactional():
        for chunk in chunks:
            announce_events_task.enqueue(chunk, queued_at)
        return
    for chunk in chunks:
        transaction.on_commit(partial(announce_events_task.enqueue, chunk, queued_at), robust=True)


class WorkerLost(Exception):
    """The worker running an announcement stopped before finishing it."""


def requeue_orphaned_announcements(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Queue again every announcement whose worker died while running it (its queue record
    stays RUNNING for ever); the old record is marked failed. Receivers are idempotent, so the
    events a dead worker had already announced are not told twice. Returns the tasks re-queued."""
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - older_than
    count = 0
    with transaction.atomic():
        orphans = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            task_path=announce_events_task.module_path, status="RUNNING", started_at__lte=cutoff
        )
        for result in orphans:
            args = result.args_kwargs["args"]
            result.set_failed(WorkerLost("Pekerja berhenti; pengumuman diantrekan ulang."))
            # The same arguments: the events keep the time they were first queued at.
            announce_events_task.enqueue(*args)
            count += 1
    return count


__all__ = [
    "announce_events_task",
    "queue_announcement",
    "requeue_orphaned_announcements",
]
