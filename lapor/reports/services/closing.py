"""The reporter's moves and the report's end: add information, reopen, confirm, rate, close,
and the hand-over to the Ombudsman."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from lapor.reports.actors import Actor
from lapor.reports.errors import InvalidTransition, ValidationError
from lapor.reports.models import Assignment, Report
from lapor.reports.services._base import (
    Upload,
    begin,
    clean_uploads,
    record,
    require_text,
    store_attachments,
)


def add_information(
    *, actor: Actor, report: Report | int, message: str, uploads: Sequence[Upload] = ()
) -> Report:
    """The reporter adds information (tanggapan) while the report is being handled."""
    message = require_text(message, "message", "Tambahan informasi")
    files = clean_uploads(uploads)
    with transaction.atomic():
        move = begin(report, "add_information", actor)
        event = record(move, message=message, is_public=True)
        store_attachments(move.report, files, event=event, user=move.user)
    return move.report


def reopen_report(
    *, actor: Actor, report: Report | int, message: str, uploads: Sequence[Upload] = ()
) -> Report:
    """The reporter disputes the answer or adds information: the report is handled again.

    The completion clock is not restarted: it runs from the original routing.
    """
    message = require_text(message, "message", "Alasan keberatan")
    files = clean_uploads(uploads)
    with transaction.atomic():
        move = begin(report, "reopen", actor)
        move.report.reporter_window_due_at = None
        event = record(move, message=message, is_public=True)
        store_attachments(move.report, files, event=event, user=move.user)
    return move.report


def _check_rating(rating: int | None) -> None:
    if rating is not None and (isinstance(rating, bool) or rating not in range(1, 6)):
        msg = "Penilaian harus antara 1 dan 5."
        raise ValidationError(msg, fields={"rating": [msg]})


def confirm_report(
    *, actor: Actor, report: Report | int, rating: int | None = None, comment: str = ""
) -> Report:
    """The reporter accepts the answer (optionally rating the handling): finished."""
    _check_rating(rating)
    with transaction.atomic():
        move = begin(report, "confirm", actor)
        _finish(move.report, move.now)
        if rating is not None:
            move.report.satisfaction_rating = rating
            move.report.satisfaction_comment = comment.strip()[:4000]
        record(move, is_public=True, data={"rating": rating})
    return move.report


def close_after_window(*, actor: Actor, report: Report | int) -> Report:
    """The system closes an answered report whose reporter stayed silent through the window."""
    with transaction.atomic():
        move = begin(report, "close_after_window", actor)
        due = move.report.reporter_window_due_at
        if due is None or move.now <= due:
            raise InvalidTransition("Masa tanggapan pelapor belum berakhir.")
        _finish(move.report, move.now)
        record(move, is_public=True)
    return move.report


def _finish(report: Report, now: datetime) -> None:
    report.closed_at = now
    report.reporter_window_due_at = None
    Assignment.objects.filter(report=report, ended_at__isnull=True).update(ended_at=now)


def rate_report(*, actor: Actor, report: Report | int, rating: int, comment: str = "") -> Report:
    """Rate a finished report once (1-5, with an optional comment)."""
    _check_rating(rating)
    if rating is None:
        raise ValidationError("Penilaian wajib diisi.", fields={"rating": ["Wajib diisi."]})
    with transaction.atomic():
        move = begin(report, "rate", actor)
        if move.report.satisfaction_rating is not None:
            raise InvalidTransition("Laporan ini sudah dinilai.")
        move.report.satisfaction_rating = rating
        move.report.satisfaction_comment = comment.strip()[:4000]
        record(move, is_public=False, data={"rating": rating})
    return move.report


def consent_to_ombudsman(*, actor: Actor, report: Report | int) -> Report:
    """The reporter asks for the hand-over to the Ombudsman once the completion deadline passed."""
    with transaction.atomic():
        move = begin(report, "consent_ombudsman", actor)
        r = move.report
        if r.completion_due_at is None or move.now <= r.completion_due_at:
            raise InvalidTransition("Batas waktu penyelesaian belum lewat.")
        if r.ombudsman_consent_at is not None:
            raise InvalidTransition("Persetujuan pelimpahan sudah diberikan.")
        r.ombudsman_consent_at = move.now
        record(move, is_public=True)
    return move.report


def escalate_to_ombudsman(*, actor: Actor, report: Report | int, note: str = "") -> Report:
    """An admin confirms the hand-over of an overdue report to the Ombudsman (with consent)."""
    with transaction.atomic():
        move = begin(report, "escalate", actor)
        r = move.report
        if r.completion_due_at is None or move.now <= r.completion_due_at:
            raise InvalidTransition("Batas waktu penyelesaian belum lewat.")
        if r.ombudsman_consent_at is None:
            raise InvalidTransition("Pelapor belum menyetujui pelimpahan ke Ombudsman.")
        overdue_since = r.completion_due_at.isoformat()
        r.escalated_at = r.closed_at = move.now
        r.completion_due_at = r.first_response_due_at = None
        Assignment.objects.filter(report=r, ended_at__isnull=True).update(ended_at=move.now)
        record(move, reason=note.strip(), is_public=True, data={"overdue_since": overdue_since})
    return move.report
