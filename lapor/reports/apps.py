from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"

    def ready(self) -> None:
        from lapor.workdays.signals import calendar_changed

        calendar_changed.connect(_on_calendar_changed, dispatch_uid="reports-recompute-deadlines")
        _forget_on_writes()


def _forget_on_writes() -> None:
    """A request that writes a row the request memo holds reads its own write afterwards."""
    from django.db.models.signals import post_delete, post_save

    from lapor.accounts.models import Membership
    from lapor.institutions.models import Institution
    from lapor.lib.memo import forget
    from lapor.reports.models import DeadlinePolicy
    from lapor.workdays.models import CalendarRevision

    def receiver(**kwargs: Any) -> None:
        forget()

    for model in (DeadlinePolicy, Membership, Institution, CalendarRevision):
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"memo-{model.__name__}"
            )


def _on_calendar_changed(sender: Any, revision: int | None = None, **kwargs: Any) -> None:
    # The workdays app sends this after commit; the recompute runs in the worker.
    from lapor.reports.tasks import recompute_deadlines_task

    recompute_deadlines_task.enqueue(reason=f"Kalender hari kerja berubah (revisi {revision}).")
