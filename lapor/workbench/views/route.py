"""Verify and route in one screen: type, class, category, institution; or hold, or archive."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.reports.models import Report, State
from lapor.reports.workflow import allowed_actions
from lapor.workbench import presenters, queries
from lapor.workbench.views.common import Desk, Refused, report_for_staff, staff_view
from lapor.workbench.views.move_forms import VERIFY_ACTIONS, build_form, labelled
from lapor.workbench.views.report import report_context

# The htmx search shows this many institutions; the plain select (no JS) shows them all.
SEARCH_LIMIT = 50


def render_route(
    request: HttpRequest,
    desk: Desk,
    report: Report,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = report_context(desk, report)
    actions = allowed_actions(report.state, context["roles"])
    if not any(a in actions for a in VERIFY_ACTIONS):
        if report.state != State.AWAITING_VERIFICATION:
            raise Refused(409, _("Laporan ini tidak sedang menunggu verifikasi."))
        raise Refused(403, _("Anda tidak berwenang memverifikasi laporan ini."))
    search = request.GET.get("q", "")
    bound = bound or {}
    verify_forms = {
        name: bound[name] if name in bound else build_form(name, desk, report, search=search)
        for name in VERIFY_ACTIONS
        if name in actions
    }
    context.update({"moves": presenters.move_forms(verify_forms), "search": search})
    return render(request, "workbench/route.html", context, status=status)


@require_GET
@staff_view
def route_page(request: HttpRequest, desk: Desk, tracking: str) -> HttpResponse:
    return render_route(request, desk, report_for_staff(desk, tracking))


@require_GET
@staff_view
def institution_search(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Options of the institution select, filtered by name (htmx swaps them in)."""
    search = request.GET.get("q", "")
    targets = queries.search_institutions(queries.route_targets(desk.memberships), search)
    found = list(targets[: SEARCH_LIMIT + 1])
    context = {
        "options": labelled(found[:SEARCH_LIMIT]),
        "more": len(found) > SEARCH_LIMIT,
        "search": search,
        "selected": request.GET.get("route-institution", ""),
    }
    return render(request, "workbench/includes/institution_options.html", context)
