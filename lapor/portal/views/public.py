"""The public list and detail: verified, non-confidential reports only, redacted."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from lapor.lib.tracking import normalize_tracking_number
from lapor.portal import queries
from lapor.portal.forms import PublicFilterForm
from lapor.portal.views.common import report_or_404, timeline
from lapor.reports.models import Channel
from lapor.reports.privacy import (
    events_visible_to,
    public_attachments,
    public_reports,
    public_text,
    reporter_label,
)

PER_PAGE = 20
MEASURE_LABELS = {
    "followed_up": _lazy("sudah ditindaklanjuti"),
    "answered": _lazy("sudah dijawab"),
    "finished_on_time": _lazy("selesai tepat waktu"),
    "rated": _lazy("dinilai pelapor"),
}


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET)
    # The statistics page's drill-downs add dates, a channel and a measure (kept as hidden
    # fields when the form is used again).
    narrowed = queries.statistics_filters(request.GET)
    filters = {**form.filters(), **narrowed}
    number = normalize_tracking_number(filters.get("q", ""))
    if number and public_reports().filter(tracking_number=number).exists():
        return redirect("portal:public_detail", tracking=number)
    reports, refused = queries.filter_public(filters)
    # get_page answers the last page for a number past the end and the first for garbage.
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "report": report,
            "title": public_text(report.title),
            "excerpt": public_text(report.body[:400]),
            "reporter": reporter_label(report, request.user),
        }
        for report in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/public_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "refused": refused,
            "filtered": any(key != "q" for key in filters),
            "query": query.urlencode(),
            "narrowed": narrowed,
            "narrowed_label": _narrowed_label(narrowed),
        },
    )


def _local_date(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d-%m-%Y") if iso else "…"


def _narrowed_label(narrowed: dict[str, str]) -> str:
    parts = []
    if "from" in narrowed or "to" in narrowed:
        start, end = (_local_date(narrowed.get(key)) for key in ("from", "to"))
        parts.append(_("masuk %(start)s s.d. %(end)s") % {"start": start, "end": end})
    if channel := narrowed.get("channel"):
        parts.append(_("kanal %(channel)s") % {"channel": Channel(channel).label})
    if measure := narrowed.get("measure"):
        parts.append(str(MEASURE_LABELS[measure]))
    return " · ".join(parts)


@require_safe
def public_detail(request: HttpRequest, tracking: str) -> HttpResponse:
    report = report_or_404(tracking, public_reports())
    # The public's timeline, whoever looks: a staff member sees the rest in the workbench.
    entries = timeline(events_visible_to(report, None), public_attachments(report), redact=True)
    return render(
        request,
        "portal/public_detail.html",
        {
            "report": report,
            "title": public_text(report.title),
            "body": public_text(report.body),
            "address": public_text(report.address),
            "reporter": reporter_label(report, request.user),
            "timeline": entries,
        },
    )
