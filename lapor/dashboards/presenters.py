"""Turn indicator values into the tables and charts the pages show and the exports write."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lapor.dashboards.indicators import Counters, Durations
from lapor.dashboards.labels import DIMENSION_LABELS, INDICATOR_LABELS, value_labels
from lapor.dashboards.periods import MONTH_NAMES, month_end
from lapor.dashboards.queries import AdminActivity
from lapor.dashboards.ranking import COMPONENTS, RankRow
from lapor.dashboards.tables import Chart, Column, Row, Table
from lapor.dashboards.tree import Node

# (indicator, link) -> URL of the list behind the number, or "" for no link.
LinkFor = Callable[[str], str]


def _label(key: str) -> str:
    return str(INDICATOR_LABELS[key])


def indicator_table(
    key: str,
    c: Counters,
    d: Durations,
    *,
    overdue: int | None,
    link: LinkFor,
    title: str = "",
) -> Table:
    """Every indicator of one scope: number, share, and what the share is of."""
    of_routed, of_answered = _("dari didisposisikan"), _("dari dijawab")
    rows: list[tuple[str, Any, Any, str, str]] = [
        ("received", c.received, None, "", "received"),
        ("verified", c.verified, c.verify_rate, _("dari diterima"), "verified"),
        ("routed", c.routed, None, "", "routed"),
        ("followed_up", c.followed_up, c.follow_up_rate, of_routed, "followed_up"),
        (
            "first_response_on_time",
            c.first_response_on_time,
            c.first_response_rate,
            of_routed,
            "first_response_on_time",
        ),
        ("answered", c.answered, None, "", "answered"),
        ("finished", c.finished, c.finish_rate, of_routed, "finished"),
        ("finished_on_time", c.finished_on_time, c.on_time_rate, of_routed, "finished_on_time"),
        ("reopened", c.reopened, c.reopen_rate, of_answered, "reopened"),
        ("bounced", c.bounced, None, "", "bounced"),
        ("escalated", c.escalated, None, "", "escalated"),
        ("archived", c.archived, None, "", "archived"),
    ]
    table_rows = []
    for name, count, share, note, target in rows:
        url = link(target) if target else ""
        links = ({1: url, 2: url} if share is not None else {1: url}) if url else {}
        table_rows.append(Row([_label(name), count, share, None, note], links))
    if overdue is not None:
        url = link("overdue")
        table_rows.append(
            Row([_label("overdue"), overdue, None, None, _("saat ini, semua periode")], {1: url})
        )
    table_rows += _value_rows(c, d, link)
    return Table(
        key=key,
        title=title or _("Indikator"),
        columns=[
            Column("indicator", _("Indikator")),
            Column("count", _("Jumlah"), "int"),
            Column("share", _("Persentase"), "pct"),
            Column("value", _("Nilai"), "num"),
            Column("note", _("Keterangan")),
        ],
        rows=table_rows,
    )


def _value_rows(c: Counters, d: Durations, link: LinkFor) -> list[Row]:
    """The indicator table's durations, satisfaction and reopen moves; each value links to
    the reports it is taken over."""
    days = _("hari kerja")
    fr, done = "timed_first_response", "timed_completion"
    extra = [
        (_("Median ke respons pertama"), d.first_response_median, days, fr),
        (_("Persentil ke-90 ke respons pertama"), d.first_response_p90, days, fr),
        (_("Median ke penyelesaian"), d.completion_median, days, done),
        (_("Persentil ke-90 ke penyelesaian"), d.completion_p90, days, done),
        (_("Rata-rata kepuasan pelapor"), c.satisfaction_mean, _("skala 1–5"), "rated"),
    ]
    rows = [Row([label, None, None, v, unit], {3: link(to)}) for label, v, unit, to in extra]
    rated = [_("Jumlah penilaian pelapor"), c.rating_count, None, None, ""]
    rows.append(Row(rated, {1: link("rated")}))
    moves = _("jumlah langkah; daftarnya: laporan yang dibuka kembali")
    reopens = [_("Langkah 'dibuka kembali' (semua)"), c.reopen_events, None, None, moves]
    rows.append(Row(reopens, {1: link("reopened")}))
    return rows


COUNTER_COLUMNS = [
    Column("received", _lazy("Diterima"), "int"),
    Column("routed", _lazy("Didisposisikan"), "int"),
    Column("follow_up_rate", _lazy("Ditindaklanjuti"), "pct"),
    Column("finish_rate", _lazy("Selesai"), "pct"),
    Column("on_time_rate", _lazy("Selesai tepat waktu"), "pct"),
    Column("reopen_rate", _lazy("Dibuka kembali"), "pct"),
    Column("bounced", _lazy("Langkah 'bukan wewenang'"), "int"),
    Column("satisfaction", _lazy("Kepuasan"), "num"),
]

# Column of a per-institution row -> the list behind it (a rate links to its numerator).
SCOPE_ROW_LINKS = {
    1: "received",
    2: "routed",
    3: "followed_up",
    4: "finished",
    5: "finished_on_time",
    6: "reopened",
    7: "bounced",
    8: "rated",
}


@dataclass
class ScopeRow:
    """One line of a per-institution table."""

    label: str
    counters: Counters
    node: Node | None = None
    overdue: int | None = None
    durations: Durations | None = None
    link: LinkFor | None = None  # indicator -> list URL
    name_url: str = ""


def institutions_table(
    key: str, title: str, rows: Sequence[ScopeRow], *, with_overdue: bool, with_days: bool
) -> Table:
    columns = [Column("institution", _("Instansi / unit")), *COUNTER_COLUMNS]
    if with_overdue:
        columns.append(Column("overdue", _("Lewat tenggat kini"), "int"))
    if with_days:
        columns += [
            Column("fr_median", _("Median HK respons"), "num"),
            Column("done_median", _("Median HK selesai"), "num"),
        ]
    out = []
    for r in rows:
        c = r.counters
        values: list[Any] = [
            r.label,
            c.received,
            c.routed,
            c.follow_up_rate,
            c.finish_rate,
            c.on_time_rate,
            c.reopen_rate,
            c.bounced,
            c.satisfaction_mean,
        ]
        links: dict[int, str] = {0: r.name_url} if r.name_url else {}
        if r.link is not None:
            links |= {i: r.link(indicator) for i, indicator in SCOPE_ROW_LINKS.items()}
        if with_overdue:
            values.append(r.overdue or 0)
            if r.link is not None:
                links[len(values) - 1] = r.link("overdue")
        if with_days:
            d = r.durations or Durations()
            values += [d.first_response_median, d.completion_median]
            if r.link is not None:
                links[len(values) - 2] = r.link("timed_first_response")
                links[len(values) - 1] = r.link("timed_completion")
        out.append(Row(values, links))
    return Table(key=key, title=title, columns=columns, rows=out)


def month_label(month: date) -> str:
    return f"{MONTH_NAMES[month.month - 1][:3]} {month.year}"


# The trend series and the list behind each: (indicator, label).
TREND_SERIES = (
    ("received", _lazy("Diterima")),
    ("followed_up", _lazy("Ditindaklanjuti")),
    ("finished", _lazy("Selesai")),
)
# (indicator, first day, last day) -> URL of the list behind a trend point, or "".
TrendLink = Callable[[str, date, date], str]


def trend_chart(
    key: str,
    title: str,
    points: dict[date, Counters],
    *,
    weekly: bool,
    link: TrendLink | None = None,
    last_day: date | None = None,
) -> Chart:
    """A trend per month (keys: first days) or per week (keys: Mondays; the last week ends at
    `last_day`, where the counting stopped); each count links to its reports of that range."""
    keys = sorted(points)
    labels = [k.strftime("%d-%m-%Y") if weekly else month_label(k) for k in keys]
    series: list[tuple[str, Sequence[float | int | None]]] = [
        (str(name), [getattr(points[k], indicator) for k in keys])
        for indicator, name in TREND_SERIES
    ]
    rows = []
    for i, k in enumerate(keys):
        end = k + timedelta(days=6) if weekly else month_end(k)
        if last_day is not None:
            end = min(end, last_day)
        links: dict[int, str] = {}
        if link is not None:
            for j, (indicator, _name) in enumerate(TREND_SERIES, start=1):
                url = link(indicator, k, end)
                if url:
                    links[j] = url
        rows.append(Row([labels[i], *(values[i] for _name, values in series)], links))
    period_label = _("Minggu mulai") if weekly else _("Bulan")
    table = Table(
        key=key,
        title=title,
        columns=[
            Column("period", period_label),
            *(Column(f"s{i}", name, "int") for i, (name, _v) in enumerate(series)),
        ],
        rows=rows,
    )
    return Chart(table=table, kind="line", labels=labels, series=series)


def breakdown_chart(
    dimension: str, counts: Counter[str], link: Callable[[str], str] | None, *, key_prefix: str = ""
) -> Chart:
    labels_by_value = value_labels(dimension, list(counts))
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], labels_by_value[kv[0]]))
    rows = [
        Row(
            [labels_by_value[value], n, n / total if total else None],
            {1: link(value)} if link else {},
        )
        for value, n in ordered
    ]
    title = _("Menurut %(dimension)s") % {"dimension": str(DIMENSION_LABELS[dimension]).lower()}
    table = Table(
        key=f"{key_prefix}{dimension}",
        title=title,
        columns=[
            Column("value", str(DIMENSION_LABELS[dimension])),
            Column("count", _("Jumlah"), "int"),
            Column("share", _("Porsi"), "pct"),
        ],
        rows=rows,
    )
    kind = "doughnut" if len(ordered) <= 6 else "bar"
    series: list[tuple[str, Sequence[float | int | None]]] = [
        (_("Jumlah"), [n for _v, n in ordered])
    ]
    return Chart(
        table=table, kind=kind, labels=[labels_by_value[v] for v, _n in ordered], series=series
    )


def ranking_table(
    key: str, title: str, rows: Iterable[RankRow], name_url: Callable[[RankRow], str]
) -> Table:
    columns = [
        Column("rank", _("Peringkat"), "int"),
        Column("institution", _("Instansi")),
        Column("score", _("Nilai"), "num"),
        Column("grade", _("Predikat")),
        Column("volume", _("Laporan didisposisikan"), "int"),
        *(Column(name, str(label), "pct") for name, label in COMPONENTS.items()),
        Column("overdue", _("Lewat tenggat kini"), "int"),
        Column("decree", _("SK Tim berlaku"), "bool"),
        Column("admins", _("Admin aktif"), "bool"),
    ]
    out = []
    for r in rows:
        values: list[Any] = [
            r.rank,
            r.node.name,
            r.score,
            r.grade_label,
            r.volume,
            *(r.components[name] for name in COMPONENTS),
            r.overdue_now,
            r.decree_current,
            r.admins_active,
        ]
        url = name_url(r)
        out.append(Row(values, {1: url} if url else {}, css="" if r.score is not None else "muted"))
    note = _(
        "Kolom komponen (tindak lanjut sampai kepuasan) berisi batas bawah Wilson 95 %, bukan "
        "persentase mentah: makin sedikit laporan, makin rendah batasnya. Nilai = rata-rata "
        "tertimbang komponen x 100."
    )
    return Table(key=key, title=title, columns=columns, rows=out, note=note, row_header=1)


def activity_table(key: str, rows: Sequence[tuple[str, AdminActivity]], *, days: int) -> Table:
    """Admins and officers per scope; `days` is the window admin_activity counted in (the
    ranking policy's active_admin_days)."""
    return Table(
        key=key,
        title=_("Aktivitas admin dan petugas (%(days)s hari terakhir)") % {"days": days},
        columns=[
            Column("institution", _("Instansi / unit")),
            Column("admins", _("Admin dan petugas"), "int"),
            Column("active", _("Masuk dalam %(days)s hari") % {"days": days}, "int"),
            Column("last_login", _("Terakhir masuk"), "datetime"),
            Column(
                "actions", _("Tindakan pada laporan dalam %(days)s hari") % {"days": days}, "int"
            ),
        ],
        rows=[
            Row([label, a.admins, a.active_admins, a.last_login, a.actions]) for label, a in rows
        ],
    )
