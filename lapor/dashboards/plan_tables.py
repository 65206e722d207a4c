"""Action plans and decisions as tables (lapor.dashboards.tables): shown and exported alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lapor.dashboards.models import PERCENT_INDICATORS, Decision, Indicator
from lapor.dashboards.plans import PlanProgress
from lapor.dashboards.tables import Column, Row, Table


def _unit(indicator: str) -> str:
    if indicator in PERCENT_INDICATORS:
        return "%"
    if indicator == Indicator.SATISFACTION:
        return _("skala 1–5")
    return _("hari kerja")


def _met(met: bool | None) -> str:
    if met is None:
        return _("belum ada data")
    return _("tercapai") if met else _("belum tercapai")


def targets_table(progress: PlanProgress, key: str) -> Table:
    """The plan's targets, what the indicators reached in the plan's period, and whether each
    target is met."""
    rows = [
        Row(
            [
                t.target.get_indicator_display(),
                float(t.target.target),
                t.actual,
                _unit(t.target.indicator),
                _met(t.met),
            ],
            css="" if t.met is not False else "target-missed",
        )
        for t in progress.targets
    ]
    return Table(
        key=key,
        title=_("Target dan capaian: %(title)s") % {"title": progress.plan.title},
        columns=[
            Column("indicator", _("Indikator")),
            Column("target", _("Target"), "num"),
            Column("actual", _("Capaian"), "num"),
            Column("unit", _("Satuan")),
            Column("status", _("Status")),
        ],
        rows=rows,
    )


def activities_table(progress: PlanProgress, key: str = "kegiatan") -> Table:
    late = progress.late_ids
    rows = [
        Row(
            [a.description, a.owner, a.due_on, a.get_status_display(), a.done_on, a.pk in late],
            css="target-missed" if a.pk in late else "",
        )
        for a in progress.activities
    ]
    return Table(
        key=key,
        title=_("Kegiatan, penanggung jawab, dan tenggat"),
        columns=[
            Column("activity", _("Kegiatan")),
            Column("owner", _("Penanggung jawab")),
            Column("due_on", _("Tenggat"), "date"),
            Column("status", _("Status")),
            Column("done_on", _("Selesai pada"), "date"),
            Column("late", _("Terlambat"), "bool"),
        ],
        rows=rows,
    )


def decisions_table(decisions: Iterable[Decision], key: str = "keputusan") -> Table:
    marker = 987654321
    template = reverse("dashboards:decision", args=[marker]).replace(str(marker), "{}")
    rows = []
    for d in decisions:
        values: list[Any] = [
            d.decided_at,
            d.institution.name,
            d.get_kind_display(),
            d.period_start,
            d.period_end,
            d.decided_by.display_name(),
        ]
        rows.append(Row(values, {0: template.format(d.pk)}))
    return Table(
        key=key,
        title=_("Keputusan terbaru"),
        columns=[
            Column("decided_at", _("Waktu"), "datetime"),
            Column("institution", _("Instansi")),
            Column("kind", _("Keputusan")),
            Column("period_start", _("Periode dari"), "date"),
            Column("period_end", _("Periode sampai"), "date"),
            Column("decided_by", _("Oleh")),
        ],
        rows=rows,
        row_header=1,
    )
