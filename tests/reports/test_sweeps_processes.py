"""The sweeper as it runs: real `manage.py sweep_deadlines` processes on the test database.

Crashes and concurrency are shown on both databases: a sweeper killed (SIGKILL) in the middle of
a pass and started again, and two sweepers started together, leave every action done exactly
once. The database going away for a moment is shown in process: the sweeper's transaction is
refused a lock (SQLite: another connection holds the file; PostgreSQL: another session holds
the table) until the sweeper has logged, waited and retried.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from lapor.reports.models import DeadlineMark, Report, ReportEvent
from lapor.reports.policy import current_policy, expected_deadlines
from lapor.reports.services import recompute_open_deadlines
from lapor.reports.sweeps import Sweeper
from lapor.workdays.services import add_holiday, get_calendar
from tests.factories import World
from tests.reports.due_rows import DUE_KINDS, KINDS, assert_exactly_once, build_due_reports
from tests.reports.test_recompute_worker import worker_env

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SWEEP = [sys.executable, "manage.py", "sweep_deadlines"]


def counts_of(output: str) -> Counter[str]:
    """The action counts of the sweeper's summary lines."""
    found: Counter[str] = Counter()
    for line in output.splitlines():
        if line.startswith("Deadline sweep:"):
            found.update({k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)})
    return found


def reports_of(output: str) -> int:
    return sum(int(n) for n in re.findall(r"Deadline sweep: (\d+) reports", output))


def run_sweeper(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*SWEEP, *args],
        cwd=ROOT,
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def start_sweeper(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*SWEEP, *args],
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def expected_total(counts: dict[str, int]) -> Counter[str]:
    total: Counter[str] = Counter()
    for kind, n in counts.items():
        for action in KINDS[kind].actions:
            total[action] += n
    return total


def test_one_pass_acts_once_on_every_due_report(world: World) -> None:
    counts = dict.fromkeys(KINDS, 15)
    ids = build_due_reports(world, counts, now=timezone.now())
    first = run_sweeper("--batch-size", "20")
    assert counts_of(first.stdout) == expected_total(counts)
    second = run_sweeper()
    assert reports_of(second.stdout) == 0
    assert assert_exactly_once(ids) == expected_total(counts)
    # The not-yet-due reports wait in the queue at their warning point.
    assert not Report.objects.filter(
        pk__in=ids["pending"], next_sweep_at__lt=timezone.now()
    ).exists()


def test_a_sweeper_killed_mid_pass_then_restarted_acts_exactly_once(world: World) -> None:
    counts = dict.fromkeys(DUE_KINDS, 100)
    ids = build_due_reports(world, counts, now=timezone.now())
    total = sum(expected_total(counts).values())
    # 30 batches with a rest of 0.2 s after each: the kill lands well inside the pass.
    sweeper = start_sweeper("--batch-size", "20", "--pause", "0.2")
    try:
        deadline = time.monotonic() + 120
        while DeadlineMark.objects.count() < 40:
            assert sweeper.poll() is None, "the sweeper ended before it could be killed"
            assert time.monotonic() < deadline, "the sweeper made no progress"
            time.sleep(0.05)
        sweeper.send_signal(signal.SIGKILL)
    finally:
        sweeper.kill()
        sweeper.communicate(timeout=60)
    assert sweeper.returncode == -signal.SIGKILL
    done_before = DeadlineMark.objects.count()
    assert 0 < done_before < total, "the kill did not land in the middle of the pass"

    run_sweeper("--batch-size", "200")
    assert assert_exactly_once(ids) == expected_total(counts)
    assert DeadlineMark.objects.count() == total


def test_two_sweepers_at_once_never_repeat_an_action(world: World) -> None:
    counts = dict.fromkeys(DUE_KINDS, 60)
    ids = build_due_reports(world, counts, now=timezone.now())
    sweepers = [start_sweeper("--batch-size", "10") for _ in range(2)]
    outputs = []
    for sweeper in sweepers:
        out, err = sweeper.communicate(timeout=600)
        assert sweeper.returncode == 0, err[-3000:]
        outputs.append(out)
    together = counts_of(outputs[0]) + counts_of(outputs[1])
    assert together == expected_total(counts)
    assert assert_exactly_once(ids) == expected_total(counts)


# --- the database unavailable for a moment ---------------------------------------------------


