"""Drive a report into any lifecycle state through the services, at fixed moments.

By default every report is built on Monday 2 March 2026 in the morning (WITA, the zone of the
test world's Kalimantan Timur institutions); moves that need a deadline to have passed run at
LATE, months after every window the lifecycle opens. Times are set with lapor.lib.clock.at,
which the services read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Model

from lapor.accounts.models import User
from lapor.lib import clock
from lapor.reports import services, workflow
from lapor.reports.actors import GuestActor
from lapor.reports.models import (
    ArchiveReason,
    Assignment,
    Attachment,
    Report,
    ReportEvent,
    ReportType,
    ResolutionClass,
)
from tests.factories import World, fresh, submit

WITA = ZoneInfo("Asia/Makassar")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=WITA)  # a Monday: every report is built then
T1 = T0 + timedelta(hours=2)  # the same working day: before every deadline
LATE = datetime(2026, 9, 1, 9, 0, tzinfo=WITA)  # after every window opened at T0

# Where a handled report sits: routed to the city, or forwarded down inside it.
CITY, DEPARTMENT, UNIT = "city", "department", "unit"
HANDLED_STATES = (
    workflow.ROUTED,
    workflow.IN_PROGRESS,
    workflow.ANSWERED,
    workflow.FINISHED,
    workflow.ESCALATED,
)


def handler_at(world: World, placement: str) -> User:
    """The person who handles a report sitting at `placement`."""
    return {CITY: world.city_admin, DEPARTMENT: world.officer, UNIT: world.unit_officer}[placement]


def route_to_city(world: World, report: Report, actor: User | None = None) -> Report:
    return services.route_report(
        actor=actor or world.city_admin,
        report=report,
        institution=world.city,
        report_type=ReportType.COMPLAINT,
        resolution_class=ResolutionClass.STANDARD,
        category=world.category,
    )


def drive(
    world: World,
    state: str,
    *,
    placement: str = CITY,
    guest: bool = False,
    consented: bool = False,
    start: datetime = T0,
) -> tuple[Report, User | GuestActor]:
    """A report in `state`, reached through the services; returns it with its reporter.

    The report is submitted to Pemkot Samarinda (so it waits in the city's verification queue),
    routed by the city admin to the city and, for `placement` department or unit, forwarded
    down. Every move runs at `start`, except the reporter's consent to the Ombudsman hand-over
    (`consented`, or on the way to escalated), which runs at LATE.
    """
    with clock.at(start):
        report, reporter = submit(
            world, by="guest" if guest else "reporter", suggested_institution_id=world.city.pk
        )
        if state == workflow.ON_HOLD:
            services.hold_report(actor=world.city_admin, report=report, question="Di sekolah mana?")
        elif state == workflow.ARCHIVED:
            services.archive_report(
                actor=world.city_admin, report=report, reason_code=ArchiveReason.SPAM
            )
        elif state in HANDLED_STATES:
            _handle(world, report, reporter, state, placement)
    if consented or state == workflow.ESCALATED:
        with clock.at(LATE):
            services.consent_to_ombudsman(actor=reporter, report=report)
            if state == workflow.ESCALATED:
                services.escalate_to_ombudsman(actor=world.national_admin, report=report)
    report = fresh(report)
    assert report.state == state, (report.state, state)
    return report, reporter


def _handle(
    world: World, report: Report, reporter: User | GuestActor, state: str, placement: str
) -> None:
    route_to_city(world, report)
    if placement in (DEPARTMENT, UNIT):
        services.forward_report(actor=world.city_admin, report=report, institution=world.department)
    if placement == UNIT:
        services.forward_report(actor=world.officer, report=report, institution=world.unit)
    handler = handler_at(world, placement)
    if state in (workflow.IN_PROGRESS, workflow.ANSWERED, workflow.FINISHED):
        services.post_follow_up(actor=handler, report=report, message="Sedang kami periksa.")
    if state in (workflow.ANSWERED, workflow.FINISHED):
        services.post_answer(actor=handler, report=report, message="Pungutan telah dihentikan.")
    if state == workflow.FINISHED:
        services.confirm_report(actor=reporter, report=report)


def _rows(model: type[Model], column: str, value: int) -> list[tuple[Any, ...]]:
    # Plain SQL: the matrix takes thousands of snapshots, and the ORM's compile step is most
    # of the cost of a query this small.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s ORDER BY id", [value])  # noqa: S608
        return cursor.fetchall()


def snapshot(report: Report) -> dict[str, Any]:
    """What a failed move must leave untouched: the report row, its events, hops and files."""
    return {
        "report": _rows(Report, "id", report.pk),
        "events": _rows(ReportEvent, "report_id", report.pk),
        "assignments": _rows(Assignment, "report_id", report.pk),
        "attachments": _rows(Attachment, "report_id", report.pk),
    }


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is always rolled back: module-wide rows that vanish afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def reloaded(world: World) -> World:
    """The same world read back from the database: a test may change its objects freely."""
    values = {f.name: getattr(world, f.name) for f in dataclasses.fields(world)}
    rows: dict[type[Model], dict[Any, Any]] = {}
    for model in {type(v) for v in values.values()}:
        pks = [v.pk for v in values.values() if type(v) is model]
        rows[model] = model._default_manager.in_bulk(pks)
    return World(**{name: rows[type(v)][v.pk] for name, v in values.items()})
