"""Set-based writes for the sweeper and the recompute: many report rows updated, many events and
marks appended, in one statement each.

On PostgreSQL each write is one statement over arrays (`unnest`) on a server-side-binding
cursor, so neither the statement text nor the client's work grows with the number of rows;
elsewhere (SQLite) a prepared statement is run per row (`executemany`). Callers hold the rows'
locks and run inside their transaction. Database errors surface as Django's (wrapped).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from django.db import connection
from django.db.models import Field, JSONField

from lapor.reports.models import DeadlineMark, Report, ReportEvent
from lapor.reports.signals import report_event_recorded

logger = logging.getLogger("lapor.reports.sweeps")

# The columns of an appended event, in the order of the tuples insert_events takes.
EVENT_FIELDS = (
    "report_id",
    "sequence",
    "action",
    "actor_id",
    "actor_role",
    "from_state",
    "to_state",
    "reason",
    "message",
    "is_public",
    "data",
    "created_at",
)
MARK_FIELDS = ("report_id", "stage", "stage_started_at", "kind", "threshold_at", "created_at")


def _fields(model: type[Any], names: Sequence[str]) -> list[Field[Any, Any]]:
    found = []
    for name in names:
        field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
        assert isinstance(field, Field)
        found.append(field)
    return found


def _array_type(field: Field[Any, Any]) -> str:
    if isinstance(field, JSONField):
        return "text[]"  # serialised here, cast to jsonb in the statement
    return f"{field.db_type(connection)}[]"


def _pg(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one statement on the current connection and transaction with server-side binding
    (Django's cursors quote every value into the text on the client)."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql.encode(), params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    columns: list[list[Any]] = [[] for _ in range(width)]
    for row in rows:
        for i, value in enumerate(row):
            columns[i].append(value)
    return columns


def _prepared(fields: Sequence[Field[Any, Any]], row: Sequence[Any]) -> list[Any]:
    return [
        f.get_db_prep_value(v, connection, prepared=False) for f, v in zip(fields, row, strict=True)
    ]


def update_reports(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Set `columns` of each report to its row's values; a row is (value per column..., pk)."""
    if not rows:
        return
    fields = _fields(Report, columns)
    qn = connection.ops.quote_name
    table, key = qn(Report._meta.db_table), qn(Report._meta.pk.column)  # type: ignore[union-attr]
    names = [qn(f.column) for f in fields]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%b::{_array_type(f)}" for f in fields)
        assignments = ", ".join(f"{n} = v.{n}" for n in names)
        # Identifiers come from the model's metadata; every value is a parameter.
        sql = (
            f"UPDATE {table} AS r SET {assignments} "  # noqa: S608
            f"FROM unnest({arrays}, %b::bigint[]) AS v({', '.join(names)}, pk) "
            f"WHERE r.{key} = v.pk"
        )
        _pg(sql, _columns(rows, len(fields) + 1))
        return
    assignments = ", ".join(f"{n} = %s" for n in names)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*_prepared(fields, row[:-1]), row[-1]] for row in rows])


