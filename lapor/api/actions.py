"""Every move of the lifecycle as one action endpoint; each calls exactly one service.

Staff moves act as the caller's user (for an integration: its service account). The reporter's
moves act as the caller's user, or as the guest reporter when X-Report-Secret carries the
report's secret. The services decide who may do what (403 not_allowed, 409
invalid_transition); a report out of the caller's reach is 404 before any service runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from lapor.api.access import Access, load_report, reachable_reports, reload
from lapor.api.auth import AUTH, caller_of
from lapor.api.presenters import events_out, report_out
from lapor.api.schemas import (
    ArchiveIn,
    ConfirmIn,
    EmptyIn,
    ExtendIn,
    FollowUpIn,
    ForwardIn,
    HoldIn,
    MessageIn,
    MoveOut,
    NoteIn,
    RateIn,
    ReasonIn,
    RouteIn,
)
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports import services
from lapor.reports.errors import ValidationError
from lapor.reports.models import Report
from lapor.reports.privacy import events_visible_to

router = Router(tags=["moves"], auth=AUTH)

Move = Callable[[Access], Report]


def perform(request: HttpRequest, tracking: str, move: Move) -> dict[str, Any]:
    """Reach the report, run the move, and answer with the new event and the report."""
    access = load_report(request, caller_of(request), tracking)
    moved = move(access)
    after = reload(access)
    event = None
    if after is not None:
        viewer = after.caller.user if after.view_kind() == "staff" else None
        latest = events_visible_to(after.report, viewer).filter(sequence=moved.last_event_sequence)
        event = next(iter(events_out(after, latest)), None)
    return {
        "tracking_number": moved.tracking_number,
        "state": moved.state,
        "event": event,
        "report": report_out(after) if after is not None else None,
    }


def _duplicate_of(access: Access, tracking: str | None) -> Report | None:
    if not tracking:
        return None
    number = normalize_tracking_number(tracking)
    original = (
        reachable_reports(access.caller).filter(tracking_number=number).first() if number else None
    )
    if original is None:
        message = _("Laporan asli tidak ditemukan.")
        raise ValidationError(message, fields={"duplicate_of": [message]})
    return original


@router.post("/reports/{tracking}/route", response=MoveOut, summary="Verifikasi dan disposisi")
def route(request: HttpRequest, tracking: str, payload: RouteIn) -> dict[str, Any]:
    """Verify and route to an institution (admin), setting type, class and category."""
    return perform(
        request,
        tracking,
        lambda a: services.route_report(
            actor=a.caller.user,
            report=a.report.pk,
            institution=payload.institution,
            report_type=payload.report_type,
            resolution_class=payload.resolution_class,
            category=payload.category,
            note=payload.note,
        ),
    )


@router.post("/reports/{tracking}/hold", response=MoveOut, summary="Tunda: minta klarifikasi")
def hold(request: HttpRequest, tracking: str, payload: HoldIn) -> dict[str, Any]:
    """Put on hold with a question to the reporter (admin)."""
    return perform(
        request,
        tracking,
        lambda a: services.hold_report(
            actor=a.caller.user, report=a.report.pk, question=payload.question
        ),
    )


@router.post("/reports/{tracking}/clarify", response=MoveOut, summary="Klarifikasi pelapor")
def clarify(request: HttpRequest, tracking: str, payload: MessageIn) -> dict[str, Any]:
    """The reporter answers the question of a held report."""
    return perform(
        request,
        tracking,
        lambda a: services.clarify_report(
            actor=a.reporter_actor, report=a.report.pk, message=payload.message
        ),
    )


@router.post("/reports/{tracking}/archive", response=MoveOut, summary="Arsipkan")
def archive(request: HttpRequest, tracking: str, payload: ArchiveIn) -> dict[str, Any]:
    """Archive with a reason code; `duplicate_of` names the original for duplicates (admin)."""

    def move(a: Access) -> Report:
        return services.archive_report(
            actor=a.caller.user,
            report=a.report.pk,
            reason_code=payload.reason_code,
            note=payload.note,
            duplicate_of=_duplicate_of(a, payload.duplicate_of),
        )

    return perform(request, tracking, move)


@router.post("/reports/{tracking}/decline", response=MoveOut, summary="Bukan wewenang")
def decline(request: HttpRequest, tracking: str, payload: ReasonIn) -> dict[str, Any]:
    """ "Not our authority": hand the report back one level up (handler)."""
    return perform(
        request,
        tracking,
        lambda a: services.decline_report(
            actor=a.caller.user, report=a.report.pk, reason=payload.reason
        ),
    )


@router.post("/reports/{tracking}/forward", response=MoveOut, summary="Teruskan ke unit")
def forward(request: HttpRequest, tracking: str, payload: ForwardIn) -> dict[str, Any]:
    """Forward down to a unit below the current holder (handler)."""
    return perform(
        request,
        tracking,
        lambda a: services.forward_report(
            actor=a.caller.user,
            report=a.report.pk,
            institution=payload.institution,
            note=payload.note,
        ),
    )


@router.post("/reports/{tracking}/follow-ups", response=MoveOut, summary="Tindak lanjut")
def follow_up(request: HttpRequest, tracking: str, payload: FollowUpIn) -> dict[str, Any]:
    """Post a follow-up (handler); `is_public` false keeps it an internal note.
    Files: POST .../attachments with move=follow_up."""
    return perform(
        request,
        tracking,
        lambda a: services.post_follow_up(
            actor=a.caller.user,
            report=a.report.pk,
            message=payload.message,
            is_public=payload.is_public,
        ),
    )


@router.post("/reports/{tracking}/answer", response=MoveOut, summary="Jawaban akhir")
def answer(request: HttpRequest, tracking: str, payload: MessageIn) -> dict[str, Any]:
    """Post the final answer (handler); the reporter's window opens."""
    return perform(
        request,
        tracking,
        lambda a: services.post_answer(
            actor=a.caller.user, report=a.report.pk, message=payload.message
        ),
    )


