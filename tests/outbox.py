"""Running the event outbox in the test process, as the worker would."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from lapor.reports.outbox import announce_events_task


def queued_announcements() -> list[list[int]]:
    """The event ids of every announcement task waiting in the queue, oldest first."""
    rows = DBTaskResult.objects.filter(
        task_path=announce_events_task.module_path, status="READY"
    ).order_by("enqueued_at", "id")
    return [list(row.args_kwargs["args"][0]) for row in rows]


def run_announcements() -> int:
    """Run every waiting announcement task here and mark it done; returns the events announced.

    The task body is the worker's (`announce_events_task.call`); only the queue's bookkeeping is
    simplified. Tests of the real `db_worker` process use the worker itself."""
    rows = list(
        DBTaskResult.objects.filter(
            task_path=announce_events_task.module_path, status="READY"
        ).order_by("enqueued_at", "id")
    )
    count = 0
    for row in rows:
        count += announce_events_task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
    return count
