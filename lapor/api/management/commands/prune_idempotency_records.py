"""Delete Idempotency-Key records older than API_IDEMPOTENCY_TTL_HOURS. Safe to run any time."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.api.idempotency import prune


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records (run hourly, or with --loop SECONDS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=int, default=0, metavar="SECONDS", help="Repeat every SECONDS"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            deleted = prune()
            self.stdout.write(f"Deleted {deleted} expired idempotency record(s).")
            if options["loop"] <= 0:
                return
            time.sleep(options["loop"])
