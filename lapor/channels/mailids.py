"""Which report an e-mail answers, from the Message-IDs in its In-Reply-To and References.

Two sources: ids this app recorded (the reporter's own earlier messages, and any message it
sent), and the e-mails the notifications app sent to that address (their Message-ID is derived
from each notification's idempotency key, so it is recomputed here rather than stored twice).
"""

from __future__ import annotations

import logging

from lapor.channels.models import KnownMessageId
from lapor.reports.models import Report

logger = logging.getLogger(__name__)

# Newest notifications to the same address that are compared (bounded work per message).
NOTIFICATIONS_SCANNED = 500


def report_for_message_ids(ids: list[str], sender: str) -> Report | None:
    if not ids:
        return None
    # The nearest parent comes last in References and alone in In-Reply-To: prefer it.
    wanted = list(reversed(ids))
    known = dict(
        KnownMessageId.objects.filter(message_id__in=wanted).values_list("message_id", "report")
    )
    for message_id in wanted:
        if message_id in known:
            return Report.objects.select_related("reporter").get(pk=known[message_id])
    return _from_notifications(wanted, sender)


def _from_notifications(wanted: list[str], sender: str) -> Report | None:
    try:
        from lapor.notifications.models import Notification
        from lapor.notifications.tasks import message_id
    except ImportError:  # the notifications app is optional
        return None
    rows = (
        Notification.objects.filter(channel="email", address__iexact=sender, report__isnull=False)
        .order_by("-id")
        .values_list("idempotency_key", "report_id")[:NOTIFICATIONS_SCANNED]
    )
    by_id = {message_id(key): report_id for key, report_id in rows}
    for candidate in wanted:
        if candidate in by_id:
            return Report.objects.select_related("reporter").get(pk=by_id[candidate])
    return None


def remember_outbound(message_id: str, report: Report) -> None:
    """Record a Message-ID this system sent about `report`, so replies to it thread."""
    KnownMessageId.objects.get_or_create(
        message_id=message_id[:255],
        defaults={"report": report, "direction": KnownMessageId.Direction.OUTBOUND},
    )
