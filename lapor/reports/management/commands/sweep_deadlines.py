"""`manage.py sweep_deadlines`: act on passed deadline thresholds (one pass, or `--loop`)."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from lapor.reports.services import recompute_open_deadlines
from lapor.reports.sweeps import PassResult, Sweeper


class Command(BaseCommand):
    help = (
        "Act on deadlines: warn at the policy's share, flag overdue reports, offer the "
        "Ombudsman hand-over, close answered reports and archive held ones whose window "
        "passed. Each action once per report and stage, even with several sweepers."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="keep sweeping until stopped")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between passes (--loop)"
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="reports per transaction")
        parser.add_argument(
            "--pause", type=float, default=0.0, help="seconds to rest between batches"
        )
        parser.add_argument(
            "--retry-for",
            type=float,
            default=300.0,
            help="seconds the database may be unavailable before a pass gives up",
        )
        parser.add_argument(
            "--recompute",
            action="store_true",
            help="first recompute every open deadline (and its warning point), e.g. after an "
            "upgrade or a policy change",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["recompute"]:
            changed = recompute_open_deadlines(reason="Tenggat dihitung ulang (sweep_deadlines).")
            self.stdout.write(f"Recomputed deadlines: {changed} reports changed.")
        sweeper = Sweeper(
            batch_size=options["batch_size"],
            pause=options["pause"],
            retry_for=options["retry_for"],
        )
        if not options["loop"]:
            try:
                result = sweeper.run_pass()
            except DatabaseError as error:
                raise CommandError(f"Deadline sweep failed: {error}") from error
            self._report(result)
            return

        def stop(signum: int, frame: object) -> None:
            # Finish the batch in hand, then leave.
            sweeper.stop.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Sweeping deadlines every {options['interval']:g} s (Ctrl-C stops).")
        sweeper.run_forever(options["interval"], report=self._report)

    def _report(self, result: PassResult) -> None:
        self.stdout.write(result.summary())
        self.stdout.flush()
