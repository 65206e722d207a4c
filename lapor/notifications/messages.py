"""Message texts: templates under templates/notifications/, in Indonesian or English.

A template is `<kind>.<lang>.txt`; its first line is the e-mail subject, the rest the body. The
same file serves SMS: the variable `sms` is true there and the template writes a short text.
Templates are plain text (no HTML escaping). Everything a template shows is prepared here:
free text quoted from a report passes through reports.privacy.public_text, and a message to
staff names the reporter only through reports.privacy.reporter_label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Engine
from django.urls import reverse
from django.utils import translation

from lapor.accounts.models import User
from lapor.institutions.models import WIB, WIT, WITA, Institution
from lapor.notifications.recipients import Situation
from lapor.reports.models import ArchiveReason, Report, ReportType
from lapor.reports.policy import current_policy, stage_clock
from lapor.reports.privacy import public_text, reporter_label

LANGUAGES = ("id", "en")
ZONE_NAMES = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}
SMS_QUOTE_CHARS = 240
EMAIL_QUOTE_CHARS = 4000

# English labels; the Indonesian ones are the models' own (the product's source language).
ARCHIVE_REASONS_EN = {
    ArchiveReason.SPAM: "spam",
    ArchiveReason.DUPLICATE: "duplicate of another report",
    ArchiveReason.UNINTELLIGIBLE: "cannot be understood",
    ArchiveReason.TOO_GENERAL: "too general",
    ArchiveReason.OUT_OF_SCOPE: "outside the scope of public services",
    ArchiveReason.NO_CLARIFICATION: "no clarification from the reporter",
}
REPORT_TYPES_EN = {
    ReportType.COMPLAINT: "complaint",
    ReportType.ASPIRATION: "aspiration",
    ReportType.INFORMATION: "information request",
}
STAGES = {
    "id": {
        "verification": "verifikasi dan disposisi",
        "clarification": "klarifikasi pelapor",
        "completion": "penyelesaian",
        "first_response": "tanggapan pertama",
        "reporter_window": "tanggapan pelapor atas jawaban",
    },
    "en": {
        "verification": "verification and routing",
        "clarification": "the reporter's clarification",
        "completion": "completion",
        "first_response": "first response",
        "reporter_window": "the reporter's reply to the answer",
    },
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@lru_cache(maxsize=1)
def _engine() -> Engine:
    dirs: list[str] = []
    for config in settings.TEMPLATES:
        configured: Any = config.get("DIRS", [])
        dirs += [str(d) for d in configured]
    return Engine(dirs=dirs, autoescape=False)


def language_of(user: User | None) -> str:
    lang = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return lang if lang in LANGUAGES else "id"


def render(kind: str, language: str, context: dict[str, Any], *, sms: bool) -> Rendered:
    """Render templates/notifications/<kind>.<language>.txt for e-mail or SMS."""
    language = language if language in LANGUAGES else "id"
    template = _engine().get_template(f"notifications/{kind}.{language}.txt")
    with translation.override(language):
        text = template.render(Context({**context, "sms": sms, "lang": language}, autoescape=False))
    subject, _, body = text.strip().partition("\n")
    body = re.sub(r"\n{3,}", "\n\n", body.strip())
    if sms:
        body = " ".join(body.split())
    return Rendered(subject.strip()[:255], body + "\n" if not sms else body)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def reporter_link(report: Report) -> str:
    # The private page without the guest secret: a guest opens it with the link they saved.
    return absolute(reverse("portal:report_private", args=[report.tracking_number]))


def staff_link(report: Report) -> str:
    return absolute(reverse("workbench:report", args=[report.tracking_number]))


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split()) if limit <= SMS_QUOTE_CHARS else text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def local_time(moment: datetime | None, tz: str) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%d-%m-%Y %H:%M} {ZONE_NAMES.get(tz, tz)}"


def archive_reason_label(code: str, language: str) -> str:
    if not code:
        return ""
    try:
        reason = ArchiveReason(code)
    except ValueError:
        return code
    if language == "en":
        return ARCHIVE_REASONS_EN[reason]
    return str(reason.label)


def report_type_label(report: Report, language: str) -> str:
    if language == "en":
        return REPORT_TYPES_EN.get(ReportType(report.report_type), report.report_type)
    return str(ReportType(report.report_type).label).lower()


def report_zone(report: Report, queue: Institution | None = None) -> str:
    institution = report.responsible_institution or queue or report.queue_institution
    return institution.effective_timezone if institution is not None else WIB


def stage_of(at: Situation, language: str) -> tuple[str, str]:
    """(stage label, due time) for a staff message: the sweeper's data when it gives them,
    else the report's current stage clock if the report is still where the event left it."""
    report, event = at.report, at.event
    data = event.data if isinstance(event.data, dict) else {}
    stage = str(data.get("stage") or "")
    due_text = str(data.get("due_at") or "")
    due: datetime | None = None
    if due_text:
        try:
            due = datetime.fromisoformat(due_text)
        except ValueError:
            due = None
    if (not stage or due is None) and report.state == at.state:
        clock = stage_clock(report, current_policy(), event.created_at)
        if clock is not None:
            stage = stage or clock.stage
            due = due or clock.due_at
    label = STAGES[language].get(stage, stage)
    return label, local_time(due, report_zone(report, at.queue))


