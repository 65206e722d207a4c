"""Helpers shared by the portal's views: finding a report by its number, turning a domain
error into messages on a form, presenting a timeline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404

from lapor.lib.tracking import normalize_tracking_number
from lapor.portal.labels import event_label, role_label
from lapor.reports.errors import DomainError, ValidationError
from lapor.reports.models import Attachment, Report, ReportEvent
from lapor.reports.privacy import public_text

REPORT_RELATIONS = (
    "province",
    "regency",
    "category",
    "suggested_institution",
    "queue_institution__region__province",
    "responsible_institution__region__province",
    "reporter",
)


def report_or_404(tracking: str, queryset: QuerySet[Report] | None = None) -> Report:
    """The report with this tracking number (typed in any accepted form) or a 404."""
    number = normalize_tracking_number(tracking)
    qs = queryset if queryset is not None else Report.objects.all()
    report = qs.select_related(*REPORT_RELATIONS).filter(tracking_number=number).first()
    if number is None or report is None:
        raise Http404("report not found")
    return report


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's error on the form: each field's messages on that field, the rest (or a
    message without fields) on the form itself."""
    fields = error.fields if isinstance(error, ValidationError) else {}
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
    if not fields:
        form.add_error(None, error.message)


@dataclass
class TimelineEntry:
    action: str
    label: str
    who: str
    at: datetime
    message: str
    reason: str
    institution: str
    attachments: list[Attachment] = field(default_factory=list)


def timeline(
    events: QuerySet[ReportEvent], attachments: QuerySet[Attachment], *, redact: bool
) -> list[TimelineEntry]:
    """The events as the page shows them, each with the files of it the viewer may open.

    `redact` applies privacy.public_text to every free text (for public pages).
    """
    files: dict[int | None, list[Attachment]] = defaultdict(list)
    for attachment in attachments:
        files[attachment.event_id].append(attachment)

    def text(value: str) -> str:
        return public_text(value) if redact else value

    entries = []
    for event in events.order_by("sequence"):
        data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
        entries.append(
            TimelineEntry(
                action=event.action,
                label=event_label(event.action),
                who=role_label(event.actor_role),
                at=event.created_at,
                message=text(event.message),
                reason=text(event.reason),
                institution=str(data.get("institution", "")) if event.action == "route" else "",
                attachments=files.get(event.pk, []),
            )
        )
    return entries


def last_message(events: list[TimelineEntry], action: str) -> TimelineEntry | None:
    for entry in reversed(events):
        if entry.action == action:
            return entry
    return None
