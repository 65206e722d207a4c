"""Signals other parts subscribe to (notifications, webhooks). Sent after commit only."""

from django.dispatch import Signal

# kwargs: event_id (int), action (str: the event's action, so a receiver can ignore actions it
# does not handle without loading the event) and queued_at (aware datetime: when the event's
# transaction queued its announcement, or None). Sent by the worker once per ReportEvent, after
# its transaction committed (lapor/reports/outbox.py).
report_event_recorded = Signal()
