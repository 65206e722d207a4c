"""Signals other parts subscribe to (notifications, webhooks). Sent after commit only."""

from django.dispatch import Signal

# kwargs: event_id (int). Sent once per ReportEvent, after its transaction committed.
report_event_recorded = Signal()
