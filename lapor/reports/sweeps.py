"""The deadline sweeper: passes over the reports whose next deadline threshold has passed.

Each report carries `next_sweep_at`, the next instant at which the sweeper has something to do
for it (its stage's warning point or deadline), kept in step by every move; a pass walks the
indexed queue `next_sweep_at < now` in batches (lapor.reports.services.sweeping.sweep_batch),
each batch one transaction. Guarantees:

- every action happens once per report, stage and kind: its DeadlineMark is claimed in the
  transaction that records it, under a unique constraint;
- several sweepers share the queue on PostgreSQL (rows claimed FOR UPDATE SKIP LOCKED); on
  SQLite they take turns (one sweeper is the supported set-up there);
- a crash loses at most the batch in flight, which rolls back; the next pass does it;
- when the database goes away, the batch is retried (the connection dropped, waits doubling
  from one second) until the waits would pass `retry_for` seconds, logged each time; only then
  does the pass fail. `run_forever` survives a failed pass and starts the next one on schedule.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import InterfaceError, OperationalError, connection, reset_queries

from lapor.reports.services.sweeping import ACTIONS, BatchResult, sweep_batch

logger = logging.getLogger("lapor.reports.sweeps")

# Errors that mean "the database is not there right now" (connection lost or refused, SQLite
# file locked past its timeout), as opposed to a bug.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@dataclass
class PassResult:
    reports: int = 0
    batches: int = 0
    recorded: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        counts = " ".join(f"{action}={self.recorded[action]}" for action in ACTIONS)
        return (
            f"Deadline sweep: {self.reports} reports in {self.batches} batches, "
            f"{self.seconds:.2f} s: {counts} ({self.retries} retries)"
        )


@dataclass
class Sweeper:
    batch_size: int = 1000
    # Seconds to rest between batches: spares the database during a long catch-up.
    pause: float = 0.0
    # How long the database may stay away before a pass gives up.
    retry_for: float = 300.0
    first_wait: float = 1.0
    max_wait: float = 30.0
    stop: threading.Event = field(default_factory=threading.Event)
    sleep: Callable[[float], object] = time.sleep

    def run_pass(self) -> PassResult:
        """One walk over the queue; returns what it did. Raises after `retry_for` of outage."""
        result = PassResult()
        started = time.monotonic()
        after: tuple[datetime, int] | None = None
        while not self.stop.is_set():
            batch = self._batch_with_retries(after, result)
            reset_queries()  # DEBUG keeps every query; a long pass must not hoard them
            if not batch.claimed:
                break
            result.reports += batch.claimed
            result.batches += 1
            result.recorded.update(batch.recorded)
            after = batch.last_key
            if self.pause:
                self.stop.wait(self.pause)
        result.seconds = time.monotonic() - started
        logger.debug("%s", result.summary())
        return result

    def run_forever(
        self, interval: float, report: Callable[[PassResult], None] | None = None
    ) -> None:
        """A pass every `interval` seconds until `stop` is set; a failed pass is logged."""
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                result = self.run_pass()
            except Exception:
                logger.exception("Deadline sweep pass failed; the next pass retries.")
            else:
                if report is not None:
                    report(result)
            self.stop.wait(max(0.0, interval - (time.monotonic() - started)))

    def _batch_with_retries(
        self, after: tuple[datetime, int] | None, result: PassResult
    ) -> BatchResult:
        wait, waited = self.first_wait, 0.0
        while True:
            try:
                return sweep_batch(batch_size=self.batch_size, after=after)
            except TRANSIENT_ERRORS as error:
                # The batch rolled back (or committed just before the connection went: then
                # its reports left the queue and the retry does not see them again).
                if waited + wait > self.retry_for or self.stop.is_set():
                    logger.error("Database still unavailable; deadline sweep pass stopped.")
                    raise
                waited += wait
                result.retries += 1
                logger.warning(
                    "Database unavailable during the deadline sweep (%s); retry %d in %.1f s.",
                    _first_line(error),
                    result.retries,
                    wait,
                )
                _drop_connection()
                self.sleep(wait)
                wait = min(wait * 2, self.max_wait)


def _drop_connection() -> None:
    # A broken connection is not reused: the next query opens a fresh one. (Inside an outer
    # transaction, as in a test, the connection is not ours to close.)
    if connection.in_atomic_block:
        return
    with contextlib.suppress(Exception):  # it is being thrown away
        connection.close()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
