"""Staff dashboards: national, one institution or unit, and a province's leadership view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.accounts.models import Role
from lapor.dashboards import plans, queries
from lapor.dashboards.access import Viewer
from lapor.dashboards.indicators import Counters, Durations
from lapor.dashboards.periods import Period, add_months, month_start
from lapor.dashboards.plan_tables import targets_table
from lapor.dashboards.presenters import (
    ScopeRow,
    TrendLink,
    activity_table,
    breakdown_chart,
    indicator_table,
    institutions_table,
    trend_chart,
)
from lapor.dashboards.ranking import GROUPS, build_ranking, current_ranking_policy
from lapor.dashboards.tables import Chart, Table
from lapor.dashboards.tree import Node, Tree
from lapor.dashboards.views.common import (
    AnyResponse,
    dashboard_url,
    dashboard_view,
    export_or_render,
    link_maker,
    list_url,
    node_or_404,
    period_of,
)

TREND_MONTHS = 24
TREND_WEEKS = 26


@require_GET
@dashboard_view
def home(request: HttpRequest, viewer: Viewer) -> HttpResponseRedirect:
    """Each role's own starting point."""
    if viewer.sees_everything:
        return HttpResponseRedirect(reverse("dashboards:national"))
    membership = viewer.memberships[0]
    institution = membership.institution
    if membership.role == Role.LEADERSHIP and institution.kind == "province":
        return HttpResponseRedirect(reverse("dashboards:province", args=[institution.pk]))
    return HttpResponseRedirect(reverse("dashboards:institution", args=[institution.pk]))


