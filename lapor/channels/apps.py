from __future__ import annotations

import logging
from typing import Any

from django.apps import AppConfig
from django.core import checks

logger = logging.getLogger(__name__)


class ChannelsConfig(AppConfig):
    name = "lapor.channels"
    label = "channels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lapor.channels.checks import check_channel_settings
        from lapor.reports.signals import report_event_recorded

        checks.register(check_channel_settings)
        report_event_recorded.connect(_on_event_recorded, dispatch_uid="channels-webhooks-out")


def _on_event_recorded(sender: Any, event_id: int | None = None, **kwargs: Any) -> None:
    # Sent after the move committed: a failure to queue webhooks is logged, never shown to the
    # person who acted (their move has happened).
    if event_id is None:
        return
    from lapor.channels.webhooks.events import create_deliveries

    try:
        create_deliveries(event_id)
    except Exception:
        logger.exception("Webhook deliveries for event %s could not be created.", event_id)
