"""The public statistics page (/statistik/): no login.

Privacy: every figure here except the ranking comes from the public reports only (verified and
not confidential: privacy.public_q(), kept as ReportFact.is_public), so a confidential report
adds nothing to any volume, rate, trend or breakdown (its category included), and every
drill-down goes to the public list, which shows the same reports. No title, text or name
appears on this page at all. The ranking is the official one, computed from every verified
report: it shows rates, a score and a grade per institution, never a report.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.dashboards import queries
from lapor.dashboards.indicators import Durations
from lapor.dashboards.presenters import breakdown_chart, ranking_table
from lapor.dashboards.ranking import GROUPS, build_ranking, current_ranking_policy
from lapor.dashboards.tables import Chart, Column, Row, Table
from lapor.dashboards.tree import Tree
from lapor.dashboards.views.common import AnyResponse, export_or_render, period_of
from lapor.dashboards.views.ranking import group_of_request
from lapor.dashboards.views.staff import trends

# Breakdown dimension -> the public list's filter of the same meaning (None: no such filter).
PUBLIC_FILTERS = {"type": "type", "category": "category", "state": "status", "channel": None}


def public_list_url(**params: Any) -> str:
    return f"{reverse('portal:public_list')}?{urlencode(params)}"


def _institution_links() -> Any:
    """node id -> the public list of that institution, reversing once."""
    base = reverse("portal:public_list")
    return lambda pk: f"{base}?institution={pk}"


def _totals(c: Any, d: Durations) -> Table:
    rows = [
        (_("Laporan publik terverifikasi"), c.received, None, None),
        (_("Ditindaklanjuti"), c.followed_up, c.follow_up_rate, None),
        (_("Selesai"), c.finished, c.finish_rate, None),
        (_("Selesai tepat waktu"), c.finished_on_time, c.on_time_rate, None),
        (_("Median hari kerja ke respons pertama"), None, None, d.first_response_median),
        (_("Median hari kerja ke penyelesaian"), None, None, d.completion_median),
        (_("Rata-rata kepuasan pelapor (1–5)"), c.rating_count, None, c.satisfaction_mean),
    ]
    return Table(
        key="ringkasan",
        title=_("Ringkasan"),
        columns=[
            Column("measure", _("Ukuran")),
            Column("count", _("Jumlah"), "int"),
            Column("share", _("Persentase"), "pct"),
            Column("value", _("Nilai"), "num"),
        ],
        rows=[Row(list(r), {1: public_list_url()} if i == 0 else {}) for i, r in enumerate(rows)],
    )


def _institutions(tree: Tree, period: Any, group: str) -> Table:
    members = tree.top_level(GROUPS[group][1])
    rolled = queries.subtree_counters(tree, period, members, public=True)
    link = _institution_links()
    rows = []
    for node in members:
        c = rolled[node.id]
        rows.append(
            Row(
                [node.name, c.received, c.follow_up_rate, c.finish_rate, c.on_time_rate],
                {0: link(node.id)},
            )
        )
    return Table(
        key="instansi",
        title=_("Volume dan tindak lanjut per instansi"),
        columns=[
            Column("institution", _("Instansi")),
            Column("received", _("Laporan publik"), "int"),
            Column("follow_up_rate", _("Ditindaklanjuti"), "pct"),
            Column("finish_rate", _("Selesai"), "pct"),
            Column("on_time_rate", _("Selesai tepat waktu"), "pct"),
        ],
        rows=rows,
    )


@require_GET
def statistics(request: HttpRequest) -> AnyResponse:
    tree, period, now = Tree.load(), period_of(request), timezone.now()
    group = group_of_request(request)
    policy = current_ranking_policy()
    totals = queries.total_counters(tree, period, public=True)
    days = queries.durations(tree, period, None, public=True).get(None, Durations())
    charts: list[Table | Chart] = [*trends(tree, period, None, public=True)]
    for dimension, counts in queries.breakdowns(tree, period, None, public=True).items():
        if dimension == "class":
            continue
        param = PUBLIC_FILTERS.get(dimension)

        def link(value: str, param: str | None = param) -> str:
            return public_list_url(**{param: value}) if param and value else ""

        charts.append(breakdown_chart(dimension, counts, link))
    institution_link = _institution_links()
    ranking = ranking_table(
        "peringkat",
        _("Peringkat %(group)s") % {"group": str(GROUPS[group][0]).lower()},
        build_ranking(tree, group, period, now, policy),
        lambda r: institution_link(r.node.id),
    )
    tables: list[Table | Chart] = [
        _totals(totals, days),
        *charts,
        _institutions(tree, period, group),
        ranking,
    ]
    context = {
        "period": period,
        "tables": tables,
        "title": _("Statistik pengaduan"),
        "groups": [(key, label) for key, (label, _k) in GROUPS.items()],
        "group": group,
        "keep": [("kelompok", group)],
        "policy": policy,
        "public": True,
    }
    return export_or_render(
        request, "dashboards/public.html", context, tables, "statistik", tree=tree
    )
