"""Per-report facts (ReportFact, BounceFact), computed in batches.

A batch is read with three queries (the reports, their route/reopen counts, their declines),
turned into rows in plain Python (no model instances: a full rebuild handles millions), with
working days done per calendar in vectorised passes (lapor.dashboards.workdays), and written
by replacing the batch's old rows: COPY on PostgreSQL, bulk_create elsewhere.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Field, Min, Model, Q
from django.utils import timezone

from lapor.dashboards.models import BounceFact, ReportFact
from lapor.dashboards.workdays import DayTable
from lapor.institutions.models import WIB, Category, Institution
from lapor.reports.models import Report, ReportEvent, ResolutionClass, State
from lapor.reports.policy import current_policy
from lapor.reports.privacy import PUBLIC_STATES
from lapor.workdays.services import get_calendar

logger = logging.getLogger(__name__)

ANSWER_STANDS = frozenset({State.ANSWERED, State.FINISHED})
REPORT_COLUMNS = (
    "pk",
    "submitted_at",
    "state",
    "report_type",
    "resolution_class",
    "channel",
    "category_id",
    "queue_institution_id",
    "responsible_institution_id",
    "is_confidential",
    "routed_at",
    "first_response_at",
    "answered_at",
    "extension_days",
    "satisfaction_rating",
    "updated_at",
)
# ReportFact columns in the order rows are built (attribute names).
FACT_FIELDS = (
    "report_id",
    "institution_id",
    "day",
    "is_public",
    "state",
    "report_type",
    "resolution_class",
    "channel",
    "category_id",
    "category_root_id",
    "verified",
    "routed",
    "followed_up",
    "first_response_on_time",
    "answered",
    "finished",
    "finished_on_time",
    "first_response_days",
    "completion_days",
    "reopen_count",
    "rating",
    "source_updated_at",
)
_I = {name: i for i, name in enumerate(FACT_FIELDS)}
BOUNCE_FIELDS = ("report_id", "sequence", "institution_id", "day", "is_public")


class FactBuilder:
    """Everything a report's facts depend on besides the report: institutions, categories,
    the deadline policy and the calendars (each built once per run)."""

    def __init__(self) -> None:
        self.local = ZoneInfo(settings.TIME_ZONE)
        self.policy = current_policy()
        institutions = Institution.objects.select_related("region__province")
        self.place: dict[int, tuple[ZoneInfo, str | None]] = {
            i.pk: (ZoneInfo(i.effective_timezone), i.province_code) for i in institutions
        }
        roots = Institution.objects.filter(kind=Institution.Kind.NATIONAL).order_by("depth", "pk")
        self.root_id: int | None = roots.values_list("pk", flat=True).first()
        parents = dict(Category.objects.values_list("pk", "parent_id"))
        self.category_root = {pk: _root(pk, parents) for pk in parents}
        first = Report.objects.aggregate(m=Min("submitted_at"))["m"] or timezone.now()
        self.first_day = first.astimezone(self.local).date() - timedelta(days=7)
        self.last_day = timezone.now().astimezone(self.local).date() + timedelta(days=400)
        self.tables: dict[str | None, DayTable] = {}
        self.default_place = (ZoneInfo(WIB), None)

    def table(self, province: str | None) -> DayTable:
        if province not in self.tables:
            self.tables[province] = DayTable(get_calendar(province), self.first_day, self.last_day)
        return self.tables[province]

    def completion_limit(self, resolution_class: str, extension: int) -> int:
        return self.policy.completion_days(resolution_class or ResolutionClass.STANDARD) + extension

    def build(
        self, rows: list[tuple[Any, ...]], events: Mapping[int, dict[str, Any]]
    ) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
        """Fact rows (FACT_FIELDS order) and bounce rows (BOUNCE_FIELDS order)."""
        facts: list[list[Any]] = []
        bounces: list[tuple[Any, ...]] = []
        # Working-day work per calendar: (row, zone, routed, first response, answer, limit).
        pending: dict[str | None, list[tuple[list[Any], ZoneInfo, Any, Any, Any, int]]] = (
            defaultdict(list)
        )
        local, root_id, roots = self.local, self.root_id, self.category_root
        for r in rows:
            pk, submitted, state, rtype, rclass, channel, category = r[:7]
            queue, responsible, confidential, routed_at, responded_at = r[7:12]
            answered_at, extension, rating, updated = r[12:]
            ev = events.get(pk, {})
            routed = state in PUBLIC_STATES
            day = submitted.astimezone(local).date()
            row = [
                pk,
                queue if queue is not None else root_id,
                day,
                routed and not confidential,
                state,
                rtype,
                rclass,
                channel,
                category,
                roots.get(category) if category else None,
                routed or ev.get("route", 0) > 0,
                routed,
                routed and responded_at is not None,
                False,
                routed and answered_at is not None,
                state == State.FINISHED,
                False,
                None,
                None,
                ev.get("reopen", 0),
                rating,
                updated,
            ]
            facts.append(row)
            for sequence, by in ev.get("declines", ()):
                bounces.append((pk, sequence, by, day, False))
            if routed and routed_at is not None:
                zone, province = self.place.get(responsible or queue or -1, self.default_place)
                done = answered_at if state in ANSWER_STANDS else None
                limit = self.completion_limit(rclass, extension)
                pending[province].append((row, zone, routed_at, responded_at, done, limit))
        for province, items in pending.items():
            self._working_days(self.table(province), items)
        return facts, bounces

    def _working_days(
        self, table: DayTable, items: list[tuple[list[Any], ZoneInfo, Any, Any, Any, int]]
    ) -> None:
        """Durations and on-time flags of one calendar's reports, in two vectorised passes:
        routing to first response, and routing to the standing final answer."""
        first_limit = self.policy.first_response_days
        for index in (3, 4):
            chosen = [it for it in items if it[index] is not None]
            if not chosen:
                continue
            starts = [it[2].astimezone(it[1]).toordinal() for it in chosen]
            ends = [(it[3] if index == 3 else it[4]).astimezone(it[1]).toordinal() for it in chosen]
            if not all(map(table.covers, starts)) or not all(map(table.covers, ends)):
                logger.warning("dates outside the dashboard calendar span; durations skipped")
                continue
            limits = [first_limit if index == 3 else it[5] for it in chosen]
            days = table.between(starts, ends)
            on_time = table.on_time(starts, ends, limits)
            for it, n, ok in zip(chosen, days, on_time, strict=True):
                row = it[0]
                if index == 3:
                    row[_I["first_response_days"]] = n
                    row[_I["first_response_on_time"]] = ok
                else:
                    row[_I["completion_days"]] = n
                    row[_I["finished_on_time"]] = ok and row[_I["finished"]]


def _root(pk: int, parents: Mapping[int, int | None]) -> int:
    seen = set()
    while parents.get(pk) is not None and pk not in seen:
        seen.add(pk)
        pk = parents[pk]  # type: ignore[assignment]
    return pk


def event_summary(report_filter: Q) -> dict[int, dict[str, Any]]:
    """Per report: route and reopen counts, and its declines (sequence, declining institution).

    `report_filter` is on the event's report (report_id__in=... or a report_id range).
    """
    summary: dict[int, dict[str, Any]] = defaultdict(dict)
    events = ReportEvent.objects.filter(report_filter, action__in=("route", "reopen")).order_by()
    counts = events.values("report_id", "action").annotate(n=Count("pk"))
    for pk, action, n in counts.values_list("report_id", "action", "n"):
        summary[pk][action] = n
    declines = ReportEvent.objects.filter(report_filter, action="decline").order_by()
    for pk, sequence, data in declines.values_list("report_id", "sequence", "data"):
        by = data.get("declined_by_id") if isinstance(data, dict) else None
        summary[pk].setdefault("declines", []).append((sequence, by))
    return summary


def _replace(model: type[Model], fields: tuple[str, ...], rows: list[Any], old: Q | None) -> None:
    """Delete the rows matching `old` (if given), then write `rows` (in `fields` order)."""
    if old is not None:
        model.objects.filter(old).delete()  # type: ignore[attr-defined]
    if not rows:
        return
    if connection.vendor == "postgresql":
        columns = [_column(model, name) for name in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
    else:
        model.objects.bulk_create(  # type: ignore[attr-defined]
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=500
        )


def _column(model: type[Model], attname: str) -> str:
    field = model._meta.get_field(attname.removesuffix("_id"))
    assert isinstance(field, Field) and field.column is not None
    return field.column


def write_facts(
    builder: FactBuilder, reports: Q, events: Q, *, replace: bool = True
) -> tuple[set[date], int]:
    """(Re)compute the facts of the reports matching `reports` (`events`: the same reports, as
    a filter on ReportEvent). `replace=False` when the tables were emptied beforehand (a full
    rebuild). Returns the months those reports were submitted in, and how many there were."""
    rows = list(Report.objects.filter(reports).order_by().values_list(*REPORT_COLUMNS))
    if not rows:
        return set(), 0
    facts, bounces = builder.build(rows, event_summary(events))
    ids = [r[0] for r in rows]
    old = Q(report_id__in=ids) if replace else None
    with transaction.atomic():
        _replace(ReportFact, FACT_FIELDS, facts, old)
        _replace(BounceFact, BOUNCE_FIELDS, bounces, old)
    return {row[_I["day"]].replace(day=1) for row in facts}, len(facts)
