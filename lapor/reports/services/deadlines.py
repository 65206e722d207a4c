"""Deadline upkeep: recompute open deadlines after the calendar changed."""

from __future__ import annotations

from itertools import islice

from django.db import transaction

from lapor.reports.actors import SYSTEM
from lapor.reports.models import OPEN_STATES, Report
from lapor.reports.policy import current_policy, expected_deadlines
from lapor.reports.services._base import iso, write_event


def recompute_open_deadlines(*, reason: str, batch_size: int = 500) -> int:
    """Recompute every open report's current deadline; record an event on each one that moved.

    Safe to run twice (a second run finds nothing to change) and in batches, each its own
    transaction, so a crash half-way loses nothing: the next run finishes the rest.
    Returns how many reports changed.
    """
    policy = current_policy()
    ids = Report.objects.filter(state__in=OPEN_STATES).order_by("pk").values_list("pk", flat=True)
    iterator = ids.iterator(chunk_size=batch_size)
    changed = 0
    while chunk := list(islice(iterator, batch_size)):
        with transaction.atomic():
            reports = (
                Report.objects.select_for_update(of=("self",))
                .select_related("queue_institution__region__province")
                .select_related("responsible_institution__region__province")
                .filter(pk__in=chunk, state__in=OPEN_STATES)
            )
            for report in reports:
                diffs = {}
                for name, value in expected_deadlines(report, policy).items():
                    old = getattr(report, name)
                    if old != value:
                        diffs[name] = {"from": iso(old), "to": iso(value)}
                        setattr(report, name, value)
                if diffs:
                    changed += 1
                    write_event(
                        report,
                        action="deadlines_recomputed",
                        actor=SYSTEM,
                        role="system",
                        from_state=report.state,
                        to_state=report.state,
                        reason=reason,
                        is_public=False,
                        data=diffs,
                    )
    return changed
