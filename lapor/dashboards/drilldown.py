"""The lists behind the numbers: which reports make up a dashboard figure.

Each list filters the same facts the figure was summed from (lapor.dashboards.models.stats),
so a list always has as many reports as its number says; then privacy.visible_to narrows it
to what the viewer may see (for staff in scope, nothing is removed).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lapor.dashboards.models import BounceFact, ReportFact
from lapor.dashboards.periods import Period
from lapor.dashboards.queries import DIMENSIONS, overdue_reports, scope_ids
from lapor.dashboards.tree import Node, Tree
from lapor.reports.models import Report, State
from lapor.reports.privacy import visible_to

# The list behind each number: a filter on the facts.
INDICATOR_FILTERS: dict[str, Q] = {
    "received": Q(),
    "verified": Q(verified=True),
    "routed": Q(routed=True),
    "followed_up": Q(followed_up=True),
    "not_followed_up": Q(routed=True, followed_up=False),
    "first_response_on_time": Q(first_response_on_time=True),
    "answered": Q(answered=True),
    "finished": Q(finished=True),
    "finished_on_time": Q(finished_on_time=True),
    "finished_late": Q(finished=True, finished_on_time=False),
    "reopened": Q(answered=True, reopen_count__gt=0),
    "escalated": Q(state=State.ESCALATED),
    "archived": Q(state=State.ARCHIVED),
    "rated": Q(rating__isnull=False),
    # The reports a working-day median or 90th percentile is taken over.
    "timed_first_response": Q(first_response_days__isnull=False),
    "timed_completion": Q(completion_days__isnull=False),
}
LIVE_INDICATORS = ("bounced", "overdue")


def facts_in(tree: Tree, period: Period, node: Node | None) -> QuerySet[ReportFact]:
    facts = ReportFact.objects.filter(day__gte=period.start, day__lte=period.end)
    ids = scope_ids(tree, node)
    return facts.filter(institution_id__in=ids) if ids is not None else facts


def report_list(
    user: Any,
    tree: Tree,
    period: Period,
    node: Node | None,
    indicator: str,
    *,
    dimension: str = "",
    value: str = "",
) -> QuerySet[Report]:
    """The reports behind one number of a dashboard, as `user` may see them (visible_to)."""
    if indicator == "overdue":
        qs = overdue_reports()
        if node is not None:
            qs = qs.filter(queue_institution__path__startswith=node.path)
        return visible_to(user, qs)
    if indicator == "bounced":
        return visible_to(user).filter(
            pk__in=bounce_list(user, tree, period, node).values("report_id")
        )
    facts = facts_in(tree, period, node).filter(INDICATOR_FILTERS[indicator])
    if dimension in DIMENSIONS:
        field = DIMENSIONS[dimension]
        facts = facts.filter(**{field: value or None} if field.endswith("_id") else {field: value})
    return visible_to(user).filter(pk__in=facts.values("report_id"))


def bounce_list(user: Any, tree: Tree, period: Period, node: Node | None) -> QuerySet[BounceFact]:
    """The "not our authority" moves behind the `bounced` number: one row per move (a report
    declined twice counts twice there, and is listed twice here), as `user` may see them."""
    bounces = BounceFact.objects.filter(day__gte=period.start, day__lte=period.end)
    ids = scope_ids(tree, node)
    if ids is not None:
        bounces = bounces.filter(institution_id__in=ids)
    return bounces.filter(report_id__in=visible_to(user).values("pk"))
