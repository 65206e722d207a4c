"""The reports behind a number: one click from any count on a dashboard, exportable in full."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from lapor.dashboards import drilldown, queries
from lapor.dashboards.access import Viewer
from lapor.dashboards.labels import DIMENSION_LABELS, INDICATOR_LABELS, value_labels
from lapor.dashboards.periods import Period
from lapor.dashboards.tables import Column, Row, Table
from lapor.dashboards.tree import Node, Tree
from lapor.dashboards.views.common import (
    AnyResponse,
    dashboard_url,
    dashboard_view,
    export_or_render,
    node_or_404,
    period_of,
)
from lapor.institutions.models import Category
from lapor.reports.models import ReportType, State
from lapor.reports.privacy import public_text

PAGE_SIZE = 50
COLUMNS = [
    Column("tracking", _lazy("Nomor")),
    Column("title", _lazy("Judul")),
    Column("submitted", _lazy("Diterima"), "datetime"),
    Column("state", _lazy("Status")),
    Column("type", _lazy("Jenis")),
    Column("class", _lazy("Kelas")),
    Column("channel", _lazy("Kanal")),
    Column("category", _lazy("Kategori")),
    Column("unit", _lazy("Unit")),
    Column("first_response_days", _lazy("HK ke respons pertama"), "int"),
    Column("completion_days", _lazy("HK ke penyelesaian"), "int"),
    Column("on_time", _lazy("Selesai tepat waktu"), "bool"),
    Column("reopens", _lazy("Dibuka kembali"), "int"),
    Column("rating", _lazy("Penilaian"), "int"),
]
FIELDS = (
    "pk",
    "tracking_number",
    "title",
    "submitted_at",
    "state",
    "report_type",
    "resolution_class",
    "channel",
    "dashboard_fact__category_root_id",
    "dashboard_fact__institution_id",
    "dashboard_fact__first_response_days",
    "dashboard_fact__completion_days",
    "dashboard_fact__finished",
    "dashboard_fact__finished_on_time",
    "dashboard_fact__reopen_count",
    "satisfaction_rating",
)


# The list behind `bounced`: one row per "not our authority" move, with who made it.
BOUNCE_FIELDS = (*(f"report__{name}" for name in FIELDS), "institution_id")
BOUNCE_COLUMNS = [*COLUMNS, Column("declined_by", _lazy("Dikembalikan oleh"))]


def _rows(source: Iterable[tuple[Any, ...]], tree: Tree, *, links: bool) -> Iterator[Row]:
    """Rows from value tuples (FIELDS, or BOUNCE_FIELDS); for an export `source` is a database
    cursor, so the rows stream through and nothing is held in memory."""
    states, types = dict(State.choices), dict(ReportType.choices)
    categories = dict(Category.objects.values_list("pk", "name"))
    for row in source:
        (
            _pk,
            tracking,
            title,
            submitted,
            state,
            rtype,
            rclass,
            channel,
            category,
            unit,
            fr_days,
            done_days,
            finished,
            on_time,
            reopens,
            rating,
            *declined_by,
        ) = row
        node = tree.get(unit)
        values_out = [
            tracking,
            public_text(title),
            submitted,
            str(states.get(state, state)),
            str(types.get(rtype, rtype)),
            rclass,
            channel,
            categories.get(category, ""),
            node.name if node else "",
            fr_days,
            done_days,
            on_time if finished else None,
            reopens,
            rating,
        ]
        if declined_by:
            by = tree.get(declined_by[0])
            values_out.append(by.name if by else "")
        url = reverse("workbench:report", args=[tracking]) if links else ""
        yield Row(values_out, {0: url} if url else {})


def _source(
    viewer: Viewer,
    tree: Tree,
    period: Period,
    node: Node | None,
    indicator: str,
    dimension: str,
    value: str,
) -> tuple[QuerySet[Any], list[Column]]:
    """The value tuples of the list behind a number, and their columns."""
    if indicator == "bounced":
        moves = drilldown.bounce_list(viewer.user, tree, period, node)
        ordered = moves.order_by("-report__submitted_at", "-report_id", "sequence")
        return ordered.values_list(*BOUNCE_FIELDS), BOUNCE_COLUMNS
    qs = drilldown.report_list(
        viewer.user, tree, period, node, indicator, dimension=dimension, value=value
    )
    return qs.order_by("-submitted_at", "-pk").values_list(*FIELDS), COLUMNS


@require_GET
@dashboard_view
def reports(request: HttpRequest, viewer: Viewer) -> AnyResponse:
    tree, period = Tree.load(), period_of(request)
    pk = request.GET.get("instansi", "")
    if pk:
        if not pk.isdigit():
            raise Http404
        node = node_or_404(viewer, tree, int(pk))
    elif viewer.sees_everything:
        node = None
    else:
        raise Http404
    indicator = request.GET.get("indikator", "received")
    if indicator not in drilldown.INDICATOR_FILTERS and indicator not in drilldown.LIVE_INDICATORS:
        raise Http404
    dimension = request.GET.get("dimensi", "")
    value = request.GET.get("nilai", "")
    if dimension and dimension not in queries.DIMENSIONS:
        raise Http404
    exporting = bool(request.GET.get("ekspor"))
    title = str(INDICATOR_LABELS[indicator])
    if dimension:
        label = value_labels(dimension, [value]).get(value, value)
        title += f" — {DIMENSION_LABELS[dimension]}: {label}"
    per_move = indicator == "bounced"
    values, columns = _source(viewer, tree, period, node, indicator, dimension, value)
    if exporting:
        cursor = values.iterator(chunk_size=2000)
        table = Table("laporan", title, columns, _rows(cursor, tree, links=False))
        page = None
    else:
        page = Paginator(values, PAGE_SIZE).get_page(request.GET.get("page"))
        table = Table("laporan", title, columns, list(_rows(page.object_list, tree, links=True)))
    context = {
        "viewer": viewer,
        "period": period,
        "node": node,
        "tables": [table],
        "title": title,
        "page": page,
        "back_url": dashboard_url(node, period),
        "live": indicator == "overdue",
        "per_move": per_move,
        "scope_name": node.name if node else _("Nasional"),
    }
    return export_or_render(
        request, "dashboards/reports.html", context, [table], "laporan", tree=tree
    )
