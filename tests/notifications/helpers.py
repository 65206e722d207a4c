"""Helpers of the notification tests: running events through, and a real worker process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from lapor.notifications.models import Notification
from lapor.notifications.services import notifications_for_event
from lapor.reports.actors import SYSTEM
from lapor.reports.models import Report, ReportEvent
from lapor.reports.services._base import lock_report, write_event

ROOT = Path(__file__).resolve().parents[2]


def notify_all(report: Report) -> list[Notification]:
    """Process every event of `report` as the after-commit receiver would (idempotent)."""
    created: list[Notification] = []
    for event in ReportEvent.objects.filter(report=report).order_by("sequence"):
        created += notifications_for_event(event)
    return created


def last_event(report: Report) -> ReportEvent:
    return ReportEvent.objects.filter(report=report).order_by("-sequence").first()  # type: ignore[return-value]


def notify_last(report: Report) -> list[Notification]:
    return notifications_for_event(last_event(report))


def sweeper_event(report: Report, action: str, **data: Any) -> ReportEvent:
    """An event as the deadline sweeper writes it (the state does not change)."""
    with transaction.atomic():
        locked = lock_report(report)
        return write_event(
            locked,
            action=action,
            actor=SYSTEM,
            role="system",
            from_state=locked.state,
            to_state=locked.state,
            data=data,
        )


def worker_env(**extra: str) -> dict[str, str]:
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
    env.update(extra)
    return env


WORKER = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]


def run_worker_batch(env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*WORKER, "--batch", "--interval", "0.05"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*WORKER, "--interval", "0.05"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
