"""Handling by the institution: forward to a unit, follow up, answer, extend."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from lapor.institutions.models import Institution
from lapor.reports.actors import Actor
from lapor.reports.errors import NotAllowed, ValidationError
from lapor.reports.models import Assignment, Report
from lapor.reports.permissions import can_forward_to
from lapor.reports.services._base import (
    Upload,
    begin,
    clean_uploads,
    iso,
    record,
    require_text,
    store_attachments,
)
from lapor.reports.services.verification import _open_hop


def forward_report(
    *, actor: Actor, report: Report | int, institution: Institution | int, note: str = ""
) -> Report:
    """Send the report down to a unit. The institution's clock does not restart; the hop is kept."""
    pk = institution if isinstance(institution, int) else institution.pk
    target = Institution.objects.filter(pk=pk, is_active=True).first()
    if target is None:
        msg = "Unit tujuan tidak dikenal atau tidak aktif."
        raise ValidationError(msg, fields={"institution": [msg]})
    with transaction.atomic():
        move = begin(report, "forward", actor)
        if move.user is None or not can_forward_to(move.user, move.report, target):
            raise NotAllowed("Laporan hanya dapat diteruskan ke unit di bawah pemegang saat ini.")
        previous = move.report.queue_institution
        move.report.queue_institution = target
        _open_hop(move.report, target, Assignment.Kind.FORWARD, move)
        record(
            move,
            reason=note.strip(),
            is_public=False,
            data={
                "from_institution_id": previous.pk if previous else None,
                "institution": target.name,
                "institution_id": target.pk,
            },
        )
    return move.report


def post_follow_up(
    *,
    actor: Actor,
    report: Report | int,
    message: str,
    is_public: bool = True,
    uploads: Sequence[Upload] = (),
) -> Report:
    """A follow-up (tindak lanjut). The first one is the institution's first response."""
    message = require_text(message, "message", "Tindak lanjut")
    files = clean_uploads(uploads)
    with transaction.atomic():
        move = begin(report, "follow_up", actor)
        if move.report.first_response_at is None and is_public:
            move.report.first_response_at = move.now
            move.report.first_response_due_at = None
        event = record(move, message=message, is_public=is_public)
        store_attachments(move.report, files, event=event, user=move.user)
    return move.report


def post_answer(
    *, actor: Actor, report: Report | int, message: str, uploads: Sequence[Upload] = ()
) -> Report:
    """The final answer. The reporter's window to confirm or dispute opens."""
    message = require_text(message, "message", "Jawaban akhir")
    files = clean_uploads(uploads)
    with transaction.atomic():
        move = begin(report, "answer", actor)
        r = move.report
        if r.first_response_at is None:
            r.first_response_at = move.now
        r.first_response_due_at = None
        r.answered_at = move.now
        data: dict[str, object] = {"completion_due_at": iso(r.completion_due_at), "on_time": None}
        if r.completion_due_at is not None:
            data["on_time"] = move.now <= r.completion_due_at
        r.completion_due_at = None
        event = record(move, message=message, is_public=True, data=data)
        store_attachments(r, files, event=event, user=move.user)
    return move.report


def extend_deadline(*, actor: Actor, report: Report | int, days: int, reason: str) -> Report:
    """Extend the completion deadline by `days` working days, before it passes, within policy."""
    reason = require_text(reason, "reason", "Alasan perpanjangan", max_length=4000)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        msg = "Perpanjangan minimal 1 hari kerja."
        raise ValidationError(msg, fields={"days": [msg]})
    with transaction.atomic():
        move = begin(report, "extend", actor)
        r = move.report
        if r.completion_due_at is None or move.now > r.completion_due_at:
            raise ValidationError(
                "Perpanjangan harus diajukan sebelum batas waktu penyelesaian lewat.",
                code="deadline_passed",
            )
        limit = move.policy.max_extension_days
        if r.extension_days + days > limit:
            left = limit - r.extension_days
            msg = f"Perpanjangan melebihi batas kebijakan (sisa {left} hari kerja)."
            raise ValidationError(msg, fields={"days": [msg]})
        previous = iso(r.completion_due_at)
        r.extension_days += days
        record(
            move,
            reason=reason,
            is_public=True,
            data={
                "days": days,
                "previous_due_at": previous,
                "total_extension_days": r.extension_days,
            },
        )
    return move.report
