"""Background work of the channels app. Each task loads by id and is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from lapor.channels.webhooks.delivery import deliver


@task()
def deliver_webhook_task(delivery_id: int) -> str:
    return deliver(delivery_id)
