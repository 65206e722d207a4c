"""A holiday added by an admin moves open deadlines, through the real background worker.

The admin's change enqueues a task after commit (signal calendar_changed); a real
`manage.py db_worker` process, on the same test database, runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from lapor.lib import clock
from lapor.reports.models import ReportEvent
from lapor.workdays.services import add_holiday
from tests.factories import aware, fresh, submit

ROOT = Path(__file__).resolve().parents[2]
# Other tasks (notifications of the routing, for instance) share the queue; this test is about
# the recompute.
RECOMPUTE_TASK = "lapor.reports.tasks.recompute_deadlines_task"


def worker_env() -> dict[str, str]:
    """The environment that points a child process at this test's database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND"}}
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(settings_dict["NAME"])
    else:
        user, host = settings_dict["USER"], settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        env["DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    return env


@pytest.mark.django_db(transaction=True)
def test_new_holiday_moves_open_deadlines_through_a_real_worker(world) -> None:  # type: ignore[no-untyped-def]
    # Routed on Monday 2027-03-01 at 10:00 WITA to Kota Samarinda: 14 working days from
    # Tuesday 03-02 end on Friday 03-19 (no holidays in the test table).
    with clock.at(aware(2027, 3, 1, 10, tz="Asia/Makassar")):
        report, _ = submit(world)
        world.route(report, world.city)
    before = fresh(report).completion_due_at
    assert before is not None
    assert before.astimezone(world.city_zone()).date() == date(2027, 3, 19)

    # Wednesday 2027-03-10 becomes a holiday: the deadline moves one working day, to Monday.
    add_holiday(
        actor=world.national_admin, date=date(2027, 3, 10), name="Libur uji", kind="national"
    )
    recompute = DBTaskResult.objects.filter(task_path=RECOMPUTE_TASK)
    assert recompute.filter(status="READY").count() == 1
    assert fresh(report).completion_due_at == before  # nothing changes until the worker runs

    result = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    after = fresh(report).completion_due_at
    assert after is not None
    assert after.astimezone(world.city_zone()).date() == date(2027, 3, 22)
    event = ReportEvent.objects.get(report=report, action="deadlines_recomputed")
    assert event.data["completion_due_at"]["to"] == after.isoformat()
    assert recompute.get().status == "SUCCESSFUL"
