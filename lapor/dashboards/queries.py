"""Every aggregate the dashboards show (architecture rule: aggregates live here).

Figures over a period come from the summary tables (lapor.dashboards.models.stats): whole
months from the monthly rows, the days of a partial month at either end from the per-report
facts, in ONE query per figure family (a UNION ALL of the parts). "Now" figures (overdue now,
admin activity, the complaint-team decree) are read live from small, indexed selections.

Per-institution counters for a period are computed once for the whole tree and cached under
the summary's version (StatsRefresh.token): every page (national, ranking, province, an
institution) rolls its subtrees up from that one result in Python (lapor.dashboards.tree).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import CharField, Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast

from lapor.accounts.models import Membership, Role
from lapor.dashboards.indicators import Counters, Durations
from lapor.dashboards.models import (
    COUNTER_FIELDS,
    BounceFact,
    MonthlyBreakdown,
    MonthlyDuration,
    MonthlyStats,
    OverdueCount,
    ReportFact,
)
from lapor.dashboards.periods import Period
from lapor.dashboards.tree import Node, Tree, Version
from lapor.institutions.models import ComplaintTeamDecree
from lapor.reports.models import Report, ReportEvent, State

CACHE_SECONDS = 6 * 3600
ZERO = Value(0, output_field=IntegerField())

# How each counter is computed from facts (FACT_COUNTERS), from monthly rows, and from
# bounce facts. The same names in the same order, so the three can be one UNION ALL.
FACT_COUNTERS: dict[str, Any] = {
    "received": Count("pk"),
    "verified": Count("pk", filter=Q(verified=True)),
    "routed": Count("pk", filter=Q(routed=True)),
    "followed_up": Count("pk", filter=Q(followed_up=True)),
    "first_response_on_time": Count("pk", filter=Q(first_response_on_time=True)),
    "answered": Count("pk", filter=Q(answered=True)),
    "finished": Count("pk", filter=Q(finished=True)),
    "finished_on_time": Count("pk", filter=Q(finished_on_time=True)),
    "reopened": Count("pk", filter=Q(answered=True, reopen_count__gt=0)),
    "reopen_events": Sum("reopen_count"),
    "escalated": Count("pk", filter=Q(state=State.ESCALATED)),
    "archived": Count("pk", filter=Q(state=State.ARCHIVED)),
    **{f"rating_{r}": Count("pk", filter=Q(rating=r)) for r in range(1, 6)},
    "bounced": ZERO,
}
MONTHLY_COUNTERS: dict[str, Any] = {name: Sum(name) for name in COUNTER_FIELDS}
BOUNCE_COUNTERS: dict[str, Any] = {
    **{name: ZERO for name in COUNTER_FIELDS if name != "bounced"},
    "bounced": Count("pk"),
}
assert tuple(FACT_COUNTERS) == tuple(MONTHLY_COUNTERS) == tuple(BOUNCE_COUNTERS) == COUNTER_FIELDS
# Annotations are named n_<counter>: most counters share their name with a fact field, and an
# annotation may not shadow the field its own filter reads.
ANNOTATED = tuple(f"n_{name}" for name in COUNTER_FIELDS)


def counter_annotations(expressions: dict[str, Any]) -> dict[str, Any]:
    return {f"n_{name}": expression for name, expression in expressions.items()}


# Breakdown dimensions: name -> the fact field holding the value.
DIMENSIONS: dict[str, str] = {
    "channel": "channel",
    "type": "report_type",
    "class": "resolution_class",
    "category": "category_root_id",
    "state": "state",
}

# --- the summary's version ----------------------------------------------------------------


def _cached(key: str, version: Version, compute: Any) -> Any:
    full_key = f"dash:{version.token}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


# --- period filters -----------------------------------------------------------------------


def _edge_q(period: Period) -> Q | None:
    """The facts' filter for the days outside whole months (None: there are none)."""
    q: Q | None = None
    for start, end in period.edge_ranges():
        part = Q(day__gte=start, day__lte=end)
        q = part if q is None else q | part
    return q


def _scoped(qs: QuerySet[Any], ids: Sequence[int] | None, public: bool) -> QuerySet[Any]:
    if ids is not None:
        qs = qs.filter(institution_id__in=list(ids))
    if public:
        qs = qs.filter(is_public=True)
    return qs


# --- counters -----------------------------------------------------------------------------


