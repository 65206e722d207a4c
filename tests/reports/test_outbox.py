"""The event outbox: every recorded event's announcement commits with it, and only with it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.reports.models import Report, ReportEvent
from lapor.reports.outbox import announce_events_task, requeue_orphaned_announcements
from lapor.reports.signals import report_event_recorded
from tests.factories import World, submit
from tests.outbox import queued_announcements, run_announcements


class Rollback(Exception):
    pass


@pytest.fixture
def heard() -> Any:
    received: list[int] = []

    def receiver(sender: Any, event_id: int, **kwargs: Any) -> None:
        received.append(event_id)

    report_event_recorded.connect(receiver, dispatch_uid="test-outbox-receiver")
    yield received
    report_event_recorded.disconnect(dispatch_uid="test-outbox-receiver")


def test_a_move_queues_its_announcement_and_tells_nobody_itself(world: World, heard: Any) -> None:
    report, _ = submit(world)
    world.route(report, world.city)
    events = list(
        ReportEvent.objects.filter(report=report).order_by("sequence").values_list("pk", flat=True)
    )
    assert heard == []
    assert queued_announcements() == [[pk] for pk in events]
    assert run_announcements() == len(events)
    assert heard == events
    assert queued_announcements() == []


def test_a_rolled_back_move_announces_nothing(world: World, heard: Any) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        submit(world)
        raise Rollback
    assert not Report.objects.exists()
    assert queued_announcements() == []
    run_announcements()
    assert heard == []


def test_under_the_immediate_backend_receivers_run_only_after_commit(
    world: World, settings: Any, heard: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report, _ = submit(world)
    assert heard == []  # nothing ran inside the move's transaction
    for callback in callbacks:
        callback()
    assert heard == [ReportEvent.objects.get(report=report).pk]


def test_an_announcement_left_running_by_a_dead_worker_is_queued_again(
    world: World, heard: Any
) -> None:
    submit(world)
    submit(world)
    (a,), (b,) = queued_announcements()
    started = timezone.now() - timedelta(minutes=10)
    (row,) = [
        r
        for r in DBTaskResult.objects.filter(task_path=announce_events_task.module_path)
        if r.args_kwargs["args"][0] == [a]
    ]
    DBTaskResult.objects.filter(pk=row.pk).update(status="RUNNING", started_at=started)
    # Too recent to be an orphan: left alone.
    assert requeue_orphaned_announcements(older_than=timedelta(minutes=30)) == 0
    assert requeue_orphaned_announcements(older_than=timedelta(minutes=5)) == 1
    old = DBTaskResult.objects.get(task_path=announce_events_task.module_path, status="FAILED")
    assert old.args_kwargs["args"] == row.args_kwargs["args"]
    # Queued again with the same arguments: the events keep the time they were first queued.
    ready = DBTaskResult.objects.filter(task_path=announce_events_task.module_path, status="READY")
    again = [r for r in ready if r.args_kwargs["args"][0] == [a]]
    assert [r.args_kwargs["args"] for r in again] == [row.args_kwargs["args"]]
    assert "WorkerLost" in old.exception_class_path
    assert sorted(queued_announcements()) == sorted([[a], [b]])
    run_announcements()
    assert sorted(heard) == sorted([a, b])
    # Nothing more to recover.
    assert requeue_orphaned_announcements(older_than=timedelta(0)) == 0


def test_a_large_batch_is_split_into_tasks_of_bounded_size(world: World) -> None:
    from lapor.reports.outbox import CHUNK, queue_announcement

    run_announcements()
    with transaction.atomic():
        queue_announcement(range(1, 2 * CHUNK + 2))
    sizes = [len(ids) for ids in queued_announcements()]
    assert sizes == [CHUNK, CHUNK, 1]
