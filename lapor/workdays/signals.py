"""Signals sent by lapor.workdays."""

from __future__ import annotations

import django.dispatch

# Sent once, after the transaction commits, whenever the holiday table changed.
# Keyword arguments: `revision` (int), the new CalendarRevision value. Receivers (the reports app)
# recompute open deadlines; they should enqueue a task rather than do the work inline.
calendar_changed = django.dispatch.Signal()