def _counter_parts(period: Period, public: bool, group: str) -> list[QuerySet[Any]]:
    """Grouped counter rows for the period: whole months, then the edge days' facts and
    bounces; each selecting (group, *COUNTER_FIELDS)."""
    parts: list[QuerySet[Any]] = []
    months = period.full_months()
    if months:
        monthly = _scoped(MonthlyStats.objects.filter(month__in=months), None, public)
        parts.append(monthly.values(group).annotate(**counter_annotations(MONTHLY_COUNTERS)))
    edges = _edge_q(period)
    if edges is not None:
        facts = _scoped(ReportFact.objects.filter(edges), None, public)
        parts.append(facts.values(group).annotate(**counter_annotations(FACT_COUNTERS)))
        bounces = _scoped(BounceFact.objects.filter(edges), None, public)
        parts.append(bounces.values(group).annotate(**counter_annotations(BOUNCE_COUNTERS)))
    return [p.values_list(group, *ANNOTATED).order_by() for p in parts]


def _union(parts: list[QuerySet[Any]]) -> Iterable[tuple[Any, ...]]:
    if not parts:
        return []
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def counters_by_institution(
    tree: Tree, period: Period, *, public: bool = False
) -> dict[int | None, Counters]:
    """Counters of every institution's own reports (not its subtree's) for the period.

    Cached under the summary version the tree was loaded with, as plain tuples (a cache
    unpickles them on every request: far cheaper than objects).
    """

    def compute() -> dict[int | None, tuple[int, ...]]:
        result: dict[int | None, Counters] = {}
        for inst, *values in _union(_counter_parts(period, public, "institution_id")):
            row = Counters.from_values(values)
            if inst in result:
                result[inst].add(row)
            else:
                result[inst] = row
        return {inst: c.as_tuple() for inst, c in result.items()}

    key = f"counters:{period.start}:{period.end}:{int(public)}"
    rows: dict[int | None, tuple[int, ...]] = _cached(key, tree.version, compute)
    return {inst: Counters(*values) for inst, values in rows.items()}


def subtree_counters(
    tree: Tree, period: Period, targets: Iterable[Node], *, public: bool = False
) -> dict[int, Counters]:
    by_inst = counters_by_institution(tree, period, public=public)
    return tree.rollup(by_inst, targets, Counters, Counters.add)


def total_counters(tree: Tree, period: Period, *, public: bool = False) -> Counters:
    result = Counters()
    for value in counters_by_institution(tree, period, public=public).values():
        result.add(value)
    return result


def scope_counters(
    tree: Tree, period: Period, node: Node | None, *, public: bool = False
) -> Counters:
    if node is None:
        return total_counters(tree, period, public=public)
    return subtree_counters(tree, period, [node], public=public)[node.id]


# --- durations and breakdowns -------------------------------------------------------------


def scope_ids(tree: Tree, node: Node | None) -> list[int] | None:
    return None if node is None else tree.subtree_ids(node)


def _durations(
    tree: Tree,
    period: Period,
    node: Node | None,
    *,
    public: bool = False,
    by_institution: bool = False,
) -> dict[int | None, Durations]:
    """Working-day histograms for the scope (key None), or per institution in it."""
    ids = scope_ids(tree, node)
    group = ["institution_id"] if by_institution else []
    parts: list[QuerySet[Any]] = []
    months = period.full_months()
    if months:
        rows = _scoped(MonthlyDuration.objects.filter(month__in=months), ids, public)
        parts.append(
            rows.values(*group, "metric", "days")
            .annotate(n=Sum("count"))
            .values_list(*group, "metric", "days", "n")
            .order_by()
        )
    edges = _edge_q(period)
    if edges is not None:
        facts = _scoped(ReportFact.objects.filter(edges), ids, public)
        for metric, field in (
            (MonthlyDuration.FIRST_RESPONSE, "first_response_days"),
            (MonthlyDuration.COMPLETION, "completion_days"),
        ):
            selected = facts.filter(**{f"{field}__isnull": False}).values(*group, field)
            parts.append(
                selected.annotate(metric=Value(metric, output_field=IntegerField()), n=Count("pk"))
                .values_list(*group, "metric", field, "n")
                .order_by()
            )
    result: dict[int | None, Durations] = defaultdict(Durations)
    for *inst, metric, days, n in _union(parts):
        target = result[inst[0] if by_institution else None]
        first = metric == MonthlyDuration.FIRST_RESPONSE
        (target.first_response if first else target.completion)[int(days)] += int(n)
    return dict(result)


