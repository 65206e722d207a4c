"""WhatsApp and social media through one generic gateway webhook:
{"channel": "whatsapp" | "social_media", "message_id", "from", "name", "text",
 "phone"?, "email"?, "platform"?, "attachments": [{"filename", "content_type", "content"}]}.
"""

from __future__ import annotations

from lapor.channels.adapters import decode_body, is_raw, raw_payload
from lapor.channels.adapters.sms import phone_number
from lapor.channels.models import InboundMessage
from lapor.channels.parsing import Envelope, ParsedMessage, Unparseable, first, json_attachments

ID_KEYS = ("message_id", "id", "messageId")
FROM_KEYS = ("from", "sender", "wa_id", "handle")
TEXT_KEYS = ("text", "message", "body", "caption")
STATUS_TYPES = {"status", "delivery", "read", "receipt", "reaction"}


def envelope(channel: str, body: bytes, content_type: str) -> Envelope:
    data = decode_body(body, content_type)
    if data is None:
        return Envelope(None, "", "", "", raw_payload(body), {})
    return Envelope(
        external_id=first(data, *ID_KEYS) or None,
        sender=first(data, *FROM_KEYS),
        subject="",
        text=first(data, *TEXT_KEYS),
        payload=data,
        headers={},
    )


def parse(message: InboundMessage) -> ParsedMessage:
    data = message.payload
    if not isinstance(data, dict) or is_raw(data):
        raise Unparseable("Isi webhook bukan JSON yang dikenali.")
    named = first(data, "channel")
    if named and named != message.channel:
        raise Unparseable(f"Kanal {named!r} tidak sesuai dengan kunci yang menandatangani.")
    kind = first(data, "type", "event").lower()
    handle = first(data, *FROM_KEYS)
    if kind in STATUS_TYPES:
        return ParsedMessage(sender=handle, text="", ignore_reason=f"status ({kind})")
    warnings: list[str] = []
    files = json_attachments(data.get("attachments"), warnings)
    text = first(data, *TEXT_KEYS)
    if not text and not files:
        raise Unparseable("Pesan kosong.")
    parsed = ParsedMessage(
        sender="", text=text, sender_name=first(data, "name", "profile_name"), attachments=files
    )
    parsed.warnings = warnings
    if message.channel == "whatsapp":
        phone = phone_number(handle)
        if phone is None:
            raise Unparseable("Nomor WhatsApp pengirim tidak ada atau tidak valid.")
        parsed.sender = parsed.contact_phone = phone
        return parsed
    # Social media: a handle proves nothing about a phone or address; only what the gateway
    # verified (phone, email) can thread into an existing report.
    parsed.contact_phone = phone_number(first(data, "phone")) or ""
    parsed.contact_email = first(data, "email").lower()
    parsed.sender = parsed.contact_phone or parsed.contact_email or handle
    if not parsed.sender:
        raise Unparseable("Pengirim tidak ada.")
    if not parsed.sender_name:
        platform = first(data, "platform")
        parsed.sender_name = f"{handle} ({platform})" if platform else handle
    return parsed
