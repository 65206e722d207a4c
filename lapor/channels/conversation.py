"""One message from a verified sender: a new report, or a step in the sender's own report.

The threading rule, the same for every channel:
1. a tracking number at the start of the text (SMS, chat) or in the subject (e-mail), or an
   e-mail that answers a Message-ID we know, names the report;
2. otherwise, if the sender has a report on hold (a question waiting for them), the message is
   the answer to it;
3. otherwise the message is a new report.
A named report must be the sender's own (reports.permissions.sender_matches, enforced again by
the services through ChannelActor). The move follows the report's state: clarify (on hold),
add information (being verified or handled), reopen (answered); a closed report gets a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from lapor.channels.mail import strip_quoted_reply
from lapor.channels.models import InboundMessage, KnownMessageId
from lapor.channels.parsing import (
    ParsedMessage,
    clip,
    leading_tracking_number,
    make_title,
    tracking_number_in,
)
from lapor.reports import services
from lapor.reports.actors import ChannelActor
from lapor.reports.errors import DomainError, NotAllowed
from lapor.reports.models import Report, ReportType, State
from lapor.reports.permissions import normalize_phone, sender_matches

Status = InboundMessage.Status

FALLBACK_TITLES = {
    "sms": "Laporan melalui SMS 1708",
    "email": "Laporan melalui surel",
    "whatsapp": "Laporan melalui WhatsApp",
    "social_media": "Laporan melalui media sosial",
}
_THANKS_RE = re.compile(
    r"^\W*(terima ?kasih|makasih|trims|thanks?( you)?|ok(e|ay)?|baik|sip|mantap|selesai)"
    r"(\s+\w+){0,3}\W*$",
    re.IGNORECASE,
)
BODY_MAX = 20000


@dataclass
class Outcome:
    status: str
    report: Report | None = None
    action: str = ""
    reply: str = ""  # kept on the message (no secret in it)
    live_reply: str = ""  # returned to the gateway now; may carry the private link
    error: str = ""


def deliver(message: InboundMessage, parsed: ParsedMessage) -> Outcome:
    """Decide what the message is and call the service. Raises DomainError from services."""
    if parsed.ignore_reason:
        return Outcome(Status.IGNORED, error=parsed.ignore_reason)
    actor = ChannelActor(message.channel, parsed.sender)
    number, text = _named_number(parsed)
    target = None
    if number is not None:
        target = Report.objects.filter(tracking_number=number).first()
        if target is None or not sender_matches(target, parsed.sender):
            return _not_yours(number)
    else:
        target = _report_answered_by_mail(parsed) or _report_on_hold(parsed.sender)
    if target is not None and target.state in (State.ARCHIVED, State.FINISHED, State.ESCALATED):
        return _create(message, parsed, actor, closed=target)
    if target is not None:
        if parsed.sender_unverified:
            raise NotAllowed("Alamat pengirim tidak lolos pemeriksaan keaslian (SPF/DKIM/DMARC).")
        return _thread(target, parsed, actor, text)
    return _create(message, parsed, actor)


def _named_number(parsed: ParsedMessage) -> tuple[str | None, str]:
    if parsed.tracking_in == "subject":
        text = strip_quoted_reply(parsed.text) if parsed.refers_to else parsed.text
        return tracking_number_in(parsed.subject), text
    return leading_tracking_number(parsed.text)


def _report_answered_by_mail(parsed: ParsedMessage) -> Report | None:
    if not parsed.refers_to:
        return None
    from lapor.channels.mailids import report_for_message_ids

    report = report_for_message_ids(parsed.refers_to, parsed.sender)
    if report is not None and sender_matches(report, parsed.sender):
        parsed.text = strip_quoted_reply(parsed.text)
        return report
    return None


def _report_on_hold(sender: str) -> Report | None:
    """The sender's most recently held report (a question is waiting for them), if any."""
    if "@" in sender:
        match = Q(contact_email__iexact=sender) | Q(reporter__email__iexact=sender)
    else:
        digits = normalize_phone(sender)
        if len(digits) < 8:
            return None
        tail = digits[-8:]
        match = Q(contact_phone__endswith=tail) | Q(reporter__phone__endswith=tail)
    candidates = (
        Report.objects.filter(match, state=State.ON_HOLD)
        .select_related("reporter")
        .order_by("-held_at", "-id")[:20]
    )
    return next((r for r in candidates if sender_matches(r, sender)), None)