def _breakdowns(
    tree: Tree, period: Period, node: Node | None, *, public: bool = False
) -> dict[str, Counter[str]]:
    """For each dimension (channel, type, class, category, state), reports per value."""
    ids = scope_ids(tree, node)
    parts: list[QuerySet[Any]] = []
    months = period.full_months()
    if months:
        rows = _scoped(MonthlyBreakdown.objects.filter(month__in=months), ids, public)
        parts.append(
            rows.values("dimension", "value")
            .annotate(n=Sum("count"))
            .values_list("dimension", "value", "n")
            .order_by()
        )
    edges = _edge_q(period)
    if edges is not None:
        facts = _scoped(ReportFact.objects.filter(edges), ids, public)
        for dimension, field in DIMENSIONS.items():
            # Values as text: the monthly rows keep them as text (a category id included).
            part = facts.values(field).annotate(
                dimension=Value(dimension),
                text=Cast(field, output_field=CharField(max_length=40)),
                n=Count("pk"),
            )
            parts.append(part.values_list("dimension", "text", "n").order_by())
    result: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    for dimension, value, n in _union(parts):
        result[dimension][str(value) if value is not None else ""] += int(n)
    return result


# --- trends -------------------------------------------------------------------------------


def _monthly_trend(
    tree: Tree, months: Sequence[date], node: Node | None, *, public: bool = False
) -> dict[date, Counters]:
    ids = scope_ids(tree, node)
    rows = _scoped(MonthlyStats.objects.filter(month__in=list(months)), ids, public)
    result = {m: Counters() for m in months}
    for month, *values in (
        rows.values("month")
        .annotate(**counter_annotations(MONTHLY_COUNTERS))
        .values_list("month", *ANNOTATED)
    ):
        result[month].add(Counters.from_values(values))
    return result


def _weekly_trend(
    tree: Tree, first_monday: date, last_day: date, node: Node | None, *, public: bool = False
) -> dict[date, Counters]:
    """Counters per ISO week (keyed by its Monday), from the facts of those days."""
    ids = scope_ids(tree, node)
    facts = _scoped(
        ReportFact.objects.filter(day__gte=first_monday, day__lte=last_day), ids, public
    )
    counters = counter_annotations({k: v for k, v in FACT_COUNTERS.items() if k != "bounced"})
    result: dict[date, Counters] = {}
    monday = first_monday
    while monday <= last_day:
        result[monday] = Counters()
        monday += timedelta(days=7)
    for day, *values in facts.values("day").annotate(**counters).values_list("day", *counters):
        week = day - timedelta(days=day.weekday())
        if week in result:
            result[week].add(Counters.from_values([*values, 0]))
    return result


def _key(node: Node | None, *parts: Any) -> str:
    return ":".join([str(node.id) if node else "all", *(str(p) for p in parts)])


def durations(
    tree: Tree,
    period: Period,
    node: Node | None,
    *,
    public: bool = False,
    by_institution: bool = False,
) -> dict[int | None, Durations]:
    """Working-day histograms for the scope (key None), or per institution in it. Cached."""
    key = "durations:" + _key(node, period.start, period.end, public, by_institution)
    return _cached(  # type: ignore[no-any-return]
        key,
        tree.version,
        lambda: _durations(tree, period, node, public=public, by_institution=by_institution),
    )


def breakdowns(
    tree: Tree, period: Period, node: Node | None, *, public: bool = False
) -> dict[str, Counter[str]]:
    """For each dimension (channel, type, class, category, state), reports per value. Cached."""
    key = "breakdowns:" + _key(node, period.start, period.end, public)
    return _cached(  # type: ignore[no-any-return]
        key, tree.version, lambda: _breakdowns(tree, period, node, public=public)
    )


def monthly_trend(
    tree: Tree, months: Sequence[date], node: Node | None, *, public: bool = False
) -> dict[date, Counters]:
    """Counters per month. Cached."""
    key = "monthly:" + _key(node, months[0] if months else "", len(months), public)
    return _cached(  # type: ignore[no-any-return]
        key, tree.version, lambda: _monthly_trend(tree, months, node, public=public)
    )


def weekly_trend(
    tree: Tree, first_monday: date, last_day: date, node: Node | None, *, public: bool = False
) -> dict[date, Counters]:
    """Counters per ISO week (keyed by its Monday). Cached."""
    key = "weekly:" + _key(node, first_monday, last_day, public)
    return _cached(  # type: ignore[no-any-return]
        key, tree.version, lambda: _weekly_trend(tree, first_monday, last_day, node, public=public)
    )


# --- live figures -------------------------------------------------------------------------


