"""`manage.py send_webhooks [--loop]`: queue every webhook delivery that is due.

The worker normally sends deliveries by itself (a task per delivery, retries deferred with
run_after). This sweep is the safety net: it re-queues deliveries whose task was lost, releases
deliveries a dead worker left "sending", and serves backends that cannot defer a task. With
--inline it sends them in this process instead of queueing. Idempotent.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import OperationalError
from django.utils import timezone

from lapor.channels.models import WebhookDelivery
from lapor.channels.webhooks.delivery import deliver, queue_due
from lapor.channels.webhooks.events import create_deliveries
from lapor.reports.models import ReportEvent


class Command(BaseCommand):
    help = "Queue (or send with --inline) the webhook deliveries that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between runs.")
        parser.add_argument("--inline", action="store_true", help="Send here, not via tasks.")
        parser.add_argument(
            "--replay-events-since",
            metavar="ISO-DATETIME",
            help="First create the deliveries of every event recorded since then (after an "
            "outage in which they could not be created). Idempotent.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["replay_events_since"]:
            since = datetime.fromisoformat(options["replay_events_since"])
            if timezone.is_naive(since):
                since = timezone.make_aware(since)
            ids = ReportEvent.objects.filter(created_at__gte=since).values_list("pk", flat=True)
            created = sum(len(create_deliveries(pk)) for pk in ids.iterator())
            self.stdout.write(f"Replayed events: {created} delivery(ies) created.")
        while True:
            try:
                self._run_once(inline=options["inline"])
            except OperationalError as error:
                if not options["loop"]:
                    raise
                self.stderr.write(f"Database unavailable ({error}); retrying.")
            if not options["loop"]:
                return
            time.sleep(options["interval"])

    def _run_once(self, *, inline: bool) -> None:
        if not inline:
            self.stdout.write(f"Deliveries queued: {queue_due()}.")
            return
        due = WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=timezone.now(),
            subscription__is_active=True,
            subscription__paused_at__isnull=True,
        ).values_list("pk", flat=True)[:1000]
        outcomes = [deliver(pk) for pk in list(due)]
        self.stdout.write(
            f"Deliveries sent: {outcomes.count('delivered')}, to retry: "
            f"{outcomes.count('pending')}, failed: {outcomes.count('failed')}."
        )