def _thread(report: Report, parsed: ParsedMessage, actor: ChannelActor, text: str) -> Outcome:
    number = report.tracking_number
    text = clip(text.strip(), BODY_MAX)
    if not text and not parsed.attachments:
        label = report.get_state_display()
        reply = f"LAPOR! Status laporan {number}: {label}."
        return Outcome(Status.THREADED, report, "status", reply, reply)
    text = text or "(lampiran)"
    files = parsed.attachments
    if report.state == State.ON_HOLD:
        services.clarify_report(actor=actor, report=report, message=text, uploads=files)
        reply = (
            f"LAPOR! Klarifikasi untuk laporan {number} sudah kami terima; "
            "laporan Anda diverifikasi kembali."
        )
        return Outcome(Status.THREADED, report, "clarify", reply, reply)
    if report.state == State.ANSWERED:
        if _THANKS_RE.match(text) and not files:
            reply = (
                f"LAPOR! Terima kasih. Bila Anda tidak puas dengan jawaban laporan {number}, "
                "balas dengan nomor laporan diikuti alasan keberatan Anda."
            )
            return Outcome(Status.IGNORED, report, "", reply, reply, "ucapan terima kasih")
        services.reopen_report(actor=actor, report=report, message=text, uploads=files)
        reply = (
            f"LAPOR! Keberatan Anda atas jawaban laporan {number} sudah kami terima; "
            "laporan ditindaklanjuti kembali."
        )
        return Outcome(Status.THREADED, report, "reopen", reply, reply)
    services.add_information(actor=actor, report=report, message=text, uploads=files)
    reply = f"LAPOR! Tambahan informasi untuk laporan {number} sudah kami terima."
    return Outcome(Status.THREADED, report, "add_information", reply, reply)


def _create(
    message: InboundMessage,
    parsed: ParsedMessage,
    actor: ChannelActor,
    closed: Report | None = None,
) -> Outcome:
    fallback = FALLBACK_TITLES.get(message.channel, "Laporan")
    subject = re.sub(r"^\s*((re|fw|fwd|aw|bls)\s*:\s*)+", "", parsed.subject, flags=re.I)
    body = clip(parsed.text.strip(), BODY_MAX) or subject.strip()
    data = services.ReportInput(
        report_type=ReportType.COMPLAINT,
        # A subject is a title already; a text's first words make one.
        title=clip(subject.strip(), 200)
        if len(subject.strip()) >= 5
        else make_title(body, fallback),
        body=body,
        channel=message.channel,
        contact_name=parsed.sender_name,
        contact_phone=parsed.contact_phone,
        contact_email=parsed.contact_email,
    )
    submission = services.submit_report(
        actor=actor,
        data=data,
        uploads=parsed.attachments,
        submission_key=f"inbound:{message.pk}",
    )
    report = submission.report
    number = report.tracking_number
    intro = f"Laporan {closed.tracking_number} sudah ditutup; " if closed else ""
    reply = (
        f"LAPOR! {intro}Laporan Anda kami terima dengan nomor {number}. Untuk menambah "
        "informasi, balas dengan nomor ini di awal pesan."
    )
    link = _private_link(report, submission.guest_secret)
    live = f"{reply} Pantau: {link}" if link else reply
    masked = f"{reply} Pantau: {_private_link(report, '…')}" if link else reply
    return Outcome(Status.CREATED, report, "submit", masked, live)


def _private_link(report: Report, secret: str) -> str:
    if not secret:
        return ""
    path = reverse("portal:report_private", kwargs={"tracking": report.tracking_number})
    return f"{settings.SITE_URL}{path}?kunci={secret}"


def _not_yours(number: str) -> Outcome:
    reply = (
        f"LAPOR! Nomor laporan {number} tidak ditemukan untuk pengirim ini. Periksa kembali "
        "nomornya, atau kirim laporan baru tanpa nomor."
    )
    return Outcome(Status.FAILED, None, "", reply, reply, "Nomor laporan bukan milik pengirim ini.")


def failure_reply(error: DomainError | None) -> str:
    if error is None:
        return "LAPOR! Pesan Anda sudah kami terima dan akan diperiksa petugas."
    return f"LAPOR! Pesan Anda belum dapat diproses: {error.message}"


def remember_message_id(parsed: ParsedMessage, report: Report | None) -> None:
    if report is None or not parsed.message_id:
        return
    KnownMessageId.objects.get_or_create(
        message_id=parsed.message_id[:255],
        defaults={"report": report, "direction": KnownMessageId.Direction.INBOUND},
    )
