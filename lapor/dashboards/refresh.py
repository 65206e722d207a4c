"""Keep the dashboard summaries in step with the reports (run by refresh_dashboard_stats).

Guarantees:
- Idempotent: running it twice, or over an overlapping window, gives the same tables.
- "Overdue now" (the deadline sweeper's red flags) is counted per institution by every run
  (OverdueCount), so it is as fresh as the last run.
- Incremental: only reports saved since the last run (Report.updated_at, with a margin for
  transactions still open then) get new facts (lapor.dashboards.facts); only the months those
  reports were submitted in are re-summed, by one INSERT ... SELECT per summary table, in one
  transaction, so a reader sees either the old months or the new ones.
- A change of the holiday calendar or of the deadline policy changes working days and on-time
  flags of old reports too: the next run notices (StatsRefresh keeps both stamps) and rebuilds
  everything (as does --full). During a full rebuild the per-day facts are rewritten first, so
  figures of partial months read from them are incomplete until the run ends.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import CharField, Count, DateField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from lapor.dashboards.facts import FactBuilder, write_facts
from lapor.dashboards.models import (
    COUNTER_FIELDS,
    BounceFact,
    MonthlyBreakdown,
    MonthlyDuration,
    MonthlyStats,
    OverdueCount,
    ReportFact,
    StatsRefresh,
)
from lapor.dashboards.periods import next_month
from lapor.dashboards.queries import (
    ANNOTATED,
    BOUNCE_COUNTERS,
    DIMENSIONS,
    FACT_COUNTERS,
    count_overdue,
    counter_annotations,
)
from lapor.reports.models import DeadlinePolicy, Report
from lapor.reports.policy import current_policy
from lapor.workdays.services import current_revision

logger = logging.getLogger(__name__)

# Reports saved this long before the previous run started are taken again: a transaction open
# during that run may have committed afterwards with an older updated_at.
MARGIN = timedelta(minutes=10)
CHUNK = 2000  # reports per batch when listed by id (incremental)
LOCK_KEY = 7_411_006  # PostgreSQL advisory lock held by a running refresh
RANGE = 10000  # ids per batch of a full rebuild


@dataclass
class RefreshResult:
    reports: int
    months: int
    seconds: float
    full: bool
    token: str


def policy_stamp(policy: DeadlinePolicy) -> str:
    days = (
        policy.first_response_days,
        policy.completion_short_days,
        policy.completion_standard_days,
        policy.completion_investigation_days,
    )
    return ".".join(str(d) for d in days)


# --- monthly summaries --------------------------------------------------------------------


def _grouped(qs: QuerySet[Any], **keys: Any) -> QuerySet[Any]:
    """`qs` grouped by the month of `day`, the institution and the public flag (as m, inst,
    pub) plus `keys`."""
    month = TruncMonth("day", output_field=DateField())
    names = {"m": month, "inst": F("institution_id"), "pub": F("is_public"), **keys}
    return qs.annotate(**names).values(*names)


def _insert(model: type[Any], columns: Sequence[str], select: str, parts: QuerySet[Any]) -> None:
    """INSERT INTO model (columns) SELECT <select> FROM (parts) AS parts."""
    sql, params = parts.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # Only names from this module and SQL compiled by the ORM; values travel as params.
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM ({sql}) parts",  # noqa: S608
            params,
        )


def _rebuild(facts: QuerySet[ReportFact], bounces: QuerySet[BounceFact]) -> None:
    """Sum `facts` and `bounces` into the three monthly tables (already cleared for them)."""
    counts = _grouped(facts).annotate(**counter_annotations(FACT_COUNTERS))
    bounced = _grouped(bounces).annotate(**counter_annotations(BOUNCE_COUNTERS))
    fields = ["m", "inst", "pub", *ANNOTATED]
    union = counts.values_list(*fields).union(bounced.values_list(*fields), all=True)
    # Facts and bounces of one (month, institution, public) come as two rows: summed here.
    _insert_grouped(union, ", ".join(f"SUM({name})" for name in ANNOTATED))
    durations = [
        _grouped(
            facts.filter(**{f"{field}__isnull": False}),
            metric=Value(metric, output_field=IntegerField()),
            days=F(field),
        )
        .annotate(n=Count("pk"))
        .values_list("m", "inst", "pub", "metric", "days", "n")
        for metric, field in (
            (MonthlyDuration.FIRST_RESPONSE, "first_response_days"),
            (MonthlyDuration.COMPLETION, "completion_days"),
        )
    ]
    _insert(
        MonthlyDuration,
        ["month", "institution_id", "is_public", "metric", "days", "count"],
        "m, inst, pub, metric, days, n",
        durations[0].union(durations[1], all=True),
    )
    breakdowns = [
        _grouped(
            facts,
            dim=Value(dimension, output_field=CharField()),
            val=Cast(field, output_field=CharField(max_length=40)),
        )
        .annotate(n=Count("pk"))
        .values_list("m", "inst", "pub", "dim", "val", "n")
        for dimension, field in DIMENSIONS.items()
    ]
    _insert(
        MonthlyBreakdown,
        ["month", "institution_id", "is_public", "dimension", "value", "count"],
        "m, inst, pub, dim, COALESCE(val, ''), n",
        breakdowns[0].union(*breakdowns[1:], all=True),
    )


def _insert_grouped(union: QuerySet[Any], sums: str) -> None:
    sql, params = union.query.sql_with_params()
    table = connection.ops.quote_name(MonthlyStats._meta.db_table)
    columns = ", ".join(["month", "institution_id", "is_public", *COUNTER_FIELDS])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT m, inst, pub, {sums} "  # noqa: S608
            f"FROM ({sql}) parts GROUP BY m, inst, pub",
            params,
        )


def rebuild_months(months: Sequence[date] | None) -> None:
    """Re-sum the given months (None: all) from the facts, replacing their rows atomically."""
    if months is not None and not months:
        return
    if months is None:
        in_months = Q()
    else:
        in_months = reduce(or_, (Q(day__gte=m, day__lt=next_month(m)) for m in months))
    with transaction.atomic():
        for model in (MonthlyStats, MonthlyDuration, MonthlyBreakdown):
            if months is None:
                _empty(model)
            else:
                model.objects.filter(month__in=list(months)).delete()
        _rebuild(
            ReportFact.objects.filter(in_months).order_by(),
            BounceFact.objects.filter(in_months).order_by(),
        )


def _empty(model: type[Any]) -> None:
    """Remove every row: TRUNCATE on PostgreSQL (millions of rows), DELETE otherwise, or when
    the table has pending trigger events in the enclosing transaction (a test's)."""
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {connection.ops.quote_name(model._meta.db_table)}")
            return
        except OperationalError:
            pass
    model.objects.all().delete()


def _store_overdue(root_id: int | None) -> None:
    counts = count_overdue(root_id)
    with transaction.atomic():
        OverdueCount.objects.all().delete()
        OverdueCount.objects.bulk_create(
            OverdueCount(institution_id=pk, count=n) for pk, n in counts
        )


# --- the run ------------------------------------------------------------------------------


def _batches(since: datetime | None) -> Iterator[tuple[Q, Q]]:
    """(report filter, event filter) pairs: every report by id range, or those saved since."""
    if since is None:
        last = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for low in range(0, last, RANGE):
            yield (
                Q(pk__gt=low, pk__lte=low + RANGE),
                Q(report_id__gt=low, report_id__lte=low + RANGE),
            )
        return
    changed = list(
        Report.objects.filter(updated_at__gte=since).order_by("pk").values_list("pk", flat=True)
    )
    for i in range(0, len(changed), CHUNK):
        ids = changed[i : i + CHUNK]
        yield Q(pk__in=ids), Q(report_id__in=ids)


def refresh_stats(
    *,
    since: datetime | None = None,
    full: bool = False,
    progress: Callable[[str], None] | None = None,
) -> RefreshResult:
    """Bring the summaries up to date. Without `since`, continue from the last run (a full
    rebuild the first time, or when the calendar or the deadline policy changed).

    On PostgreSQL one run at a time: a run that finds another one going waits for it (an
    overlapping cron and worker loop cannot interleave their month rebuilds).
    """
    with _one_at_a_time():
        return _refresh(since=since, full=full, progress=progress)


@contextmanager
def _one_at_a_time() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield  # SQLite: one process at a time is the supported set-up
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _refresh(
    *, since: datetime | None, full: bool, progress: Callable[[str], None] | None
) -> RefreshResult:
    started = timezone.now()
    clock = time.monotonic()
    revision, stamp = current_revision(), policy_stamp(current_policy())
    last = StatsRefresh.objects.filter(finished_at__isnull=False).order_by("-id").first()
    if last is None or last.calendar_revision != revision or last.policy_stamp != stamp:
        full = True
    if not full and since is None:
        assert last is not None
        since = last.started_at - MARGIN
    run = StatsRefresh.objects.create(
        started_at=started,
        since=None if full else since,
        calendar_revision=revision,
        policy_stamp=stamp,
    )
    builder = FactBuilder()
    if full:
        with transaction.atomic():
            _empty(ReportFact)
            _empty(BounceFact)
    months: set[date] = set()
    reports = 0
    for report_filter, event_filter in _batches(None if full else since):
        touched, count = write_facts(builder, report_filter, event_filter, replace=not full)
        months |= touched
        reports += count
        if progress and count:
            progress(f"facts: {reports} reports")
    rebuild_months(None if full else sorted(months))
    _store_overdue(builder.root_id)
    token = uuid.uuid4().hex
    StatsRefresh.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), reports=reports, months=len(months), token=token
    )
    seconds = time.monotonic() - clock
    logger.info("dashboard stats: %d reports, %d months in %.1f s", reports, len(months), seconds)
    return RefreshResult(reports, len(months), seconds, full, token)
