"""Two people making the same move on the same report at the same moment: one wins, the other
gets a clear conflict (InvalidTransition, 409), and the record shows one move.

Each party is a real thread with its own database connection, released together by a barrier.
The winner is held inside its transaction for a moment after it has locked the report, so the
loser really arrives while the lock is held: on PostgreSQL it waits on the row lock
(select_for_update), on SQLite on the write lock every transaction takes at BEGIN IMMEDIATE;
then it reads the winner's state and the table refuses the move.

The project's SQLite test database is a file, opened with the project's options (WAL,
IMMEDIATE, busy timeout), which is what an installation runs on. Should it be configured in
memory (SQLITE_TEST_PATH=":memory:"), a second writer on the shared cache would get "database
table is locked" at once instead of waiting (the busy timeout does not apply to shared-cache
locks), so the threads then work on a file copy of the migrated test database.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection, connections

from lapor.accounts.models import Role
from lapor.institutions.models import WITA, Region
from lapor.reports import services
from lapor.reports.errors import InvalidTransition
from lapor.reports.models import Assignment, Report, ReportEvent, ReportType, ResolutionClass, State
from lapor.reports.services import handling, verification
from tests.factories import World, build_world, make_staff, report_input
from tests.reports.lifecycle import DEPARTMENT, drive

pytestmark = pytest.mark.django_db(transaction=True)

T = TypeVar("T")
HOLD_LOCK_SECONDS = 0.3


def in_thread(fn: Callable[[], T]) -> T:
    """Run `fn` in a new thread (so on its own connection) and return its result."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as error:  # handed back to the caller
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def race(*moves: Callable[[], Any]) -> list[Any]:
    """Start every move at the same moment, each in its own thread; returns each outcome:
    the move's result, or the exception it raised."""
    barrier = threading.Barrier(len(moves))
    outcomes: list[Any] = [None] * len(moves)

    def run(i: int, move: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = move()
        except BaseException as error:  # a DomainError, or anything else: the caller checks
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, m)) for i, m in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a move never finished"
    return outcomes


@contextmanager
def threads_database(tmp_path: Path) -> Iterator[None]:
    """Make sure new connections (the threads') open a database where writers wait for each
    other: the test database itself, or a file copy of an in-memory one."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    original = connections.settings[connection.alias]
    connections.settings[connection.alias] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings[connection.alias] = original


@contextmanager
def slow_after_lock(module: Any) -> Iterator[None]:
    """Hold the winner inside its transaction, report locked, for HOLD_LOCK_SECONDS."""
    original = module.record

    @wraps(original)
    def record(*args: Any, **kwargs: Any) -> Any:
        time.sleep(HOLD_LOCK_SECONDS)
        return original(*args, **kwargs)

    module.record = record
    try:
        yield
    finally:
        module.record = original


def ensure_regions() -> None:
    # A transactional test empties every table when it ends; the regions loaded by the
    # migrations may already be gone when this test starts.
    kaltim, _ = Region.objects.get_or_create(
        code="64", defaults={"name": "Kalimantan Timur", "level": "province", "timezone": WITA}
    )
    for code, name in (("64.71", "Kota Balikpapan"), ("64.72", "Kota Samarinda")):
        Region.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": "city", "province": kaltim, "timezone": WITA},
        )


def setup_world() -> World:
    ensure_regions()
    return build_world()


def assert_one_winner(outcomes: list[Any]) -> int:
    winners = [i for i, o in enumerate(outcomes) if isinstance(o, Report)]
    losers = [o for o in outcomes if not isinstance(o, Report)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    assert isinstance(losers[0], InvalidTransition), repr(losers[0])
    assert (losers[0].status, losers[0].code) == (409, "invalid_transition")
    return winners[0]


def test_two_admins_routing_the_same_report(tmp_path: Path) -> None:
    with threads_database(tmp_path):
        world = in_thread(setup_world)
        report = in_thread(
            lambda: (
                services.submit_report(
                    actor=world.reporter, data=report_input(suggested_institution_id=world.city.pk)
                ).report
            )
        )

        def route(actor: Any, target: Any) -> Callable[[], Report]:
            return lambda: services.route_report(
                actor=actor,
                report=report.pk,
                institution=target,
                report_type=ReportType.COMPLAINT,
                resolution_class=ResolutionClass.STANDARD,
            )

        with slow_after_lock(verification):
            outcomes = race(
                route(world.national_admin, world.city),
                route(world.city_admin, world.department),
            )
        winner = assert_one_winner(outcomes)

        def check() -> None:
            stored = Report.objects.get(pk=report.pk)
            assert stored.state == State.ROUTED
            assert stored.queue_institution_id == (world.city, world.department)[winner].pk
            routes = ReportEvent.objects.filter(report=report.pk, action="route")
            assert routes.count() == 1
            assert routes.get().actor_id == (world.national_admin, world.city_admin)[winner].pk
            assert ReportEvent.objects.filter(report=report.pk).count() == 2
            assert stored.last_event_sequence == 2
            hops = Assignment.objects.filter(report=report.pk)
            assert hops.filter(kind=Assignment.Kind.ROUTE).count() == 1
            assert hops.filter(ended_at__isnull=True).count() == 1

        in_thread(check)


def test_two_officers_answering_the_same_report(tmp_path: Path) -> None:
    with threads_database(tmp_path):

        def setup() -> tuple[World, Report, Any]:
            world = setup_world()
            report, _ = drive(world, State.IN_PROGRESS, placement=DEPARTMENT)
            colleague = make_staff(Role.UNIT_OFFICER, world.department)
            return world, report, colleague

        world, report, colleague = in_thread(setup)

        def answer(actor: Any, text: str) -> Callable[[], Report]:
            return lambda: services.post_answer(actor=actor, report=report.pk, message=text)

        with slow_after_lock(handling):
            outcomes = race(
                answer(world.officer, "Jawaban petugas pertama."),
                answer(colleague, "Jawaban petugas kedua."),
            )
        winner = assert_one_winner(outcomes)

        def check() -> None:
            stored = Report.objects.get(pk=report.pk)
            assert stored.state == State.ANSWERED
            answers = ReportEvent.objects.filter(report=report.pk, action="answer")
            assert answers.count() == 1
            event = answers.get()
            assert event.actor_id == (world.officer, colleague)[winner].pk
            assert event.message == ("Jawaban petugas pertama.", "Jawaban petugas kedua.")[winner]
            sequences = list(
                ReportEvent.objects.filter(report=report.pk).values_list("sequence", flat=True)
            )
            assert sequences == list(range(1, len(sequences) + 1))
            assert stored.last_event_sequence == len(sequences)

        in_thread(check)
