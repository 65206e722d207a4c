from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"

    def ready(self) -> None:
        from lapor.workdays.signals import calendar_changed

        calendar_changed.connect(_on_calendar_changed, dispatch_uid="reports-recompute-deadlines")


def _on_calendar_changed(sender: Any, revision: int | None = None, **kwargs: Any) -> None:
    # The workdays app sends this after commit; the recompute runs in the worker.
    from lapor.reports.tasks import recompute_deadlines_task

    recompute_deadlines_task.enqueue(reason=f"Kalender hari kerja berubah (revisi {revision}).")
