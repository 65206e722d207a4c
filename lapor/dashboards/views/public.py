"""The public statistics page (/statistik/): no login.

Privacy: every figure here except the ranking comes from the public reports only (verified and
not confidential: privacy.public_q(), kept as ReportFact.is_public), so a confidential report
adds nothing to any volume, rate, trend or breakdown (its category included), and every
drill-down goes to the public list, which shows the same reports. No title, text or name
appears on this page at all. The ranking is the official one, computed from every verified
report: it shows rates, a score and a grade per institution, never a report.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.dashboards import queries
from lapor.dashboards.indicators import Durations
from lapor.dashboards.periods import Period
from lapor.dashboards.presenters import breakdown_chart, ranking_table
from lapor.dashboards.ranking import GROUPS, build_ranking, current_ranking_policy
from lapor.dashboards.tables import Chart, Column, Row, Table
from lapor.dashboards.tree import Tree
from lapor.dashboards.views.common import AnyResponse, export_or_render, period_of
from lapor.dashboards.views.ranking import group_of_request
from lapor.dashboards.views.staff import trends

# Breakdown dimension -> the public list's filter of the same meaning (None: no such filter).
PUBLIC_FILTERS = {"type": "type", "category": "category", "state": "status", "channel": "channel"}
# A figure -> the public list's filters that select the reports it counts (see
# lapor.portal.queries: the same reports as the public ReportFacts of the figure).
FIGURE_FILTERS: dict[str, dict[str, str]] = {
    "received": {},
    "followed_up": {"measure": "followed_up"},
    "answered": {"measure": "answered"},
    "finished": {"status": "finished"},
    "finished_on_time": {"measure": "finished_on_time"},
    "rated": {"measure": "rated"},
}


class PublicLinks:
    """URLs of the public list behind a figure: the same period (submission dates), the same
    institution subtree, the same measure; reversing once (a group lists 500 institutions)."""

    def __init__(self, period: Period) -> None:
        self.base = reverse("portal:public_list")
        self.dates = {"from": period.start.isoformat(), "to": period.end.isoformat()}

    def __call__(
        self,
        figure: str = "received",
        institution: int | None = None,
        more: dict[str, str] | None = None,
    ) -> str:
        params = {**({"institution": str(institution)} if institution else {}), **self.dates}
        return f"{self.base}?{urlencode({**params, **FIGURE_FILTERS[figure], **(more or {})})}"

    def where(self, param: str, value: str) -> str:
        """The list of the reports with `value` for the list filter `param` (none: no link)."""
        return self("received", None, {param: value}) if value else ""

    def trend(self, figure: str, first: date, last: date) -> str:
        dated = PublicLinks(Period(first, last))
        return dated(figure)


def _totals(c: Any, d: Durations, links: PublicLinks) -> Table:
    # (label, count, share, value, the reports counted)
    rows = [
        (_("Laporan publik terverifikasi"), c.received, None, None, "received"),
        (_("Ditindaklanjuti"), c.followed_up, c.follow_up_rate, None, "followed_up"),
        (_("Selesai"), c.finished, c.finish_rate, None, "finished"),
        (_("Selesai tepat waktu"), c.finished_on_time, c.on_time_rate, None, "finished_on_time"),
        (_("Median hari kerja ke respons pertama"), None, None, d.first_response_median,
         "followed_up"),
        (_("Median hari kerja ke penyelesaian"), None, None, d.completion_median, "answered"),
        (_("Rata-rata kepuasan pelapor (1–5)"), c.rating_count, None, c.satisfaction_mean,
         "rated"),
    ]  # fmt: skip
    out = []
    for *values, figure in rows:
        url = links(figure)
        out.append(Row(values, {i: url for i in (1, 2, 3) if values[i] is not None}))
    return Table(
        key="ringkasan",
        title=_("Ringkasan"),
        columns=[
            Column("measure", _("Ukuran")),
            Column("count", _("Jumlah"), "int"),
            Column("share", _("Persentase"), "pct"),
            Column("value", _("Nilai"), "num"),
        ],
        rows=out,
    )


def _institutions(tree: Tree, period: Period, group: str, links: PublicLinks) -> Table:
    members = tree.top_level(GROUPS[group][1])
    rolled = queries.subtree_counters(tree, period, members, public=True)
    rows = []
    for node in members:
        c = rolled[node.id]
        figures = ("received", "received", "followed_up", "finished", "finished_on_time")
        rows.append(
            Row(
                [node.name, c.received, c.follow_up_rate, c.finish_rate, c.on_time_rate],
                {i: links(figure, node.id) for i, figure in enumerate(figures)},
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


def _breakdowns(tree: Tree, period: Period, links: PublicLinks) -> list[Chart]:
    charts = []
    for dimension, counts in queries.breakdowns(tree, period, None, public=True).items():
        param = PUBLIC_FILTERS.get(dimension)
        if param is None:
            continue  # the class is no filter of the public list

        charts.append(breakdown_chart(dimension, counts, partial(links.where, param)))
    return charts


@require_GET
def statistics(request: HttpRequest) -> AnyResponse:
    tree, period, now = Tree.load(), period_of(request), timezone.now()
    group = group_of_request(request)
    policy = current_ranking_policy()
    totals = queries.total_counters(tree, period, public=True)
    days = queries.durations(tree, period, None, public=True).get(None, Durations())
    links = PublicLinks(period)
    charts: list[Table | Chart] = [
        *trends(tree, period, None, public=True, link=links.trend),
        *_breakdowns(tree, period, links),
    ]
    ranking = ranking_table(
        "peringkat",
        _("Peringkat %(group)s") % {"group": str(GROUPS[group][0]).lower()},
        build_ranking(tree, group, period, now, policy),
        lambda r: links("received", r.node.id),
    )
    tables: list[Table | Chart] = [
        _totals(totals, days, links),
        *charts,
        _institutions(tree, period, group, links),
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
