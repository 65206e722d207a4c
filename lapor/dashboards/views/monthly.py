"""The monthly report of an institution: a printable page (the browser prints it to PDF)."""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.dashboards import plans, queries
from lapor.dashboards.access import Viewer
from lapor.dashboards.periods import Period, add_months, month, month_start
from lapor.dashboards.presenters import breakdown_chart, indicator_table, institutions_table
from lapor.dashboards.tables import Chart, Column, Row, Table
from lapor.dashboards.tree import Node, Tree
from lapor.dashboards.views.common import (
    AnyResponse,
    dashboard_view,
    export_or_render,
    link_maker,
    node_or_404,
)
from lapor.dashboards.views.staff import ScopeData, _scope_rows, plan_cards

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(request: HttpRequest, today: date) -> Period:
    """?bulan=YYYY-MM, by default the last complete month."""
    wanted = _MONTH.match(request.GET.get("bulan", ""))
    if wanted and 1 <= int(wanted.group(2)) <= 12:
        return month(int(wanted.group(1)), int(wanted.group(2)))
    previous = add_months(month_start(today), -1)
    return month(previous.year, previous.month)


def comparison(tree: Tree, node: Node, this: Period) -> list[Table]:
    """This month next to the month before and the same month a year before: counts, rates."""
    before = add_months(this.start, -1)
    last_year = add_months(this.start, -12)
    periods = [this, month(before.year, before.month), month(last_year.year, last_year.month)]
    values = [queries.scope_counters(tree, p, node) for p in periods]
    counts = [
        (_("Diterima"), "received"),
        (_("Didisposisikan"), "routed"),
        (_("Ditindaklanjuti"), "followed_up"),
        (_("Selesai"), "finished"),
        (_("Selesai tepat waktu"), "finished_on_time"),
        (_("Dibuka kembali"), "reopened"),
    ]
    rates = [
        (_("Ditindaklanjuti"), "follow_up_rate"),
        (_("Selesai"), "finish_rate"),
        (_("Selesai tepat waktu"), "on_time_rate"),
        (_("Dibuka kembali"), "reopen_rate"),
    ]
    tables = []
    for key, title, measures, kind in (
        ("perbandingan-jumlah", _("Perbandingan jumlah"), counts, "int"),
        ("perbandingan-persentase", _("Perbandingan persentase"), rates, "pct"),
    ):
        tables.append(
            Table(
                key=key,
                title=title,
                columns=[
                    Column("measure", _("Ukuran")),
                    *(Column(f"p{i}", p.label, kind) for i, p in enumerate(periods)),
                ],
                rows=[
                    Row([label, *(getattr(c, attr) for c in values)]) for label, attr in measures
                ],
            )
        )
    return tables


@require_GET
@dashboard_view
def monthly(request: HttpRequest, viewer: Viewer, pk: int) -> AnyResponse:
    tree, now = Tree.load(), timezone.now()
    node = node_or_404(viewer, tree, pk)
    period = month_of(request, timezone.localdate())
    scope = queries.scope_counters(tree, period, node)
    data = ScopeData.load(tree, period, node, now)
    tables: list[Table | Chart] = [
        indicator_table("indikator", scope, data.days, overdue=None, link=link_maker(node, period)),
    ]
    children = tree.children(node)
    if children:
        rows = _scope_rows(tree, period, node, children, data, own=True)
        tables.append(
            institutions_table(
                "unit", _("Per unit di bawahnya"), rows, with_overdue=False, with_days=True
            )
        )
    for dimension, counts in queries.breakdowns(tree, period, node).items():
        tables.append(breakdown_chart(dimension, counts, None).table)
    owner = tree.owner_of(node)
    compared = comparison(tree, node, period)
    cards = plan_cards(plans.progress_for(node, period, tree, now.date()))
    context = {
        "viewer": viewer,
        "node": node,
        "period": period,
        "tables": tables,
        "title": _("Laporan bulanan: %(name)s") % {"name": node.name},
        "comparison": compared,
        "decree": queries.decree_status([owner.id], now.date())[owner.id] if owner else None,
        "plans": cards,
        "generated_at": now,
        "previous": add_months(period.start, -1),
        "next": add_months(period.start, 1),
    }
    all_tables: list[Table | Chart] = [*tables, *compared, *(t for _p, t in cards)]
    return export_or_render(
        request,
        "dashboards/monthly.html",
        context,
        all_tables,
        f"bulanan-{pk}",
        tree=tree,
    )