def insert_events(rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """Append events, each a tuple in EVENT_FIELDS order; returns their ids in that order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        events = [ReportEvent(**dict(zip(EVENT_FIELDS, row, strict=True))) for row in rows]
        ReportEvent.objects.bulk_create(events, batch_size=500)
        return [int(e.pk) for e in events]
    fields = _fields(ReportEvent, EVENT_FIELDS)
    qn = connection.ops.quote_name
    names = [qn(f.column) for f in fields]
    arrays = ", ".join(f"%b::{_array_type(f)}" for f in fields)
    selected = ", ".join(
        f"v.{n}::jsonb" if isinstance(f, JSONField) else f"v.{n}"
        for f, n in zip(fields, names, strict=True)
    )
    data = EVENT_FIELDS.index("data")
    columns = _columns(rows, len(fields))
    columns[data] = [json.dumps(value) for value in columns[data]]
    sql = (
        f"INSERT INTO {qn(ReportEvent._meta.db_table)} ({', '.join(names)}) "  # noqa: S608
        f"SELECT {selected} FROM unnest({arrays}) AS v({', '.join(names)}) "
        f"RETURNING {qn('id')}, {qn('report_id')}, {qn('sequence')}"
    )
    ids = {(report_id, sequence): pk for pk, report_id, sequence in _pg(sql, columns)}
    return [ids[(row[0], row[1])] for row in rows]


def insert_marks(rows: Sequence[tuple[Any, ...]]) -> set[tuple[int, str]]:
    """Insert the marks (tuples in MARK_FIELDS order) that do not exist yet, atomically
    (INSERT ... ON CONFLICT DO NOTHING); returns (report id, kind) of those inserted."""
    if not rows:
        return set()
    fields = _fields(DeadlineMark, MARK_FIELDS)
    qn = connection.ops.quote_name
    table = qn(DeadlineMark._meta.db_table)
    names = ", ".join(qn(f.column) for f in fields)
    returning = f"RETURNING {qn('report_id')}, {qn('kind')}"
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%b::{_array_type(f)}" for f in fields)
        sql = (
            f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) "  # noqa: S608
            f"ON CONFLICT DO NOTHING {returning}"
        )
        return {(int(r), str(k)) for r, k in _pg(sql, _columns(rows, len(fields)))}
    inserted: set[tuple[int, str]] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * len(chunk))
            sql = (
                f"INSERT INTO {table} ({names}) VALUES {values} ON CONFLICT DO NOTHING {returning}"  # noqa: S608
            )
            cursor.execute(sql, [p for row in chunk for p in _prepared(fields, row)])
            inserted.update((int(r), str(k)) for r, k in cursor.fetchall())
    return inserted


def lock_reports(
    columns: Sequence[str], ids: Sequence[int], states: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The `columns` of the reports among `ids` that are in `states`, locked (FOR UPDATE), in id
    order. On PostgreSQL one statement with binary results (no model instances, no text
    parsing); elsewhere through the ORM (SQLite locks the whole database at BEGIN anyway)."""
    if not ids:
        return []
    if connection.vendor != "postgresql":
        locked = (
            Report.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, state__in=states)
            .order_by("pk")
            .values_list(*columns)
        )
        return list(locked)
    qn = connection.ops.quote_name
    fields = _fields(Report, columns)
    names = ", ".join(qn(f.column) for f in fields)
    key = qn(Report._meta.pk.column)  # type: ignore[union-attr]
    sql = (
        f"SELECT {names} FROM {qn(Report._meta.db_table)} "  # noqa: S608
        f"WHERE {key} = ANY(%b::bigint[]) AND {qn('state')} = ANY(%b::varchar[]) "
        f"ORDER BY {key} FOR UPDATE"
    )
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql.encode(), [list(ids), list(states)], binary=True)  # type: ignore[arg-type]
        return cursor.fetchall()


def announce(event_ids: Iterable[int], *, queued_at: datetime | None = None) -> None:
    """Send `report_event_recorded` for each event; run it after commit.

    The events stand whatever a receiver does, so a failing receiver is logged and neither stops
    the others nor the caller (the sweeper, the recompute).
    """
    ids = list(event_ids)
    # One query for the batch, so receivers can skip actions they ignore without a look-up each.
    actions = dict(ReportEvent.objects.filter(pk__in=ids).values_list("pk", "action"))
    for event_id in ids:
        for receiver, outcome in report_event_recorded.send_robust(
            sender=ReportEvent, event_id=event_id, action=actions.get(event_id), queued_at=queued_at
        ):
            if isinstance(outcome, Exception):
                logger.error(
                    "report_event_recorded receiver %r failed for event %s",
                    receiver,
                    event_id,
                    exc_info=outcome,
                )