@contextmanager
def database_locked_for(seconds: float) -> Iterator[None]:
    """Another connection holds the reports (SQLite: the whole file) for `seconds`, and the
    test's own connection gives up waiting for a lock after 0.2 s until it reconnects."""
    ready, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []
    settings_dict = connection.settings_dict

    def hold() -> None:
        try:
            if connection.vendor == "sqlite":
                import sqlite3

                other = sqlite3.connect(settings_dict["NAME"], isolation_level=None)
                other.execute("BEGIN EXCLUSIVE")
            else:
                import psycopg

                other = psycopg.connect(
                    dbname=settings_dict["NAME"],
                    user=settings_dict["USER"],
                    host=settings_dict["HOST"] or "127.0.0.1",
                    port=settings_dict["PORT"] or 5432,
                    password=settings_dict["PASSWORD"] or None,
                )
                other.execute("LOCK TABLE reports_report IN ACCESS EXCLUSIVE MODE")
            ready.set()
            release.wait(seconds)
            other.rollback()
            other.close()
        except BaseException as error:  # handed to the test
            failure.append(error)
            ready.set()

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout = 200")
        else:
            cursor.execute("SET lock_timeout = '200ms'")
    holder = threading.Thread(target=hold)
    holder.start()
    ready.wait(10)
    try:
        assert not failure, failure
        yield
    finally:
        release.set()
        holder.join(30)


def test_the_sweeper_waits_out_a_locked_database_and_loses_nothing(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    counts = dict.fromkeys(DUE_KINDS, 10)
    ids = build_due_reports(world, counts, now=timezone.now())
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    with database_locked_for(1.5), caplog.at_level("WARNING", logger="lapor.reports.sweeps"):
        result = Sweeper(batch_size=25, first_wait=0.5, sleep=sleep).run_pass()
    assert result.retries >= 1
    assert waits[0] == 0.5
    assert "Database unavailable during the deadline sweep" in caplog.text
    assert assert_exactly_once(ids) == expected_total(counts)
    assert result.recorded == expected_total(counts)


def test_the_recompute_in_two_threads_rewrites_every_report_once(world: World) -> None:
    # On PostgreSQL, outside a transaction, the chunks are shared by two threads (each with its
    # own connection); on SQLite they run one after the other. The outcome is the same.
    counts = {"pending": 150, "completion_warning": 100, "verification_warning": 50}
    ids = build_due_reports(world, counts, now=timezone.now())
    every = [pk for pks in ids.values() for pk in pks]
    today = timezone.localdate()
    holiday = get_calendar(None).add_working_days(today, 2)
    add_holiday(actor=world.national_admin, date=holiday, name="Libur uji", kind="national")
    before = dict(Report.objects.filter(pk__in=every).values_list("pk", "last_event_sequence"))

    changed = recompute_open_deadlines(reason="Libur baru.", batch_size=20, workers=2)

    policy = current_policy()
    moved = 0
    for report in Report.objects.filter(pk__in=every).select_related(
        "queue_institution__region__province", "responsible_institution__region__province"
    ):
        expected = expected_deadlines(report, policy)
        assert {k: getattr(report, k) for k in expected} == expected
        moved += report.last_event_sequence - before[report.pk]
        assert report.last_event_sequence - before[report.pk] in (0, 1)
    assert changed == moved > 0
    assert ReportEvent.objects.filter(action="deadlines_recomputed").count() == changed
    assert recompute_open_deadlines(reason="Sekali lagi.", batch_size=20, workers=2) == 0


def test_a_looping_sweeper_keeps_sweeping_and_stops_cleanly_on_sigterm(world: World) -> None:
    counts = dict.fromkeys(DUE_KINDS, 5)
    ids = build_due_reports(world, counts, now=timezone.now())
    sweeper = start_sweeper("--loop", "--interval", "0.5")
    try:
        deadline = time.monotonic() + 60
        while DeadlineMark.objects.count() < sum(expected_total(counts).values()):
            assert sweeper.poll() is None
            assert time.monotonic() < deadline, "the looping sweeper did not finish the work"
            time.sleep(0.1)
        time.sleep(1.5)  # a few more (empty) passes
        sweeper.send_signal(signal.SIGTERM)
        out, err = sweeper.communicate(timeout=30)
    finally:
        sweeper.kill()
    assert sweeper.returncode == 0, err[-3000:]
    assert out.count("Deadline sweep:") >= 2
    assert counts_of(out) == expected_total(counts)
    assert assert_exactly_once(ids) == expected_total(counts)
