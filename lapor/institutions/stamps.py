"""Database triggers that change the reference stamp whenever a watched table changes.

`watch_table(table, ignore=...)` is a migration operation: on PostgreSQL a statement-level
BEFORE trigger (the stamp row is locked before any row of the statement, so two writers of
reference tables queue instead of deadlocking), on SQLite row-level AFTER triggers (SQLite has
no other kind; writers are serialised anyway). Both set the stamp to a fresh random value with
an upsert, so the row comes back after a flush. `ignore` names columns whose updates are
bookkeeping (a token's last use, a user's last login): an UPDATE that sets only those leaves
the stamp alone, so touching a token every minute does not empty every cache.

The UPDATE trigger lists the columns it watches as they were when the migration ran; a field
added later needs a migration that calls `watch_table` again (tests/institutions/
test_refcache.py fails until it does).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import migrations

STAMP_TABLE = "institutions_referencestamp"
FUNCTION = "lapor_bump_reference_stamp"

# The watched tables and their bookkeeping columns, as the migrations set them up (each app's
# migration "reference_stamp"). Tests check the triggers against this and the models.
WATCHED: dict[str, tuple[str, ...]] = {
    "institutions_region": (),
    "institutions_category": (),
    "institutions_institution": (),
    "accounts_user": ("last_login",),
    "accounts_membership": (),
    "api_apitoken": ("last_used_at",),
    "channels_open311client": ("last_used_at",),
    "reports_deadlinepolicy": (),
    "workdays_holiday": (),
}

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION lapor_bump_reference_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO institutions_referencestamp (id, value)
    VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END
$$;
"""
_SQLITE_BUMP = (
    "INSERT INTO institutions_referencestamp (id, value) VALUES (1, lower(hex(randomblob(16)))) "
    "ON CONFLICT(id) DO UPDATE SET value = excluded.value;"
)


def trigger_name(table: str, event: str) -> str:
    return f"lapor_stamp_{table}_{event}"


def install_function(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION)


def remove_function(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE")


def watched_columns(model: Any, ignore: Iterable[str]) -> list[str]:
    ignored = set(ignore)
    return sorted(f.column for f in model._meta.concrete_fields if f.column not in ignored)


def _statements(vendor: str, table: str, columns: list[str] | None) -> list[str]:
    qn = '"{}"'.format
    if vendor == "postgresql":
        update = f"UPDATE OF {', '.join(qn(c) for c in columns)}" if columns else "UPDATE"
        return [
            f"CREATE TRIGGER {trigger_name(table, 'write')} BEFORE INSERT OR DELETE OR TRUNCATE "
            f"ON {qn(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
            f"CREATE TRIGGER {trigger_name(table, 'update')} BEFORE {update} "
            f"ON {qn(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        ]
    if vendor == "sqlite":
        update = f"UPDATE OF {', '.join(qn(c) for c in columns)}" if columns else "UPDATE"
        return [
            f"CREATE TRIGGER {trigger_name(table, event.split()[0].lower())} AFTER {event} "
            f"ON {qn(table)} BEGIN {_SQLITE_BUMP} END"
            for event in ("INSERT", "DELETE", update)
        ]
    raise NotImplementedError(f"reference stamp triggers for {vendor}")


def _drop(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS {trigger_name(table, event)} ON "{table}"'
            for event in ("write", "update")
        ]
    return [
        f"DROP TRIGGER IF EXISTS {trigger_name(table, event)}"
        for event in ("insert", "delete", "update")
    ]


def watch_table(app_label: str, model_name: str, ignore: Iterable[str] = ()) -> Any:
    """A migration operation: (re)create the triggers of one model's table."""
    ignored = tuple(ignore)

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        table, vendor = model._meta.db_table, schema_editor.connection.vendor
        columns = watched_columns(model, ignored) if ignored else None
        for sql in [*_drop(vendor, table), *_statements(vendor, table, columns)]:
            schema_editor.execute(sql)

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        for sql in _drop(schema_editor.connection.vendor, model._meta.db_table):
            schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards, elidable=False)
