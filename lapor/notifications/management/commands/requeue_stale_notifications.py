"""`manage.py requeue_stale_notifications`: recover messages a dead worker left behind.

It also queues again the announcement of events whose worker died while announcing them (their
messages and webhook deliveries were perhaps never created; creating them is idempotent).

Run it before (re)starting workers and periodically (`--loop`): a message left `sending` by a
killed worker is sent again with the same idempotency key, a pending message whose task was
lost is enqueued again. See lapor.notifications.services.requeue_stale_notifications.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError
from django.utils import timezone

from lapor.notifications.upkeep import replay_events, requeue_stale_notifications
from lapor.reports.outbox import requeue_orphaned_announcements


class Command(BaseCommand):
    help = "Re-enqueue notifications stuck in 'sending' or 'pending' for longer than N seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=300.0,
            help="Seconds a message may stay sending/due before it counts as stuck. Must exceed "
            "the longest send (SMTP and SMS gateway timeouts). Default: 300.",
        )
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between runs.")
        parser.add_argument(
            "--replay-events-since",
            metavar="ISO-DATETIME",
            help="Also create the messages of every event recorded since then (after an outage "
            "in which they could not be created). Idempotent.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than must be zero or more.")
        if options["replay_events_since"]:
            since = datetime.fromisoformat(options["replay_events_since"])
            if timezone.is_naive(since):
                since = timezone.make_aware(since)
            created = replay_events(since=since)
            self.stdout.write(f"Replayed events: {created} message(s) created.")
        while True:
            try:
                result = requeue_stale_notifications(
                    older_than=timedelta(seconds=options["older_than"])
                )
                announcements = requeue_orphaned_announcements(
                    older_than=timedelta(seconds=options["older_than"])
                )
                self.stdout.write(
                    f"Interrupted sends: {result.interrupted}; re-enqueued: {result.requeued}; "
                    f"orphaned task records closed: {result.stale_tasks}; "
                    f"interrupted announcements re-queued: {announcements}."
                )
            except OperationalError as error:
                if not options["loop"]:
                    raise
                self.stderr.write(f"Database unavailable ({error}); retrying.")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
