"""Action plans: progress against targets, and the writes (create, add, update, note).

Writes are plain model saves in one transaction each: an action plan is the institution's own
planning record, not part of the report workflow. Progress notes are append-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from lapor.dashboards import queries
from lapor.dashboards.indicators import Counters, Durations
from lapor.dashboards.models import (
    LOWER_IS_BETTER,
    PERCENT_INDICATORS,
    ActionPlan,
    ActionPlanActivity,
    ActionPlanNote,
    ActionPlanTarget,
    Indicator,
)
from lapor.dashboards.periods import Period
from lapor.dashboards.tree import Node, Tree


def actual_value(indicator: str, c: Counters, d: Durations) -> float | None:
    """The indicator's value in the target's unit (percent for rates)."""
    values: dict[str, float | None] = {
        Indicator.FOLLOW_UP_RATE: c.follow_up_rate,
        Indicator.FIRST_RESPONSE_RATE: c.first_response_rate,
        Indicator.FINISH_RATE: c.finish_rate,
        Indicator.ON_TIME_RATE: c.on_time_rate,
        Indicator.REOPEN_RATE: c.reopen_rate,
        Indicator.SATISFACTION: c.satisfaction_mean,
        Indicator.MEDIAN_FIRST_RESPONSE: d.first_response_median,
        Indicator.MEDIAN_COMPLETION: d.completion_median,
    }
    value = values[indicator]
    if value is not None and indicator in PERCENT_INDICATORS:
        return round(value * 100, 1)
    return None if value is None else round(value, 1)


@dataclass
class TargetProgress:
    target: ActionPlanTarget
    actual: float | None

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        goal = float(self.target.target)
        if self.target.indicator in LOWER_IS_BETTER:
            return self.actual <= goal
        return self.actual >= goal

    @property
    def unit(self) -> str:
        return "%" if self.target.indicator in PERCENT_INDICATORS else ""


@dataclass
class PlanProgress:
    plan: ActionPlan
    targets: list[TargetProgress]
    activities: list[ActionPlanActivity]
    notes: list[ActionPlanNote]
    today: date

    @property
    def targets_met(self) -> int:
        return sum(1 for t in self.targets if t.met)

    @property
    def activities_done(self) -> int:
        return sum(1 for a in self.activities if a.status == ActionPlanActivity.Status.DONE)

    @property
    def activities_late(self) -> int:
        return len(self.late_ids)

    @property
    def late_ids(self) -> set[int]:
        return {a.pk for a in self.activities if a.is_late(self.today)}


def plan_progress(plan: ActionPlan, tree: Tree, today: date) -> PlanProgress:
    node = tree.get(plan.institution_id)
    period = Period(plan.period_start, plan.period_end)
    targets = list(plan.targets.all())
    results = []
    if node is not None and targets:
        c = queries.scope_counters(tree, period, node)
        d = queries.durations(tree, period, node).get(None, Durations())
        results = [TargetProgress(t, actual_value(t.indicator, c, d)) for t in targets]
    return PlanProgress(
        plan=plan,
        targets=results,
        activities=list(plan.activities.all()),
        notes=list(plan.notes.select_related("author")),
        today=today,
    )


def progress_for(node: Node, period: Period, tree: Tree, today: date) -> list[PlanProgress]:
    """Plans of the institution overlapping the period, each with its progress."""
    plans = ActionPlan.objects.filter(
        institution_id=node.id, period_start__lte=period.end, period_end__gte=period.start
    )
    return [plan_progress(plan, tree, today) for plan in plans]


# --- writes -------------------------------------------------------------------------------


def create_plan(
    *, user: Any, institution_id: int, title: str, start: date, end: date
) -> ActionPlan:
    plan = ActionPlan(
        institution_id=institution_id,
        title=title.strip(),
        period_start=start,
        period_end=end,
        created_by=user,
    )
    plan.full_clean()
    plan.save()
    return plan


def set_target(*, plan: ActionPlan, indicator: str, target: Decimal) -> ActionPlanTarget:
    with transaction.atomic():
        row, _created = ActionPlanTarget.objects.update_or_create(
            plan=plan, indicator=indicator, defaults={"target": target}
        )
    return row


def add_activity(
    *, plan: ActionPlan, description: str, owner: str, due_on: date
) -> ActionPlanActivity:
    return ActionPlanActivity.objects.create(
        plan=plan, description=description.strip(), owner=owner.strip(), due_on=due_on
    )


def set_activity_status(
    *, activity: ActionPlanActivity, status: str, today: date
) -> ActionPlanActivity:
    if status not in ActionPlanActivity.Status.values:
        raise ValueError(f"unknown status {status!r}")
    activity.status = status
    activity.done_on = today if status == ActionPlanActivity.Status.DONE else None
    activity.save(update_fields=["status", "done_on"])
    return activity


def add_note(*, plan: ActionPlan, user: Any, text: str) -> ActionPlanNote:
    return ActionPlanNote.objects.create(plan=plan, author=user, text=text.strip())
