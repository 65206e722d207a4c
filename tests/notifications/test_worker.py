"""Under a real `manage.py db_worker` process, on this test's database, against a real local
HTTP server playing the SMS gateway (which, like real gateways, de-duplicates by key).

The fault-tolerance test of the issue: SIGKILL the worker in the middle of a batch; after
`requeue_stale_notifications` and a restart, every message has reached its recipient exactly
once and every notification is `sent`.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from lapor.notifications.models import DeliveryAttempt, Notification
from lapor.notifications.services import notifications_for_event
from lapor.reports import services
from lapor.reports.models import ReportEvent
from tests.factories import World, report_input
from tests.notifications.gateway import FakeSmsGateway
from tests.notifications.helpers import run_worker_batch, start_worker, worker_env
from tests.outbox import run_announcements

pytestmark = pytest.mark.django_db(transaction=True)

TASK_PATH = "lapor.notifications.tasks.send_notification"


def sms_env(gateway: FakeSmsGateway, **extra: str) -> dict[str, str]:
    return worker_env(
        SMS_BACKEND="http",
        SMS_HTTP_URL=gateway.url,
        SMS_HTTP_TOKEN="token-uji",
        SMS_HTTP_TIMEOUT="5",
        **extra,
    )


def guests_with_phones(count: int) -> list[str]:
    """`count` guest reports with only a phone: one SMS each, created by the real receiver
    (the submissions' announcement tasks run here, so the send tasks wait in the queue)."""
    phones = [f"0813{n:08d}" for n in range(1, count + 1)]
    for phone in phones:
        services.submit_report(actor=None, data=report_input(contact_phone=phone))
    run_announcements()
    return phones


def test_a_submission_is_announced_and_told_by_the_worker_alone(
    world: World, gateway: FakeSmsGateway
) -> None:
    submission = services.submit_report(actor=None, data=report_input(contact_phone="081399990000"))
    # Committed with the report: its announcement, and nothing else yet.
    assert not Notification.objects.exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker_batch(sms_env(gateway))
    (request,) = gateway.inbox
    assert request.to == "081399990000"
    assert submission.report.tracking_number in request.text
    note = Notification.objects.get()
    assert note.status == "sent"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_worker_killed_mid_batch_every_message_arrives_exactly_once(
    world: World, gateway: FakeSmsGateway
) -> None:
    phones = guests_with_phones(30)
    notes = Notification.objects.filter(channel="sms")
    assert notes.count() == 30 and all(n.status == "pending" for n in notes)
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 30

    # Each answer takes a little while; on the 8th message the gateway has delivered it and
    # holds its answer: the worker is killed right then, mid-request.
    gateway.delay = 0.05
    gateway.pause_on = 8
    worker = start_worker(sms_env(gateway))
    try:
        assert gateway.paused.wait(timeout=90), worker.stderr.read() if worker.stderr else ""
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL

    # Killed in the middle: seven sent, one left `sending` (delivered, but nobody recorded it),
    # the rest untouched; the queue's record of the running task stays RUNNING.
    statuses = Counter(Notification.objects.values_list("status", flat=True))
    assert statuses == {"sent": 7, "sending": 1, "pending": 22}
    stuck = Notification.objects.get(status="sending")
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="RUNNING").count() == 1
    assert len(gateway.inbox) == 8

    gateway.delay = 0
    out = StringIO()
    call_command("requeue_stale_notifications", "--older-than", "0", stdout=out)
    assert "Interrupted sends: 1" in out.getvalue()
    assert "orphaned task records closed: 1" in out.getvalue()
    run_worker_batch(sms_env(gateway))

    # Every notification sent; the recipient's view: each message exactly once.
    assert Counter(Notification.objects.values_list("status", flat=True)) == {"sent": 30}
    keys = set(Notification.objects.values_list("idempotency_key", flat=True))
    assert [r.key for r in gateway.inbox] == list(dict.fromkeys(r.key for r in gateway.inbox))
    assert {r.key for r in gateway.inbox} == keys
    assert sorted(r.to for r in gateway.inbox) == sorted(phones)
    # The interrupted one went out twice with the same key; every other message once.
    per_key = Counter(r.key for r in gateway.requests)
    assert per_key[stuck.idempotency_key] == 2
    assert sum(per_key.values()) == 31
    assert [a.outcome for a in stuck.delivery_attempts.order_by("id")] == ["error", "sent"]
    assert stuck.delivery_attempts.order_by("id")[0].detail.startswith("Terputus")
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert not DeliveryAttempt.objects.filter(finished_at__isnull=True).exists()


def test_gateway_error_under_a_real_worker_retries_then_fails_visibly(
    world: World, gateway: FakeSmsGateway
) -> None:
    gateway.status = 500
    guests_with_phones(1)
    note = Notification.objects.get()
    # No wait between attempts, so one batch run makes them all.
    env = sms_env(gateway, NOTIFY_MAX_ATTEMPTS="3", NOTIFY_RETRY_BASE_SECONDS="0")
    run_worker_batch(env)
    note.refresh_from_db()
    assert note.status == "failed" and note.attempts == 3
    assert [a.outcome for a in note.delivery_attempts.all()] == ["error"] * 3
    assert len(gateway.requests) == 3 and gateway.inbox == []
    # Three task runs: the first and two re-enqueued retries, all finished.
    results = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert Counter(results.values_list("status", flat=True)) == {"SUCCESSFUL": 3}


def test_a_retry_is_delayed_in_the_queue(world: World, gateway: FakeSmsGateway) -> None:
    gateway.status = 503
    guests_with_phones(1)
    run_worker_batch(sms_env(gateway))  # default back-off: one minute
    note = Notification.objects.get()
    assert note.status == "pending" and note.attempts == 1
    retry = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    assert note.next_attempt_at is not None
    assert retry.run_after == note.next_attempt_at
    assert len(gateway.requests) == 1  # the batch did not wait for it


def test_the_same_event_processed_at_once_in_two_threads_makes_each_message_once(
    world: World,
) -> None:
    report = services.submit_report(
        actor=world.reporter, data=report_input(suggested_institution_id=world.city.pk)
    ).report
    event = ReportEvent.objects.get(report=report)
    Notification.objects.filter(event=event).delete()  # as if the receiver had not run

    barrier = threading.Barrier(2)
    made: list[int] = []
    errors: list[BaseException] = []

    def process() -> None:
        try:
            barrier.wait()
            made.append(len(notifications_for_event(event.pk)))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(made) == 4  # reporter e-mail + SMS, two admins: made once between the two
    assert Notification.objects.filter(event=event).count() == 4
