"""One POST handler for every move: parse the form, call the service, redirect (PRG).

A service's ValidationError goes back onto the form (400); NotAllowed is a 403 page; an
InvalidTransition means the report moved meanwhile (409, the page shown afresh).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lapor.reports.errors import InvalidTransition, ValidationError
from lapor.reports.models import Report
from lapor.reports.privacy import is_staff_viewer
from lapor.workbench.views.common import (
    Desk,
    Refused,
    apply_service_errors,
    conflict_message,
    report_for_staff,
    staff_view,
)
from lapor.workbench.views.move_forms import MOVES, Move, build_form
from lapor.workbench.views.report import render_report
from lapor.workbench.views.route import render_route, route_page


def _render_form_page(
    request: HttpRequest, desk: Desk, report: Report, move: Move, form: forms.Form, status: int
) -> HttpResponse:
    """The page that holds the move's form, with the form as posted and its errors."""
    bound = {move.name: form}
    if move.page == "route":
        return render_route(request, desk, report, bound=bound, status=status)
    return render_report(request, desk, report, bound=bound, status=status)


@require_POST
@staff_view
def make_move(request: HttpRequest, desk: Desk, tracking: str, action: str) -> HttpResponse:
    move = MOVES[action]
    report = report_for_staff(desk, tracking)
    form = build_form(move.name, desk, report, request.POST, request.FILES)
    if not form.is_valid():
        return _render_form_page(request, desk, report, move, form, 400)
    try:
        move.perform(desk, report, form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _render_form_page(request, desk, report, move, form, 400)
    except InvalidTransition as error:
        try:
            current = report_for_staff(desk, tracking)
        except Refused:
            raise Refused(409, conflict_message(error)) from None
        return render_report(request, desk, current, status=409, error=conflict_message(error))
    messages.success(request, str(move.success))
    current = Report.objects.select_related("queue_institution", "responsible_institution").get(
        pk=report.pk
    )
    if is_staff_viewer(desk.user, current):
        return redirect("workbench:report", tracking=report.tracking_number)
    # The move took the report out of the actor's scope (e.g. "not our authority").
    messages.info(
        request,
        _("Laporan %(number)s kini di luar cakupan Anda.") % {"number": report.tracking_number},
    )
    return redirect("workbench:inbox")


@require_http_methods(["GET", "POST"])
def route_screen(request: HttpRequest, tracking: str) -> HttpResponse:
    """GET shows the verify-and-route screen; POST routes the report."""
    if request.method == "POST":
        return make_move(request, tracking=tracking, action="route")
    return route_page(request, tracking=tracking)
