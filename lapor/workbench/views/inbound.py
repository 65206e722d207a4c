"""Inbound messages a channel adapter could not turn into a report or a reply ("pesan masuk tak
terproses"): kept, never dropped, and shown here to the admins who answer for them.

A national admin sees every unparseable or failed message (most belong to no report yet). An
institution admin sees only those linked to a report in their subtree. Outside the national
desk the sender is masked and the text has NIK, phone numbers and e-mail addresses removed;
for a message linked to an anonymous report the sender is hidden from everyone here.
"Proses ulang" runs the channels' own `process_message` again (as the admin action does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lapor.accounts.models import Role
from lapor.channels.inbound import PROCESSABLE, process_message
from lapor.channels.models import InboundMessage
from lapor.lib.redaction import ANONYMOUS_LABEL, redact_personal_data
from lapor.workbench.views.common import Desk, Refused, staff_view

PAGE_SIZE = 50
TEXT_CHARS = 2000
SHOWN_STATUSES = (InboundMessage.Status.UNPARSEABLE, InboundMessage.Status.FAILED)


@dataclass(frozen=True)
class InboundRow:
    pk: int
    channel_label: str
    sender: str
    received_at: datetime
    status: str
    status_label: str
    subject: str
    text: str
    error: str
    attempts: int
    tracking_number: str | None
    can_reprocess: bool


def mask_sender(sender: str) -> str:
    """Enough to recognise a repeat sender, not enough to contact them."""
    local, at, domain = sender.partition("@")
    if at:
        return f"{local[:1]}•••@{domain}"
    if len(sender) <= 6:
        return sender[:1] + "•" * max(len(sender) - 1, 0)
    return sender[:4] + "•" * (len(sender) - 6) + sender[-2:]


def _admin_paths(desk: Desk) -> list[str]:
    return [m.institution.path for m in desk.memberships if m.role == Role.INSTITUTION_ADMIN]


def messages_in_scope(desk: Desk) -> QuerySet[InboundMessage]:
    """Unparseable and failed messages the desk answers for; Refused(403) for other roles."""
    qs = InboundMessage.objects.filter(status__in=SHOWN_STATUSES).select_related("report")
    if desk.is_national_admin:
        return qs
    paths = _admin_paths(desk)
    if not paths:
        raise Refused(403, _("Pesan masuk tak terproses hanya untuk admin instansi dan nasional."))
    linked = Q(pk__in=[])
    for path in paths:
        linked |= Q(report__queue_institution__path__startswith=path)
        linked |= Q(report__responsible_institution__path__startswith=path)
    return qs.filter(linked)


def _row(message: InboundMessage, national: bool) -> InboundRow:
    anonymous = message.report is not None and message.report.is_anonymous
    if anonymous:
        sender = ANONYMOUS_LABEL
    else:
        sender = message.sender if national else mask_sender(message.sender)
    text = message.text[:TEXT_CHARS] + ("…" if len(message.text) > TEXT_CHARS else "")
    subject = message.subject
    error = message.error
    if anonymous or not national:
        text, subject = redact_personal_data(text), redact_personal_data(subject)
        # A traceback is for the national operators; others get its gist.
        error = redact_personal_data(error.strip().splitlines()[-1] if error.strip() else "")
    return InboundRow(
        pk=message.pk,
        channel_label=message.get_channel_display(),
        sender=sender or "—",
        received_at=message.received_at,
        status=message.status,
        status_label=message.get_status_display(),
        subject=subject,
        text=text,
        error=error[:4000],
        attempts=message.attempts,
        tracking_number=message.report.tracking_number if message.report else None,
        can_reprocess=message.status in PROCESSABLE,
    )


@require_GET
@staff_view
def inbound_messages(request: HttpRequest, desk: Desk) -> HttpResponse:
    """The list, newest first, with the action to process a message again."""
    qs = messages_in_scope(desk).order_by("-received_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(m, desk.is_national_admin) for m in page.object_list]
    context = {"desk": desk, "page": page, "rows": rows, "nav": "inbound_messages"}
    return render(request, "workbench/inbound_messages.html", context)


@require_POST
@staff_view
def reprocess(request: HttpRequest, desk: Desk, message_id: str) -> HttpResponse:
    """Run the channel adapter again on one message in the desk's scope (404 otherwise)."""
    scope = messages_in_scope(desk)
    if not (message_id.isascii() and message_id.isdigit() and len(message_id) <= 18):
        raise Refused(404)
    message = scope.filter(pk=int(message_id)).first()
    if message is None:
        raise Refused(404)
    result = process_message(message.pk)
    outcome = result.message
    text = _("Pesan #%(id)d diproses ulang: %(status)s.") % {
        "id": outcome.pk,
        "status": outcome.get_status_display(),
    }
    if outcome.status in SHOWN_STATUSES:
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("workbench:inbound_messages")
