"""The portal's reads over public reports: counts for the home page, list filters, search.

Every function starts from lapor.reports.privacy.public_reports(): nothing here can widen what
the public sees.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from lapor.institutions.models import Institution
from lapor.portal.choices import category_descendants
from lapor.reports.models import Report, State
from lapor.reports.privacy import public_reports, search_probes_personal_data

HANDLING_STATES = (State.ROUTED, State.IN_PROGRESS, State.ANSWERED)


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
    refused = False
    if text := filters.get("q", "").strip():
        if search_probes_personal_data(text):
            qs, refused = qs.none(), True
        else:
            qs = qs.filter(Q(title__icontains=text) | Q(body__icontains=text))
    return listed(qs), refused


def latest_public(limit: int = 5) -> list[Report]:
    return list(listed(public_reports())[:limit])
