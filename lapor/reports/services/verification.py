"""Verification: hold and clarify, archive, verify-and-route, and "not our authority"."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from lapor.institutions.models import Category, Institution
from lapor.reports.actors import Actor
from lapor.reports.errors import InvalidTransition, NotAllowed, ValidationError
from lapor.reports.models import (
    ArchiveReason,
    Assignment,
    Report,
    ReportType,
    ResolutionClass,
)
from lapor.reports.permissions import can_route_to
from lapor.reports.services._base import (
    Move,
    Upload,
    begin,
    clean_uploads,
    iso,
    record,
    require_text,
    store_attachments,
)

ALLOWED_CLASSES = {
    ReportType.COMPLAINT: {ResolutionClass.STANDARD, ResolutionClass.INVESTIGATION},
    ReportType.ASPIRATION: {ResolutionClass.SHORT},
    ReportType.INFORMATION: {ResolutionClass.SHORT},
}


def _close_hop(report: Report, move: Move) -> None:
    Assignment.objects.filter(report=report, ended_at__isnull=True).update(ended_at=move.now)


def _open_hop(report: Report, institution: Institution | None, kind: str, move: Move) -> None:
    _close_hop(report, move)
    Assignment.objects.create(
        report=report,
        institution=institution,
        kind=kind,
        assigned_by=move.user,
        started_at=move.now,
    )


def hold_report(*, actor: Actor, report: Report | int, question: str) -> Report:
    """Ask the reporter to clarify. The verification clock stops; the clarification window opens."""
    question = require_text(question, "question", "Pertanyaan untuk pelapor", max_length=4000)
    with transaction.atomic():
        move = begin(report, "hold", actor)
        move.report.held_at = move.now
        move.report.verification_due_at = None
        record(move, message=question, is_public=True)
    return move.report


def clarify_report(
    *, actor: Actor, report: Report | int, message: str, uploads: Sequence[Upload] = ()
) -> Report:
    """The reporter answers the question: back to verification with a fresh verification clock."""
    message = require_text(message, "message", "Klarifikasi")
    files = clean_uploads(uploads)
    with transaction.atomic():
        move = begin(report, "clarify", actor)
        move.report.verification_started_at = move.now
        move.report.clarification_due_at = None
        event = record(move, message=message, is_public=True)
        store_attachments(move.report, files, event=event, user=move.user)
    return move.report


def expire_hold(*, actor: Actor, report: Report | int) -> Report:
    """The system archives a held report whose clarification window has passed."""
    with transaction.atomic():
        move = begin(report, "expire_hold", actor)
        due = move.report.clarification_due_at
        if due is None or move.now <= due:
            raise InvalidTransition("Batas waktu klarifikasi belum lewat.")
        _archive(move, ArchiveReason.NO_CLARIFICATION, None, "")
    return move.report


def archive_report(
    *,
    actor: Actor,
    report: Report | int,
    reason_code: str,
    note: str = "",
    duplicate_of: Report | int | None = None,
) -> Report:
    """Close a report without handling, with a reason code (and the original for duplicates)."""
    if reason_code not in ArchiveReason.values or reason_code == ArchiveReason.NO_CLARIFICATION:
        msg = "Alasan pengarsipan tidak dikenal."
        raise ValidationError(msg, fields={"reason_code": [msg]})
    original = None
    if reason_code == ArchiveReason.DUPLICATE:
        if duplicate_of is None:
            msg = "Pilih laporan asli untuk laporan duplikat."
            raise ValidationError(msg, fields={"duplicate_of": [msg]})
        pk = duplicate_of if isinstance(duplicate_of, int) else duplicate_of.pk
        original = Report.objects.filter(pk=pk).first()
        if original is None:
            msg = "Laporan asli tidak ditemukan."
            raise ValidationError(msg, fields={"duplicate_of": [msg]})
    with transaction.atomic():
        move = begin(report, "archive", actor)
        if original is not None and original.pk == move.report.pk:
            msg = "Laporan tidak dapat menjadi duplikat dirinya sendiri."
            raise ValidationError(msg, fields={"duplicate_of": [msg]})
        _archive(move, ArchiveReason(reason_code), original, note.strip())
    return move.report


def _archive(move: Move, reason: ArchiveReason, original: Report | None, note: str) -> None:
    report = move.report
    report.archive_reason = reason
    report.duplicate_of = original
    report.closed_at = move.now
    report.verification_due_at = report.clarification_due_at = None
    # A report a unit handed back still carries its K/L/D's clock (decline keeps it for the
    # re-routing); a closed report keeps no running deadline.
    report.first_response_due_at = report.completion_due_at = None
    _close_hop(report, move)
    data = {"archive_reason": str(reason)}
    if original is not None:
        data["duplicate_of"] = original.tracking_number
    record(move, reason=note or str(reason.label), is_public=True, data=data)


def route_report(
    *,
    actor: Actor,
    report: Report | int,
    institution: Institution | int,
    report_type: str,
    resolution_class: str,
    category: Category | int | None = None,
    note: str = "",
) -> Report:
    """Verify and route: set type, class and category, and send the report to an institution.

    The completion and first-response clocks start now, unless the report is re-routed inside
    the K/L/D that already owns its clock (after a unit's "not our authority").
    """
    target, cat = _validate_route(institution, report_type, resolution_class, category)
    with transaction.atomic():
        move = begin(report, "route", actor)
        r = move.report
        if r.needs_national_decision and move.role != "national_admin":
            raise NotAllowed("Laporan ini menunggu keputusan admin nasional.")
        if move.user is None or not can_route_to(move.user, target):
            raise NotAllowed("Instansi tujuan di luar wilayah kewenangan Anda.")
        owner = target.top_level()
        if owner is None:
            msg = "Laporan harus didisposisikan ke kementerian, lembaga, atau pemerintah daerah."
            raise ValidationError(msg, fields={"institution": [msg]})
        same_owner = r.responsible_institution_id == owner.pk and r.routed_at is not None
        if not same_owner:
            r.routed_at = move.now
            r.first_response_at = None
            r.extension_days = 0
        r.report_type, r.resolution_class, r.category = report_type, resolution_class, cat
        r.queue_institution, r.responsible_institution = target, owner
        r.needs_national_decision = False
        r.verification_due_at = None
        _open_hop(r, target, Assignment.Kind.ROUTE, move)
        record(
            move,
            reason=note.strip(),
            is_public=True,
            data={
                "institution": target.name,
                "institution_id": target.pk,
                "report_type": report_type,
                "resolution_class": resolution_class,
                "category_id": cat.pk if cat else None,
                "clock_kept": same_owner,
            },
        )
    return move.report


def _validate_route(
    institution: Institution | int,
    report_type: str,
    resolution_class: str,
    category: Category | int | None,
) -> tuple[Institution, Category | None]:
    errors: dict[str, list[str]] = {}
    pk = institution if isinstance(institution, int) else institution.pk
    target = (
        Institution.objects.select_related("region__province", "parent")
        .filter(pk=pk, is_active=True)
        .first()
    )
    if target is None:
        errors["institution"] = ["Instansi tujuan tidak dikenal atau tidak aktif."]
    if report_type not in ReportType.values:
        errors["report_type"] = ["Jenis laporan tidak dikenal."]
    elif resolution_class not in ALLOWED_CLASSES[ReportType(report_type)]:
        errors["resolution_class"] = [
            "Kelas penyelesaian tidak sesuai jenis laporan (pengaduan: 14 atau 60 hari kerja; "
            "aspirasi dan permintaan informasi: 5 hari kerja)."
        ]
    cat = None
    if category is not None:
        cat_pk = category if isinstance(category, int) else category.pk
        cat = Category.objects.filter(pk=cat_pk, is_active=True).first()
        if cat is None:
            errors["category"] = ["Kategori tidak dikenal."]
    if errors:
        raise ValidationError("Data disposisi tidak valid.", fields=errors)
    assert target is not None
    return target, cat


def decline_report(*, actor: Actor, report: Report | int, reason: str) -> Report:
    """ "Not our authority": hand the report back to the verification queue one level up.

    A K/L/D that declines counts a bounce and the report returns to the national queue with
    fresh verification; after the policy's bounce limit only the national admin may route it.
    A unit that declines hands it back inside its own institution, and the institution's clock
    keeps running.
    """
    reason = require_text(reason, "reason", "Alasan", max_length=4000)
    with transaction.atomic():
        move = begin(report, "decline", actor)
        r = move.report
        declining = r.queue_institution
        assert declining is not None
        previous_due = iso(r.completion_due_at)
        leaves_owner = declining.kind in Institution.TOP_LEVEL_KINDS
        if leaves_owner:
            r.bounce_count += 1
            parent = declining.parent
            up = parent if parent is not None and parent.top_level() is not None else None
            r.responsible_institution = None
            r.routed_at = r.first_response_due_at = r.completion_due_at = None
            r.first_response_at = None
            r.extension_days = 0
            if r.bounce_count >= move.policy.max_bounces:
                up, r.needs_national_decision = None, True
        else:
            up = declining.parent
        r.queue_institution = up
        r.verification_started_at = move.now
        _open_hop(r, up, Assignment.Kind.VERIFICATION, move)
        record(
            move,
            reason=reason,
            is_public=True,
            data={
                "declined_by": declining.name,
                "declined_by_id": declining.pk,
                "to_queue": up.name if up else "nasional",
                "bounce_count": r.bounce_count,
                "needs_national_decision": r.needs_national_decision,
                "previous_completion_due_at": previous_due,
            },
        )
    return move.report
