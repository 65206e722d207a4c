"""The report page for staff: everything the role may see, and the moves it may make."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from lapor.lib import clock
from lapor.reports import services
from lapor.reports.errors import ValidationError
from lapor.reports.models import Report
from lapor.reports.permissions import roles_for
from lapor.reports.policy import current_policy
from lapor.reports.privacy import attachments_visible_to, events_visible_to, reporter_label
from lapor.reports.services.identity import ReporterIdentity
from lapor.reports.workflow import allowed_actions
from lapor.workbench import presenters, queries
from lapor.workbench.forms import RevealForm
from lapor.workbench.models import ReplyTemplate
from lapor.workbench.views.common import (
    Desk,
    apply_service_errors,
    report_for_staff,
    staff_view,
)
from lapor.workbench.views.move_forms import REPORT_PAGE_ACTIONS, VERIFY_ACTIONS, build_form
from lapor.workbench.views.notices import report_message_views


def report_context(desk: Desk, report: Report) -> dict[str, Any]:
    """What both the report page and the verify-and-route screen show about a report."""
    reporter_name = reporter_label(report, desk.user)
    events = (
        events_visible_to(report, desk.user)
        .select_related("actor")
        .prefetch_related("attachments")
        .order_by("sequence")
    )
    return {
        "desk": desk,
        "report": report,
        "title": presenters.text_for_staff(report, report.title),
        "body": presenters.text_for_staff(report, report.body),
        "clock": presenters.clock_view(report, current_policy(), clock.now()),
        "reporter_name": reporter_name,
        "events": presenters.event_views(report, events, reporter_name),
        "attachments": list(attachments_visible_to(report, desk.user)),
        "roles": roles_for(desk.user, report),
    }


def render_report(
    request: HttpRequest,
    desk: Desk,
    report: Report,
    *,
    bound: dict[str, forms.Form] | None = None,
    revealed: ReporterIdentity | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = report_context(desk, report)
    actions = allowed_actions(report.state, context["roles"])
    bound = bound or {}
    action_forms = {
        name: bound[name] if name in bound else build_form(name, desk, report)
        for name in REPORT_PAGE_ACTIONS
        if name in actions
    }
    can_reply = "follow_up" in action_forms or "answer" in action_forms
    templates = (
        ReplyTemplate.objects.active()
        .for_institutions(queries.handling_institutions(desk.memberships))
        .select_related("institution")
        if can_reply
        else ReplyTemplate.objects.none()
    )
    show_reveal = report.is_anonymous and desk.is_national_admin
    forward = action_forms.get("forward")
    forward_targets = forward is not None and len(forward.fields["institution"].widget.choices) > 1
    context.update(
        {
            "moves": presenters.move_forms(action_forms),
            "can_verify": any(a in actions for a in VERIFY_ACTIONS),
            "reply_templates": list(templates),
            "reveal_form": bound.get("reveal", RevealForm()) if show_reveal else None,
            "revealed": revealed,
            "forward_targets": forward_targets,
            "error": error,
            # An anonymous reporter's addresses only beside the logged identity reveal.
            "sent_messages": report_message_views(
                report, viewer=desk.user, reveal=revealed is not None
            ),
        }
    )
    response = render(request, "workbench/report.html", context, status=status)
    if revealed is not None:
        # The identity is shown on this response only: never kept by a cache or the browser.
        add_never_cache_headers(response)
    return response


@require_GET
@staff_view
def report_page(request: HttpRequest, desk: Desk, tracking: str) -> HttpResponse:
    return render_report(request, desk, report_for_staff(desk, tracking))


@require_POST
@staff_view
def reveal_identity(request: HttpRequest, desk: Desk, tracking: str) -> HttpResponse:
    """A national admin looks at an anonymous reporter's identity; the service logs it."""
    report = report_for_staff(desk, tracking)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render_report(request, desk, report, bound={"reveal": form}, status=400)
    try:
        identity = services.reveal_reporter_identity(
            actor=desk.user, report=report, purpose=form.cleaned_data["purpose"]
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return render_report(request, desk, report, bound={"reveal": form}, status=400)
    return render_report(request, desk, report, revealed=identity)