def base_context(at: Situation, language: str) -> dict[str, Any]:
    report = at.report
    return {
        "tracking": report.tracking_number,
        "title": shorten(public_text(report.title), 120),
        "report_type": report_type_label(report, language),
        "site_url": settings.SITE_URL,
        "when": local_time(at.event.created_at, report_zone(report, at.queue)),
    }


def reporter_context(at: Situation, language: str, *, sms: bool) -> dict[str, Any]:
    """What a message to the reporter may say. Never the guest secret (it is not even stored)."""
    report, event = at.report, at.event
    data = event.data if isinstance(event.data, dict) else {}
    limit = SMS_QUOTE_CHARS if sms else EMAIL_QUOTE_CHARS
    zone = report_zone(report, at.queue)
    context = base_context(at, language)
    reason_code = str(data.get("archive_reason") or report.archive_reason or "")
    note = event.reason if event.action == "archive" else ""
    label = archive_reason_label(reason_code, language)
    context.update(
        link=reporter_link(report),
        has_account=report.reporter_id is not None,
        institution=str(data.get("institution") or ""),
        message=shorten(public_text(event.message), limit),
        archive_reason=label,
        archive_note=shorten(public_text(note), limit) if note and note != label else "",
        duplicate_of=str(data.get("duplicate_of") or ""),
        window_due=local_time(report.reporter_window_due_at, zone),
        clarification_due=local_time(report.clarification_due_at, zone),
    )
    return context


def staff_context(
    at: Situation, language: str, viewer: User, *, stage: tuple[str, str] | None = None
) -> dict[str, Any]:
    """What a message to a staff member may say: the reporter only as reporter_label shows
    them to this person ("Pelapor anonim" for an anonymous report), no reporter-written text
    beyond the title (redacted)."""
    report, event = at.report, at.event
    data = event.data if isinstance(event.data, dict) else {}
    stage_label, due = stage or stage_of(at, language)
    context = base_context(at, language)
    context.update(
        link=staff_link(report),
        reporter=reporter_label(report, viewer),
        anonymous=report.is_anonymous,
        confidential=report.is_confidential,
        queue=at.queue.name if at.queue is not None else "",
        responsible=(report.responsible_institution.name if report.responsible_institution else ""),
        declined_by=str(data.get("declined_by") or ""),
        bounce_count=data.get("bounce_count", report.bounce_count),
        needs_national_decision=bool(data.get("needs_national_decision")),
        action=event.action,
        stage=stage_label,
        due=due,
    )
    return context