def overdue_reports() -> QuerySet[Report]:
    """Open reports whose current stage's deadline passed: the ones the deadline sweeper flagged
    red (Report.objects.overdue(), the national admin's overdue list), so the dashboards and
    the workbench agree on what "overdue" means. The list behind the number reads it live;
    the number itself is counted by each refresh (count_overdue)."""
    return Report.objects.overdue().order_by()


def count_overdue(root_id: int | None) -> list[tuple[int | None, int]]:
    """Count the sweeper's red flags now, per queue (the national queue under `root_id`).
    Run by each refresh (a few hundred milliseconds with 200,000 overdue reports)."""
    rows = overdue_reports().values("queue_institution_id").annotate(n=Count("pk"))
    result: dict[int | None, int] = defaultdict(int)
    for pk, n in rows.values_list("queue_institution_id", "n"):
        result[pk if pk is not None else root_id] += n
    return sorted(result.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))


def overdue_by_institution(tree: Tree, node: Node | None = None) -> dict[int | None, int]:
    """Overdue reports by the institution whose queue holds them, as of the last refresh
    (OverdueCount), for every institution or only `node`'s subtree. Cached."""

    def read() -> dict[int | None, int]:
        return dict(OverdueCount.objects.values_list("institution_id", "count"))

    everything: dict[int | None, int] = _cached("overdue", tree.version, read)
    if node is None:
        return everything
    inside = set(tree.subtree_ids(node))
    return {pk: n for pk, n in everything.items() if pk in inside}


@dataclass
class DecreeStatus:
    on_file: bool = False
    current: bool = False
    number: str = ""
    valid_until: date | None = None


def decree_status(ids: Iterable[int], today: date) -> dict[int, DecreeStatus]:
    """SK Tim of each institution: any on file, and one in force today."""
    result = {pk: DecreeStatus() for pk in ids}
    rows = ComplaintTeamDecree.objects.filter(institution_id__in=list(result)).order_by(
        "institution_id", "-issued_on"
    )
    for pk, number, issued, until in rows.values_list(
        "institution_id", "number", "issued_on", "valid_until"
    ):
        status = result[pk]
        in_force = issued <= today and (until is None or until >= today)
        if not status.on_file or (in_force and not status.current):
            status.number, status.valid_until = number, until
        status.on_file = True
        status.current = status.current or in_force
    return result


@dataclass
class AdminActivity:
    admins: int = 0
    active_admins: int = 0
    last_login: datetime | None = None
    actions: int = 0  # report moves by the subtree's staff in the window (None: not counted)

    def add(self, other: AdminActivity) -> None:
        self.admins += other.admins
        self.active_admins += other.active_admins
        self.actions += other.actions
        if other.last_login and (self.last_login is None or other.last_login > self.last_login):
            self.last_login = other.last_login


STAFF_ROLES = (Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER)


def admin_activity(
    tree: Tree,
    targets: Sequence[Node],
    now: datetime,
    *,
    days: int = 30,
    count_actions: bool = True,
) -> dict[int, AdminActivity]:
    """Per target subtree: its admins and officers, how many logged in within `days`, the last
    login, and (when asked) their report moves in the last `days` (ReportEvent.actor)."""
    since = now - timedelta(days=days)
    staff = Membership.objects.filter(is_active=True, role__in=STAFF_ROLES)
    if len(targets) <= 20:
        # A few subtrees: an indexed prefix filter each. Many (a ranking): every staff
        # membership at once, rolled up below; a long OR of prefixes would cost more.
        prefixes = Q(pk__in=[])
        for node in targets:
            prefixes |= Q(institution__path__startswith=node.path)
        staff = staff.filter(prefixes)
    members = list(staff.values_list("institution_id", "user_id", "user__last_login").distinct())
    actions: dict[int, int] = {}
    if count_actions and members:
        users = {m[1] for m in members}
        actions = dict(
            ReportEvent.objects.filter(created_at__gte=since, actor_id__in=users)
            .order_by()
            .values("actor_id")
            .annotate(n=Count("pk"))
            .values_list("actor_id", "n")
        )
    per_inst: dict[int | None, AdminActivity] = defaultdict(AdminActivity)
    counted: set[tuple[int, int]] = set()
    for inst, user, last_login in members:
        if (inst, user) in counted:
            continue
        counted.add((inst, user))
        activity = AdminActivity(
            admins=1,
            active_admins=int(last_login is not None and last_login >= since),
            last_login=last_login,
            actions=actions.get(user, 0),
        )
        per_inst[inst].add(activity)
    return tree.rollup(per_inst, targets, AdminActivity, AdminActivity.add)
