"""The sweeper on PostgreSQL, the production set-up: several sweepers share the queue (rows
claimed FOR UPDATE SKIP LOCKED), and the server may drop every connection and refuse new ones
for a moment. Real `manage.py sweep_deadlines` processes on the test database; each batch's
events commit with their announcement task (notifications and webhooks are the worker's work),
and the checks count those too.

postgres_only: the SQLite run deselects this module (`-m "not postgres_only"`); run on SQLite
anyway, it fails on purpose instead of skipping.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from lapor.reports.models import DeadlineMark, Report
from tests.factories import World
from tests.reports.due_rows import DUE_KINDS, assert_exactly_once, build_due_reports
from tests.reports.test_sweeps_processes import counts_of, expected_total, reports_of, start_sweeper

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

# 10,000 reports past a threshold, of every kind, and some that are not due yet.
TEN_THOUSAND = {
    "verification_warning": 2000,
    "verification_overdue": 1500,
    "completion_warning": 2000,
    "completion_overdue": 2000,
    "hold_expired": 1000,
    "window_passed": 1500,
}


@pytest.fixture(autouse=True)
def _on_postgresql() -> None:
    assert connection.vendor == "postgresql", (
        "postgres_only test: run it with DATABASE_URL=postgres://... "
        '(the SQLite run deselects it with -m "not postgres_only")'
    )


def test_two_sweepers_over_ten_thousand_due_reports_act_exactly_once(world: World) -> None:
    assert sum(TEN_THOUSAND.values()) == 10_000
    counts = {**TEN_THOUSAND, "pending": 500}
    ids = build_due_reports(world, counts, now=timezone.now())
    sweepers = [start_sweeper("--batch-size", "100") for _ in range(2)]
    outputs = []
    for sweeper in sweepers:
        out, err = sweeper.communicate(timeout=1200)
        assert sweeper.returncode == 0, err[-3000:]
        outputs.append(out)
    # Both took part (SKIP LOCKED let each take batches the other had not locked) ...
    shares = [reports_of(out) for out in outputs]
    assert all(share > 0 for share in shares), shares
    assert sum(shares) == 10_000
    # ... and between them every action happened, each exactly once.
    assert counts_of(outputs[0]) + counts_of(outputs[1]) == expected_total(counts)
    assert assert_exactly_once(ids) == expected_total(counts)
    assert DeadlineMark.objects.count() == sum(expected_total(counts).values())
    assert not Report.objects.filter(pk__in=ids["pending"]).exclude(last_event_sequence=1).exists()


@contextmanager
def server_refusing(database: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A superuser session on the maintenance database that can cut `database` off; whatever
    happens, `database` accepts connections again afterwards."""
    settings_dict = connection.settings_dict
    admin = psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )
    try:
        yield admin
    finally:
        admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')
        admin.close()


def test_the_database_disappearing_mid_pass_is_waited_out_and_nothing_is_lost(
    world: World,
) -> None:
    counts = dict.fromkeys(DUE_KINDS, 50)
    ids = build_due_reports(world, counts, now=timezone.now())
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (own_pid,) = cursor.fetchone()
    # A slow pass: 60 batches of 5, resting 0.1 s after each.
    sweeper = start_sweeper("--batch-size", "5", "--pause", "0.1", "--retry-for", "120")
    try:
        deadline = time.monotonic() + 120
        while DeadlineMark.objects.count() < 30:
            assert sweeper.poll() is None, "the sweeper ended before the outage"
            assert time.monotonic() < deadline, "the sweeper made no progress"
            time.sleep(0.05)
        with server_refusing(database) as admin:
            # Every session on the database is cut (the sweeper's, wherever it is in its batch)
            # and for three seconds no new one is let in.
            admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false')
            cut = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                [database, own_pid],
            ).fetchone()
            assert cut is not None and cut[0] >= 1
            time.sleep(3)
        out, err = sweeper.communicate(timeout=600)
    finally:
        sweeper.kill()
    assert sweeper.returncode == 0, err[-3000:]
    assert "Database unavailable during the deadline sweep" in err
    retries = int(re.findall(r"\((\d+) retries\)", out)[-1])
    assert retries >= 2, err[-12000:]  # the cut connection, then a refused reconnection
    assert assert_exactly_once(ids) == expected_total(counts)
