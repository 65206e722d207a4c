"""A report move reaches a subscriber through a REAL `manage.py db_worker` process."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django_tasks_db.models import DBTaskResult

from lapor.channels.models import WebhookDelivery, WebhookSubscription
from tests.channels.receiver import Receiver, verify
from tests.factories import submit
from tests.reports.test_recompute_worker import ROOT, worker_env

SECRET = "whsec_worker-test-0123456789"


@pytest.mark.django_db(transaction=True)
def test_a_routed_report_is_delivered_by_the_worker(world) -> None:  # type: ignore[no-untyped-def]
    server = Receiver([(200, 0)]).start()
    try:
        WebhookSubscription.objects.create(
            institution=world.city,
            url=server.url,
            secret=SECRET,
            events=["routed"],
            owner_email="it@samarindakota.go.id",
        )
        report, _ = submit(world)
        world.route(report, world.city)  # commits the event and its announcement task
        assert not WebhookDelivery.objects.exists()
        assert DBTaskResult.objects.filter(status="READY").count() == 2  # submit and route

        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=ROOT,
            # The receiver listens on http://127.0.0.1, which production settings refuse.
            env={
                **worker_env(),
                "WEBHOOK_ALLOW_HTTP": "true",
                "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true",
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]

        # The worker announced the events, the receiver queued the delivery, the worker sent it.
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == WebhookDelivery.Status.DELIVERED, delivery.last_error
        assert len(server.received) == 1
        received = server.received[0]
        assert verify(SECRET, received)
        assert received.payload["report"]["tracking_number"] == report.tracking_number
        assert received.payload["event"] == "routed"
        task = DBTaskResult.objects.get(task_path="lapor.channels.tasks.deliver_webhook_task")
        assert task.status == "SUCCESSFUL"
        assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    finally:
        server.stop()
