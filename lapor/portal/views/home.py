"""The home page: what LAPOR! is, how to report, the report types, live counts, search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lapor.portal import queries
from lapor.portal.choices import TYPE_HELP
from lapor.reports.models import ReportType
from lapor.reports.privacy import public_text


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = [
        {"report": report, "title": public_text(report.title)} for report in queries.latest_public()
    ]
    return render(
        request,
        "portal/home.html",
        {
            "counts": queries.public_counts(),
            "types": [(ReportType(value).label, text) for value, text in TYPE_HELP.items()],
            "latest": latest,
        },
    )
