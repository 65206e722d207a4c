"""The portal's reads over public reports: counts for the home page, list filters, search.

Every function starts from lapor.reports.privacy.public_reports(): nothing here can widen what
the public sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from lapor.institutions.models import Institution
from lapor.portal.choices import category_descendants
from lapor.reports.models import Channel, Report, State
from lapor.reports.privacy import public_reports, search_probes_personal_data

HANDLING_STATES = (State.ROUTED, State.IN_PROGRESS, State.ANSWERED)

# What a figure of the public statistics page counts, so that its drill-down lists exactly
# those reports (lapor.dashboards: ReportFact of a public report). "Finished on time" needs the
# working-day arithmetic, so it reads the dashboards' per-report fact.
MEASURES: dict[str, Q] = {
    "followed_up": Q(first_response_at__isnull=False),
    "answered": Q(answered_at__isnull=False, state__in=(State.ANSWERED, State.FINISHED)),
    "finished_on_time": Q(dashboard_fact__finished_on_time=True),
    "rated": Q(satisfaction_rating__isnull=False),
}
# The statistics page's drill-down filters (not on the filter form): submission dates (local
# dates in settings.TIME_ZONE, both included), channel, measure.
STATISTICS_FILTERS = ("from", "to", "channel", "measure")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def public_counts() -> dict[str, int]:
    """Received (verified and public), being handled, finished: one query."""
    counts = public_reports().aggregate(
        received=Count("id"),
        handling=Count("id", filter=Q(state__in=HANDLING_STATES)),
        finished=Count("id", filter=Q(state=State.FINISHED)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def listed(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.select_related(
        "province", "regency", "category", "responsible_institution"
    ).order_by("-submitted_at", "-id")


def filter_public(filters: dict[str, str]) -> tuple[QuerySet[Report], bool]:
    """Public reports matching the filters; the flag says a search was refused because it
    probed personal data (see privacy.search_probes_personal_data)."""
    qs = public_reports()
    if value := filters.get("type"):
        qs = qs.filter(report_type=value)
    if value := filters.get("status"):
        qs = qs.filter(state=value)
    if value := filters.get("category"):
        qs = qs.filter(category_id__in=category_descendants(int(value)))
    if value := filters.get("province"):
        qs = qs.filter(province__code=value)
    if value := filters.get("regency"):
        qs = qs.filter(regency__code=value)
    if value := filters.get("institution"):
        institution = Institution.objects.filter(pk=int(value)).first()
        if institution is not None:
            qs = qs.filter(
                Q(responsible_institution__path__startswith=institution.path)
                | Q(queue_institution__path__startswith=institution.path)
            )
    qs = _statistics_filter(qs, filters)
    refused = False
    if text := filters.get("q", "").strip():
        if search_probes_personal_data(text):
            qs, refused = qs.none(), True
        else:
            qs = qs.filter(Q(title__icontains=text) | Q(body__icontains=text))
    return listed(qs), refused


def statistics_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The valid drill-down filters of the statistics page in `params`; an invalid one is
    ignored, like the form's."""
    result: dict[str, str] = {}
    for key in ("from", "to"):
        with suppress(ValueError):
            day = date.fromisoformat(params.get(key) or "")
            # Any real submission date; 9999-12-31 + 1 day would overflow.
            if FIRST_DAY <= day <= LAST_DAY:
                result[key] = day.isoformat()
    if (channel := params.get("channel") or "") in Channel.values:
        result["channel"] = channel
    if (measure := params.get("measure") or "") in MEASURES:
        result["measure"] = measure
    return result


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _statistics_filter(qs: QuerySet[Report], filters: Mapping[str, str]) -> QuerySet[Report]:
    if value := filters.get("from"):
        qs = qs.filter(submitted_at__gte=_local_midnight(date.fromisoformat(value)))
    if value := filters.get("to"):
        end = date.fromisoformat(value) + timedelta(days=1)
        qs = qs.filter(submitted_at__lt=_local_midnight(end))
    if value := filters.get("channel"):
        qs = qs.filter(channel=value)
    if value := filters.get("measure"):
        qs = qs.filter(MEASURES[value])
    return qs


def latest_public(limit: int = 5) -> list[Report]:
    return list(listed(public_reports())[:limit])
