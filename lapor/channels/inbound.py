"""Inbound messages: stored first (own transaction), then processed by their channel's adapter.

A message is never dropped: whatever the adapter or a service makes of it, the stored row keeps
the payload, the outcome and the error, and admins can process it again (admin action
"process again", or `process_message` here).
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from types import ModuleType

from django.conf import settings
from django.db import IntegrityError, transaction

from lapor.channels import conversation
from lapor.channels.adapters import email as email_adapter
from lapor.channels.adapters import gateway, sms
from lapor.channels.models import InboundMessage
from lapor.channels.parsing import Envelope, ParsedMessage, Unparseable, strip_nul
from lapor.lib import clock
from lapor.reports.errors import DomainError

logger = logging.getLogger(__name__)

Status = InboundMessage.Status
ADAPTERS: dict[str, ModuleType] = {
    "sms": sms,
    "email": email_adapter,
    "whatsapp": gateway,
    "social_media": gateway,
}
# Statuses that processing (again) may change; the others are final.
PROCESSABLE = frozenset({Status.RECEIVED, Status.FAILED, Status.UNPARSEABLE})


@dataclass(frozen=True)
class Result:
    message: InboundMessage
    reply: str  # for the gateway, now
    duplicate: bool = False


def store(channel: str, envelope: Envelope) -> tuple[InboundMessage, bool]:
    """Keep the message (committed before anything else happens). (message, False) when the
    gateway resent one it had already delivered (same channel and external id)."""
    fields = strip_nul(
        {
            "sender": envelope.sender[:255],
            "subject": envelope.subject[:255],
            "text": envelope.text,
            "payload": envelope.payload,
            "headers": envelope.headers,
        }
    )
    external_id = strip_nul(envelope.external_id[:255]) if envelope.external_id else None
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                channel=channel, external_id=external_id, received_at=clock.now(), **fields
            )
        return message, True
    except IntegrityError:
        existing = InboundMessage.objects.filter(channel=channel, external_id=external_id).first()
        if external_id is None or existing is None:
            raise
        return existing, False


def receive(channel: str, envelope: Envelope) -> Result:
    message, created = store(channel, envelope)
    if not created:
        return Result(message, message.reply, duplicate=True)
    return process_message(message.pk)


def process_message(message_id: int) -> Result:
    """Process a stored message if it is still open; never raises for the message's content."""
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().get(pk=message_id)
        if message.status not in PROCESSABLE:
            return Result(message, message.reply)
        message.attempts += 1
        parsed: ParsedMessage | None = None
        try:
            with transaction.atomic():
                parsed = ADAPTERS[message.channel].parse(message)
                _drop_unusable_attachments(parsed)
                outcome = conversation.deliver(message, parsed)
                if outcome.status in (Status.CREATED, Status.THREADED):
                    conversation.remember_message_id(parsed, outcome.report)
        except Unparseable as error:
            outcome = conversation.Outcome(
                Status.UNPARSEABLE, error=str(error), reply=conversation.failure_reply(None)
            )
        except DomainError as error:
            outcome = conversation.Outcome(
                Status.FAILED, error=error.message, reply=conversation.failure_reply(error)
            )
        except Exception:
            logger.exception("Inbound message %s could not be processed.", message.pk)
            outcome = conversation.Outcome(
                Status.FAILED,
                error=traceback.format_exc(limit=6)[-4000:],
                reply=conversation.failure_reply(None),
            )
        _apply(message, outcome, parsed)
    return Result(message, outcome.live_reply or outcome.reply)


def _apply(
    message: InboundMessage, outcome: conversation.Outcome, parsed: ParsedMessage | None
) -> None:
    notes = [outcome.error] if outcome.error else []
    if parsed is not None:
        notes += parsed.warnings
    message.status = outcome.status
    message.report = outcome.report
    message.action = outcome.action
    message.reply = outcome.reply
    message.error = "\n".join(notes)
    message.processed_at = clock.now()
    message.save()


def _drop_unusable_attachments(parsed: ParsedMessage) -> None:
    """Keep the attachments the services would accept; the others are noted, not fatal, so a
    citizen's words are never refused because of a file (the raw payload keeps it anyway)."""
    from lapor.reports.attachments import AttachmentError, clean_upload

    kept: list[tuple[str, bytes]] = []
    for name, data in parsed.attachments:
        if len(kept) >= settings.LAPOR_MAX_ATTACHMENTS:
            parsed.warnings.append(f"Lampiran {name} tidak disimpan: terlalu banyak lampiran.")
            continue
        try:
            clean_upload(name, data, max_bytes=settings.LAPOR_MAX_ATTACHMENT_BYTES)
        except AttachmentError as error:
            parsed.warnings.append(f"Lampiran {name} tidak disimpan: {error.message}")
            continue
        kept.append((name, data))
    parsed.attachments = kept
