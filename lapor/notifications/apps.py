from __future__ import annotations

import logging
from typing import Any

from django.apps import AppConfig
from django.core import checks

logger = logging.getLogger(__name__)


class NotificationsConfig(AppConfig):
    name = "lapor.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lapor.notifications.checks import check_notification_settings
        from lapor.reports.signals import report_event_recorded

        checks.register(check_notification_settings)
        report_event_recorded.connect(_on_event_recorded, dispatch_uid="notifications-on-event")


def _on_event_recorded(
    sender: Any,
    event_id: int | None = None,
    action: str | None = None,
    queued_at: Any = None,
    **kwargs: Any,
) -> None:
    # Sent after the event's transaction committed: the move has happened whatever becomes of
    # its messages, so a failure here is logged and never reaches the person who acted.
    if event_id is None:
        return
    from lapor.notifications.services import handles_action, notifications_for_event

    if action is not None and not handles_action(action):
        return  # e.g. deadlines_recomputed, rate: nobody is told; skip the look-ups

    try:
        notifications_for_event(event_id, as_of=queued_at)
    except Exception:
        logger.exception("Notifications for event %s could not be created.", event_id)
