"""What the system told whom about a report, and the messages that could not be delivered.

The record (Notification and its DeliveryAttempts) is shown to staff who see the report. A
message to the reporter of an anonymous report names the recipient only as "Pelapor" and never
shows the address (nor an error text quoting it): the institution must not learn who the
reporter is. A national admin sees the address only on the page of a logged identity reveal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lapor.accounts.models import User
from lapor.notifications.models import Audience, Channel, DeliveryAttempt, Notification, Status
from lapor.notifications.services import failed_notifications_in_scope, report_messages
from lapor.reports.models import Report
from lapor.reports.privacy import public_text, reporter_contact_hidden, reporter_label
from lapor.workbench.views.common import Desk, Refused, staff_view

PAGE_SIZE = 50

KIND_LABELS = {
    "submit": gettext_lazy("Laporan diterima"),
    "route": gettext_lazy("Laporan didisposisikan"),
    "follow_up": gettext_lazy("Tindak lanjut"),
    "hold": gettext_lazy("Permintaan klarifikasi"),
    "answer": gettext_lazy("Jawaban akhir"),
    "close_after_window": gettext_lazy("Ditutup setelah masa tanggapan"),
    "archive": gettext_lazy("Diarsipkan"),
    "escalate": gettext_lazy("Dilimpahkan ke Ombudsman"),
    "ombudsman_offered": gettext_lazy("Tawaran pelimpahan ke Ombudsman"),
    "new_work": gettext_lazy("Tugas baru"),
    "decline": gettext_lazy("Dikembalikan (bukan wewenang)"),
    "clarify": gettext_lazy("Klarifikasi pelapor"),
    "deadline_warning": gettext_lazy("Pengingat batas waktu"),
    "overdue": gettext_lazy("Melewati batas waktu"),
    "reopen": gettext_lazy("Dibuka kembali"),
    "add_information": gettext_lazy("Informasi tambahan dari pelapor"),
    "digest": gettext_lazy("Ringkasan harian"),
}


@dataclass(frozen=True)
class AttemptView:
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    outcome_label: str
    detail: str


@dataclass(frozen=True)
class MessageView:
    pk: int
    report: Report | None
    audience_label: str
    to_reporter: bool
    recipient: str
    address: str
    kind_label: str
    channel_label: str
    status: str
    status_label: str
    failed: bool
    created_at: datetime
    sent_at: datetime | None
    attempt_count: int
    attempts: list[AttemptView]
    last_error: str
    subject: str
    body: str


def _hides_address(notification: Notification, report: Report | None, reveal: bool) -> bool:
    return (
        notification.audience == Audience.REPORTER
        and report is not None
        and reporter_contact_hidden(report, revealed=reveal)
    )


def _reporter_name(report: Report | None, viewer: User) -> str:
    """The name to show ("" when it is withheld: an anonymous report)."""
    if report is None or report.is_anonymous:
        return ""
    return reporter_label(report, viewer)


def _placeholder(channel: str) -> str:
    if channel == Channel.SMS:
        return _("[nomor telepon disembunyikan]")
    return _("[surel disembunyikan]")


def _scrub(text: str, address: str, placeholder: str) -> str:
    # A gateway's error may quote the address; remove it, then anything shaped like contact data.
    if address:
        text = text.replace(address, placeholder)
    return public_text(text)


def _recipient(notification: Notification, name: str) -> str:
    if notification.audience == Audience.REPORTER:
        return f"{_('Pelapor')}: {name}" if name else _("Pelapor")
    user = notification.recipient
    return user.display_name() if user is not None else _("Petugas")


def message_view(
    notification: Notification,
    report: Report | None,
    *,
    name: str,
    reveal: bool = False,
    attempts: list[DeliveryAttempt] | None = None,
) -> MessageView:
    """One message as this page may show it (see the module docstring)."""
    hide = _hides_address(notification, report, reveal)
    address, placeholder = notification.address, _placeholder(notification.channel)

    def clean(text: str) -> str:
        return _scrub(text, address, placeholder) if hide else text

    def unquote(text: str) -> str:
        # The message as sent (already written without the reporter's identity), minus the
        # address should a template ever quote it.
        return text.replace(address, placeholder) if hide and address else text

    shown_attempts = [
        AttemptView(
            started_at=a.started_at,
            finished_at=a.finished_at,
            outcome=a.outcome,
            outcome_label=a.get_outcome_display() if a.outcome else _("Tidak selesai"),
            detail=clean(a.detail),
        )
        for a in attempts or []
    ]
    return MessageView(
        pk=notification.pk,
        report=report,
        audience_label=notification.get_audience_display(),
        to_reporter=notification.audience == Audience.REPORTER,
        recipient=_recipient(notification, name),
        address=placeholder if hide and address else address,
        kind_label=str(KIND_LABELS.get(notification.kind, notification.kind)),
        channel_label=notification.get_channel_display(),
        status=notification.status,
        status_label=notification.get_status_display(),
        failed=notification.status == Status.FAILED,
        created_at=notification.created_at,
        sent_at=notification.sent_at,
        attempt_count=notification.attempts,
        attempts=shown_attempts,
        last_error=clean(notification.last_error),
        subject=unquote(notification.subject),
        body=unquote(notification.body),
    )


def report_message_views(
    report: Report, *, viewer: User, reveal: bool = False
) -> list[MessageView]:
    """Every message about `report`, oldest first, in a fixed number of queries."""
    name = _reporter_name(report, viewer)
    return [
        message_view(n, report, name=name, reveal=reveal, attempts=list(n.delivery_attempts.all()))
        for n in report_messages(report)
    ]


@require_GET
@staff_view
def failed_messages(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Messages that could not be delivered after every attempt, in the admin's scope."""
    if not desk.watches_messages:
        raise Refused(403, _("Daftar pesan gagal hanya untuk admin instansi dan admin nasional."))
    page = Paginator(failed_notifications_in_scope(desk.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        message_view(n, n.report, name=_reporter_name(n.report, desk.user))
        for n in page.object_list
    ]
    context = {"desk": desk, "page": page, "rows": rows, "nav": "failed_messages"}
    return render(request, "workbench/failed_messages.html", context)
