"""Signals other parts subscribe to (notifications, webhooks). Sent after commit only."""

from django.dispatch import Signal

# kwargs: event_id (int) and action (str: the event's action, so a receiver can ignore actions it
# does not handle without loading the event). Sent once per ReportEvent, after its transaction
# committed.
report_event_recorded = Signal()