@router.post("/reports/{tracking}/extend", response=MoveOut, summary="Perpanjang tenggat")
def extend(request: HttpRequest, tracking: str, payload: ExtendIn) -> dict[str, Any]:
    """Extend the completion deadline by working days, with a reason, within the policy."""
    return perform(
        request,
        tracking,
        lambda a: services.extend_deadline(
            actor=a.caller.user, report=a.report.pk, days=payload.days, reason=payload.reason
        ),
    )


@router.post("/reports/{tracking}/information", response=MoveOut, summary="Tambahan informasi")
def add_information(request: HttpRequest, tracking: str, payload: MessageIn) -> dict[str, Any]:
    """The reporter adds information while the report is handled."""
    return perform(
        request,
        tracking,
        lambda a: services.add_information(
            actor=a.reporter_actor, report=a.report.pk, message=payload.message
        ),
    )


@router.post("/reports/{tracking}/reopen", response=MoveOut, summary="Keberatan: buka kembali")
def reopen(request: HttpRequest, tracking: str, payload: MessageIn) -> dict[str, Any]:
    """The reporter disputes the answer: the report is handled again."""
    return perform(
        request,
        tracking,
        lambda a: services.reopen_report(
            actor=a.reporter_actor, report=a.report.pk, message=payload.message
        ),
    )


@router.post("/reports/{tracking}/confirm", response=MoveOut, summary="Konfirmasi selesai")
def confirm(
    request: HttpRequest, tracking: str, payload: ConfirmIn | None = None
) -> dict[str, Any]:
    """The reporter accepts the answer (optionally rating it 1-5): finished. The body may be
    left out."""
    payload = payload or ConfirmIn(rating=None)
    return perform(
        request,
        tracking,
        lambda a: services.confirm_report(
            actor=a.reporter_actor,
            report=a.report.pk,
            rating=payload.rating,
            comment=payload.comment,
        ),
    )


@router.post("/reports/{tracking}/rate", response=MoveOut, summary="Beri penilaian")
def rate(request: HttpRequest, tracking: str, payload: RateIn) -> dict[str, Any]:
    """The reporter rates a finished report, once."""
    return perform(
        request,
        tracking,
        lambda a: services.rate_report(
            actor=a.reporter_actor,
            report=a.report.pk,
            rating=payload.rating,
            comment=payload.comment,
        ),
    )


@router.post(
    "/reports/{tracking}/ombudsman-consent",
    response=MoveOut,
    summary="Persetujuan pelimpahan ke Ombudsman",
)
def ombudsman_consent(
    request: HttpRequest, tracking: str, payload: EmptyIn | None = None
) -> dict[str, Any]:
    """The reporter consents to the hand-over of an overdue report to the Ombudsman (no body
    needed)."""
    return perform(
        request,
        tracking,
        lambda a: services.consent_to_ombudsman(actor=a.reporter_actor, report=a.report.pk),
    )


@router.post("/reports/{tracking}/escalate", response=MoveOut, summary="Limpahkan ke Ombudsman")
def escalate(request: HttpRequest, tracking: str, payload: NoteIn | None = None) -> dict[str, Any]:
    """An admin hands an overdue report over to the Ombudsman (after the reporter's consent).
    The body may be left out."""
    payload = payload or NoteIn()
    return perform(
        request,
        tracking,
        lambda a: services.escalate_to_ombudsman(
            actor=a.caller.user, report=a.report.pk, note=payload.note
        ),
    )