def trends(
    tree: Tree,
    period: Period,
    node: Node | None,
    *,
    public: bool = False,
    link: TrendLink | None = None,
) -> list[Chart]:
    """Monthly (24 months) and weekly (26 weeks) trends ending with the period; each count
    links to its reports (`link`; by default the staff list of `node`'s subtree)."""
    today = timezone.localdate()
    end = min(period.end, today)
    last_month = month_start(end)
    months = [add_months(last_month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    monday = end - timedelta(days=end.weekday()) - timedelta(weeks=TREND_WEEKS - 1)
    monthly = queries.monthly_trend(tree, months, node, public=public)
    weekly = queries.weekly_trend(tree, monday, end, node, public=public)
    if link is None and not public:

        def link(indicator: str, first: date, last: date) -> str:
            return list_url(node, Period(first, last), indicator)

    return [
        trend_chart(
            "tren-bulanan",
            _("Tren bulanan (laporan masuk per bulan)"),
            monthly,
            weekly=False,
            link=link,
        ),
        trend_chart(
            "tren-mingguan",
            _("Tren mingguan (laporan masuk per minggu)"),
            weekly,
            weekly=True,
            link=link,
            last_day=end,
        ),
    ]


def breakdown_charts(
    tree: Tree, period: Period, node: Node | None, *, public: bool = False, link: bool = True
) -> list[Chart]:
    counts = queries.breakdowns(tree, period, node, public=public)
    charts = []
    for dimension, values in counts.items():
        make = None
        if link:

            def make(value: str, dimension: str = dimension) -> str:
                return list_url(node, period, "received", dimension=dimension, value=value)

        charts.append(breakdown_chart(dimension, values, make))
    return charts


@require_GET
@dashboard_view
def national(request: HttpRequest, viewer: Viewer) -> AnyResponse:
    if not viewer.sees_everything:
        raise Http404
    tree, period = Tree.load(), period_of(request)
    total = queries.total_counters(tree, period)
    days = queries.durations(tree, period, None).get(None, Durations())
    overdue = sum(queries.overdue_by_institution(tree).values())
    groups: list[ScopeRow] = []
    for key, (label, kinds) in GROUPS.items():
        members = tree.top_level(kinds)
        rolled = queries.subtree_counters(tree, period, members)
        combined = Counters()
        for c in rolled.values():
            combined.add(c)
        url = f"{reverse('dashboards:ranking')}?kelompok={key}&{period.query}"
        groups.append(ScopeRow(f"{label} ({len(members)})", combined, name_url=url))
    tables: list[Table | Chart] = [
        indicator_table("indikator", total, days, overdue=overdue, link=link_maker(None, period)),
        institutions_table(
            "kelompok", _("Per kelompok instansi"), groups, with_overdue=False, with_days=False
        ),
        *trends(tree, period, None),
        *breakdown_charts(tree, period, None),
    ]
    context = {"viewer": viewer, "period": period, "tables": tables, "title": _("Dasbor nasional")}
    return export_or_render(
        request, "dashboards/dashboard.html", context, tables, "nasional", tree=tree
    )


@dataclass
class ScopeData:
    """What the per-unit tables of one scope need, read once per page."""

    days_by: dict[int | None, Durations]
    overdue_map: dict[int | None, int]

    @classmethod
    def load(cls, tree: Tree, period: Period, node: Node, now: datetime) -> ScopeData:
        return cls(
            queries.durations(tree, period, node, by_institution=True),
            queries.overdue_by_institution(tree, node),
        )

    @property
    def days(self) -> Durations:
        total = Durations()
        for d in self.days_by.values():
            total.add(d)
        return total

    @property
    def overdue(self) -> int:
        return sum(self.overdue_map.values())


def _scope_rows(
    tree: Tree, period: Period, node: Node, nodes: list[Node], data: ScopeData, *, own: bool
) -> list[ScopeRow]:
    """Rows for `nodes` (each with its subtree), and the node's own queue first if `own`."""
    rolled = queries.subtree_counters(tree, period, nodes)
    overdue = tree.rollup_counts(data.overdue_map, nodes)
    days = tree.rollup(data.days_by, nodes, Durations, Durations.add)
    rows = []
    if own:
        by_inst = queries.counters_by_institution(tree, period)
        rows.append(
            ScopeRow(
                _("%(name)s (langsung)") % {"name": node.name},
                by_inst.get(node.id, Counters()),
                node=node,
                overdue=data.overdue_map.get(node.id, 0),
                durations=data.days_by.get(node.id, Durations()),
            )
        )
    for child in nodes:
        rows.append(
            ScopeRow(
                child.name,
                rolled[child.id],
                node=child,
                overdue=overdue[child.id],
                durations=days[child.id],
                link=link_maker(child, period),
                name_url=dashboard_url(child, period),
            )
        )
    return rows


@require_GET
@dashboard_view
def institution(request: HttpRequest, viewer: Viewer, pk: int) -> AnyResponse:
    tree, period, now = Tree.load(), period_of(request), timezone.now()
    node = node_or_404(viewer, tree, pk)
    children = tree.children(node)
    scope = queries.scope_counters(tree, period, node)
    data = ScopeData.load(tree, period, node, now)
    tables: list[Table | Chart] = [
        indicator_table(
            "indikator", scope, data.days, overdue=data.overdue, link=link_maker(node, period)
        )
    ]
    if children:
        rows = _scope_rows(tree, period, node, children, data, own=True)
        tables.append(
            institutions_table(
                "unit", _("Per unit di bawahnya"), rows, with_overdue=True, with_days=True
            )
        )
    tables += [*trends(tree, period, node), *breakdown_charts(tree, period, node)]
    policy = current_ranking_policy()
    activity = queries.admin_activity(tree, [node, *children], now, days=policy.active_admin_days)
    tables.append(
        activity_table(
            "aktivitas",
            [(n.name, activity[n.id]) for n in [node, *children]],
            days=policy.active_admin_days,
        )
    )
    owner = tree.owner_of(node)
    decree = queries.decree_status([owner.id], now.date())[owner.id] if owner else None
    cards = plan_cards(plans.progress_for(node, period, tree, now.date()))
    context = {
        "viewer": viewer,
        "period": period,
        "node": node,
        "breadcrumbs": tree.breadcrumbs(node),
        "tables": tables,
        "title": node.name,
        "owner": owner,
        "decree": decree,
        "plans": cards,
        "can_edit_plans": viewer.can_edit_plans(node),
        "can_view_national": viewer.sees_everything,
    }
    exports = [*tables, *(table for _p, table in cards)]
    return export_or_render(
        request, "dashboards/dashboard.html", context, exports, f"instansi-{pk}", tree=tree
    )


def plan_cards(progress: list[plans.PlanProgress]) -> list[tuple[plans.PlanProgress, Table]]:
    """Each plan with its targets table (exportable as target-<plan id>)."""
    return [(p, targets_table(p, f"target-{p.plan.pk}")) for p in progress]


@require_GET
@dashboard_view
def province(request: HttpRequest, viewer: Viewer, pk: int) -> AnyResponse:
    """Leadership view: every regency/city and every department under a province, side by side."""
    tree, period, now = Tree.load(), period_of(request), timezone.now()
    node = node_or_404(viewer, tree, pk)
    if node.kind != "province":
        raise Http404
    children = tree.children(node)
    regencies = [c for c in children if c.kind in ("regency", "city")]
    departments = [c for c in children if c.kind not in ("regency", "city")]
    tables: list[Table | Chart] = []
    ranking = {r.node.id: r for r in build_ranking(tree, "kabupaten-kota", period, now)}
    data = ScopeData.load(tree, period, node, now)
    if regencies:
        rows = _scope_rows(tree, period, node, regencies, data, own=False)
        table = institutions_table(
            "kabupaten-kota",
            _("Kabupaten dan kota"),
            rows,
            with_overdue=True,
            with_days=True,
        )
        _add_grades(table, [ranking.get(r.id) for r in regencies])
        tables.append(table)
    if departments:
        rows = _scope_rows(tree, period, node, departments, data, own=True)
        tables.append(
            institutions_table(
                "perangkat-daerah",
                _("Perangkat daerah provinsi"),
                rows,
                with_overdue=True,
                with_days=True,
            )
        )
    scope = queries.scope_counters(tree, period, node)
    tables.insert(
        0,
        indicator_table(
            "indikator",
            scope,
            data.days,
            overdue=data.overdue,
            link=link_maker(node, period),
            title=_("Indikator seluruh provinsi"),
        ),
    )
    tables += trends(tree, period, node)
    context = {
        "viewer": viewer,
        "period": period,
        "node": node,
        "breadcrumbs": tree.breadcrumbs(node),
        "tables": tables,
        "title": _("Pimpinan: %(name)s") % {"name": node.name},
        "leadership": True,
    }
    return export_or_render(
        request, "dashboards/dashboard.html", context, tables, f"provinsi-{pk}", tree=tree
    )


def _add_grades(table: Table, ranked: list[object]) -> None:
    """Append national rank, score and grade (kabupaten/kota ranking) to each row."""
    from lapor.dashboards.tables import Column

    table.columns += [
        Column("rank", _("Peringkat nasional"), "int"),
        Column("score", _("Nilai"), "num"),
        Column("grade", _("Predikat")),
    ]
    rows = list(table.rows)
    for row, r in zip(rows, ranked, strict=True):
        row.values += [
            getattr(r, "rank", None),
            getattr(r, "score", None),
            getattr(r, "grade_label", ""),
        ]
    table.rows = rows
