"""Reports, events and files as the API shows them to one caller.

What may be seen is decided by lapor.reports.privacy; this module applies it field by field:

- staff see everything of a report in their scope, except that an anonymous report's free text
  loses NIK, phone numbers and e-mail addresses (as on the workbench);
- the reporter sees their report as they wrote it, its public events and their own files;
- anyone else sees the public, redacted version.

No output ever carries a reporter's contact details, NIK, or an anonymous reporter's name.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from lapor.api.access import Access, StaffLens, ViewKind
from lapor.institutions.models import Category, Institution, Region
from lapor.lib import clock
from lapor.reports import workflow
from lapor.reports.models import Attachment, Report, ReportEvent
from lapor.reports.policy import current_policy, stage_clock
from lapor.reports.privacy import (
    events_visible_to,
    public_attachments,
    public_text,
    reporter_attachments,
    reporter_label,
    text_for_staff,
)

# Event data shown to viewers who are not staff: where a report went and why, nothing more.
PUBLIC_EVENT_DATA = ("institution", "to_queue", "duplicate_of", "days", "channel", "archive_reason")


def text_for(kind: ViewKind, report: Report, value: str) -> str:
    if not value:
        return value
    if kind == "reporter":
        return value
    if kind == "staff":
        return text_for_staff(report, value)
    return public_text(value)


def _institution(inst: Institution | None) -> dict[str, Any] | None:
    return None if inst is None else {"id": inst.pk, "code": inst.code, "name": inst.name}


def _region(region: Region | None) -> dict[str, Any] | None:
    return None if region is None else {"code": region.code, "name": region.name}


def _category(category: Category | None) -> dict[str, Any] | None:
    if category is None:
        return None
    return {"id": category.pk, "code": category.code, "name": category.name}


def attachment_out(attachment: Attachment, event_sequences: dict[int, int]) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "kind": attachment.kind,
        "size": attachment.size,
        "event_sequence": event_sequences.get(attachment.event_id or 0),
        "url": reverse("api:download_attachment", kwargs={"attachment_id": attachment.pk}),
    }


def visible_files(access: Access) -> list[Attachment]:
    """privacy.attachments_visible_to, for the view kind already worked out for the caller."""
    report = access.report
    if access.kind == "staff":
        files = report.attachments.all()
    elif access.kind == "reporter":
        files = reporter_attachments(report)
    else:
        files = public_attachments(report)
    return list(files.select_related("event"))


def _sequences(files: list[Attachment]) -> dict[int, int]:
    return {f.event.pk: f.event.sequence for f in files if f.event is not None}


def _clock(report: Report) -> dict[str, Any] | None:
    stage = stage_clock(report, current_policy(), clock.now())
    if stage is None:
        return None
    return {
        "stage": stage.stage,
        "due_at": stage.due_at,
        "limit_days": stage.limit_days,
        "elapsed_days": stage.elapsed_days,
        "colour": stage.colour,
    }


def report_out(access: Access, *, files: list[Attachment] | None = None) -> dict[str, Any]:
    """The detail of one report, for the caller of `access`. `files`: its visible attachments
    when the caller already knows them (a report just made has none)."""
    r = access.report
    kind = access.view_kind()
    private = kind != "public"
    files = visible_files(access) if files is None else files
    sequences = _sequences(files)
    return {
        "tracking_number": r.tracking_number,
        "view": kind,
        "report_type": r.report_type,
        "title": text_for(kind, r, r.title),
        "body": text_for(kind, r, r.body),
        "state": r.state,
        "channel": r.channel,
        "incident_date": r.incident_date,
        "province": _region(r.province),
        "regency": _region(r.regency),
        # A street address or a point can identify the reporter: handlers and the reporter only.
        "address": text_for(kind, r, r.address) if private else None,
        "latitude": float(r.latitude) if private and r.latitude is not None else None,
        "longitude": float(r.longitude) if private and r.longitude is not None else None,
        "category": _category(r.category),
        "suggested_institution": _institution(r.suggested_institution),
        "is_anonymous": r.is_anonymous,
        "is_confidential": r.is_confidential,
        # Unmasked only for staff and the reporter's own account; an anonymous report's is
        # the fixed label for everyone.
        "reporter_name": reporter_label(r, access.caller.user),
        "queue_institution": _institution(r.queue_institution),
        "responsible_institution": _institution(r.responsible_institution),
        "resolution_class": r.resolution_class,
        "bounce_count": r.bounce_count,
        "needs_national_decision": r.needs_national_decision,
        "submitted_at": r.submitted_at,
        "routed_at": r.routed_at,
        "first_response_at": r.first_response_at,
        "answered_at": r.answered_at,
        "closed_at": r.closed_at,
        "updated_at": r.updated_at,
        "deadlines": {
            "verification_due_at": r.verification_due_at,
            "clarification_due_at": r.clarification_due_at,
            "first_response_due_at": r.first_response_due_at,
            "completion_due_at": r.completion_due_at,
            "reporter_window_due_at": r.reporter_window_due_at,
        },
        "clock": _clock(r),
        "extension_days": r.extension_days,
        "archive_reason": r.archive_reason,
        "duplicate_of": r.duplicate_of.tracking_number if r.duplicate_of else None,
        "satisfaction_rating": r.satisfaction_rating if private else None,
        "ombudsman_consent_at": r.ombudsman_consent_at,
        "allowed_actions": access.allowed_actions(),
        "attachments": [attachment_out(a, sequences) for a in files],
    }


def summary_out(report: Report, lens: StaffLens) -> dict[str, Any]:
    kind = lens.kind(report)
    return {
        "tracking_number": report.tracking_number,
        "report_type": report.report_type,
        "title": text_for(kind, report, report.title),
        "state": report.state,
        "channel": report.channel,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "category_id": report.category_id,
        "queue_institution_id": report.queue_institution_id,
        "responsible_institution_id": report.responsible_institution_id,
        "submitted_at": report.submitted_at,
        "updated_at": report.updated_at,
        "completion_due_at": report.completion_due_at,
    }


def _actor_name(event: ReportEvent, kind: ViewKind, reporter_name: str) -> str | None:
    if event.actor_role == workflow.REPORTER:
        return reporter_name
    if kind != "staff":
        return None
    if event.actor is not None:
        return event.actor.display_name()
    return None


def _event_data(event: ReportEvent, kind: ViewKind) -> dict[str, Any]:
    data = event.data if isinstance(event.data, dict) else {}
    if kind == "staff":
        return dict(data)
    return {k: data[k] for k in PUBLIC_EVENT_DATA if k in data}


def events_out(access: Access, events: QuerySet[ReportEvent] | None = None) -> list[dict[str, Any]]:
    """The timeline the caller may see (all events for staff, public ones for others)."""
    report = access.report
    kind = access.view_kind()
    viewer = access.caller.user if kind == "staff" else None
    if events is None:
        events = events_visible_to(report, viewer)
    events = events.select_related("actor").order_by("sequence")
    reporter_name = reporter_label(report, access.caller.user)
    files: dict[int, list[dict[str, Any]]] = {}
    visible = visible_files(access)
    sequences = _sequences(visible)
    for attachment in visible:
        files.setdefault(attachment.event_id or 0, []).append(attachment_out(attachment, sequences))
    return [
        {
            "sequence": event.sequence,
            "action": event.action,
            "actor_role": event.actor_role,
            "actor_name": _actor_name(event, kind, reporter_name),
            "from_state": event.from_state,
            "to_state": event.to_state,
            "reason": text_for(kind, report, event.reason),
            "message": text_for(kind, report, event.message),
            "is_public": event.is_public,
            "created_at": event.created_at,
            "data": _event_data(event, kind),
            "attachments": files.get(event.pk, []),
        }
        for event in events
    ]
