"""Background work of the reports app. Each task loads what it needs and is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from lapor.reports.services import recompute_open_deadlines


@task()
def recompute_deadlines_task(reason: str) -> int:
    return recompute_open_deadlines(reason=reason)
