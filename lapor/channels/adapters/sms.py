"""SMS gateway of the 1708 short code: JSON ({"message_id", "from", "to", "text"}) or a
form post (Twilio-style MessageSid / From / Body)."""

from __future__ import annotations

from lapor.channels.adapters import decode_body, is_raw, raw_payload
from lapor.channels.models import InboundMessage
from lapor.channels.parsing import Envelope, ParsedMessage, Unparseable, first
from lapor.reports.permissions import normalize_phone

ID_KEYS = ("message_id", "messageId", "id", "MessageSid", "SmsSid", "sms_id")
FROM_KEYS = ("from", "From", "msisdn", "sender", "phone")
TEXT_KEYS = ("text", "Body", "message", "content", "body")
# Gateways that post delivery receipts to the same URL mark them like this.
RECEIPT_TYPES = {"delivery_report", "dlr", "status", "receipt"}


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


def phone_number(value: str) -> str | None:
    """The sender as a phone number ("+6281...", "0812..."), or None for alphanumeric ids."""
    if any(ch.isalpha() for ch in value):
        return None
    digits = normalize_phone(value)
    return value.strip() if 8 <= len(digits) <= 15 else None


def parse(message: InboundMessage) -> ParsedMessage:
    data = message.payload
    if not isinstance(data, dict) or is_raw(data):
        raise Unparseable("Isi webhook bukan JSON atau formulir yang dikenali.")
    kind = first(data, "type", "event").lower()
    sender = first(data, *FROM_KEYS)
    if kind in RECEIPT_TYPES:
        return ParsedMessage(sender=sender, text="", ignore_reason=f"tanda terima ({kind})")
    phone = phone_number(sender)
    if phone is None:
        if sender:
            # Operator and promotion messages come from names, not numbers.
            return ParsedMessage(sender=sender, text="", ignore_reason="pengirim bukan nomor")
        raise Unparseable("Nomor pengirim tidak ada.")
    text = first(data, *TEXT_KEYS)
    if not text:
        raise Unparseable("Pesan SMS kosong.")
    return ParsedMessage(sender=phone, text=text, contact_phone=phone, tracking_in="start")
