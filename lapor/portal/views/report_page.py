"""The reporter's page of one report: what it shows and which actions it offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lapor.lib import clock
from lapor.portal.forms import ConfirmForm, ConsentForm, MessageForm, RateForm
from lapor.portal.labels import STAGE_LABELS, ZONE_LABELS
from lapor.portal.views.common import last_message, timeline
from lapor.reports import workflow
from lapor.reports.actors import Actor, GuestActor
from lapor.reports.models import Report
from lapor.reports.permissions import roles_for
from lapor.reports.policy import current_policy, stage_clock, zone_of
from lapor.reports.privacy import attachments_visible_to, events_visible_to, reporter_label


@dataclass(frozen=True)
class Action:
    """A reporter action offered on the page: its URL slug, the service's action, the form."""

    slug: str
    action: str
    form_class: type[forms.Form]


# In the order the page shows them.
ACTIONS = (
    Action("klarifikasi", "clarify", MessageForm),
    Action("tambah-informasi", "add_information", MessageForm),
    Action("konfirmasi", "confirm", ConfirmForm),
    Action("keberatan", "reopen", MessageForm),
    Action("nilai", "rate", RateForm),
    Action("ombudsman", "consent_ombudsman", ConsentForm),
)
ACTIONS_BY_SLUG = {a.slug: a for a in ACTIONS}


def offered_actions(report: Report, actor: Actor) -> list[Action]:
    """The reporter's actions the workflow table allows now (a rated report is not rated
    again; a given consent is not given again: the services would refuse both)."""
    allowed = set(workflow.allowed_actions(report.state, roles_for(actor, report)))
    if report.satisfaction_rating is not None:
        allowed.discard("rate")
    if report.ombudsman_consent_at is not None:
        allowed.discard("consent_ombudsman")
    return [a for a in ACTIONS if a.action in allowed]


def _clock(report: Report) -> dict[str, Any] | None:
    stage = stage_clock(report, current_policy(), clock.now())
    if stage is None:
        return None
    institution = (
        report.queue_institution
        if stage.stage in ("verification", "clarification")
        else report.responsible_institution
    )
    zone, _province = zone_of(institution)
    return {
        "stage": STAGE_LABELS.get(stage.stage, stage.stage),
        "due_at": stage.due_at,
        "tz": zone,
        "zone": ZONE_LABELS.get(zone, zone),
        "limit_days": stage.limit_days,
        "elapsed_days": stage.elapsed_days,
        "colour": stage.colour,
    }


def render_report_page(
    request: HttpRequest,
    report: Report,
    actor: Actor,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = None if isinstance(actor, GuestActor) else actor
    events = events_visible_to(report, viewer)
    files = attachments_visible_to(report, viewer, is_reporter=True)
    entries = timeline(events, files, redact=False)
    actions: list[dict[str, Any]] = []
    for action in offered_actions(report, actor):
        if bound is not None and bound[0] == action.slug:
            actions.append({"action": action, "form": bound[1], "open": True})
        else:
            prefix = action.slug
            actions.append({"action": action, "form": action.form_class(prefix=prefix)})
    if bound is not None and not any(a["action"].slug == bound[0] for a in actions):
        # The action is no longer offered (the state moved on): show why, above the page.
        actions.insert(0, {"action": ACTIONS_BY_SLUG[bound[0]], "form": bound[1], "open": True})
    context = {
        "report": report,
        "reporter_name": reporter_label(report, viewer),
        "clock": _clock(report),
        "timeline": entries,
        "question": last_message(entries, "hold") if report.state == "on_hold" else None,
        "answer": last_message(entries, "answer"),
        "actions": actions,
    }
    return render(request, "portal/report_private.html", context, status=status)
