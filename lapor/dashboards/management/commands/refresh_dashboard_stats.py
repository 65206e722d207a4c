"""Bring the dashboard summaries up to date (idempotent; run it from cron or with --loop)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from lapor.dashboards.refresh import refresh_stats


def parse_since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since: not a date or time: {value!r}")
        moment = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - made aware below
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Refresh the dashboard summaries: facts of the reports saved since the last run (or "
        "--since), then the months they belong to. --full rebuilds everything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="reports saved since this date or ISO time")
        parser.add_argument("--full", action="store_true", help="rebuild every fact and month")
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="run again every SECONDS (a worker)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = parse_since(options["since"]) if options["since"] else None
        verbose = options["verbosity"] > 1
        while True:
            result = refresh_stats(
                since=since,
                full=options["full"],
                progress=(lambda msg: self.stdout.write(msg)) if verbose else None,
            )
            self.stdout.write(
                f"{'full rebuild' if result.full else 'incremental'}: {result.reports} reports, "
                f"{result.months} months in {result.seconds:.1f} s"
            )
            if not options["loop"]:
                return
            # Later rounds continue from the previous one, whatever --since/--full said.
            since, options["full"] = None, False
            time.sleep(options["loop"])
