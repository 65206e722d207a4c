"""E-mail: a provider's inbound webhook (JSON: from, to, subject, text, html, headers,
attachments in base64) and raw RFC 822 messages fetched over IMAP (`manage.py fetch_mail`)."""

from __future__ import annotations

import base64
from typing import Any

from lapor.channels.adapters import decode_body, is_raw, raw_payload
from lapor.channels.mail import (
    ParsedMail,
    address_of,
    auto_reply_reason,
    header,
    html_to_text,
    message_ids,
    normalize_headers,
    sender_failed_authentication,
)
from lapor.channels.models import InboundMessage
from lapor.channels.parsing import (
    Envelope,
    ParsedMessage,
    Unparseable,
    decode_base64,
    first,
    json_attachments,
)

RAW_KEY = "rfc822_base64"


def envelope(channel: str, body: bytes, content_type: str) -> Envelope:
    data = decode_body(body, content_type)
    if data is None:
        return Envelope(None, "", "", "", raw_payload(body), {})
    headers = normalize_headers(data.get("headers"))
    message_id = header(headers, "Message-ID") or first(data, "message_id", "Message-Id")
    return Envelope(
        external_id=message_id or None,
        sender=address_of(first(data, "from", "sender") or header(headers, "From"))[1],
        subject=first(data, "subject") or header(headers, "Subject"),
        text=first(data, "text", "body_plain", "plain"),
        payload=data,
        headers=headers,
    )


def envelope_from_rfc822(raw: bytes) -> Envelope:
    """For IMAP: the raw message is the payload; whatever can be read is kept alongside."""
    payload: dict[str, Any] = {RAW_KEY: base64.b64encode(raw).decode()}
    try:
        mail = ParsedMail(raw)
    except Exception:  # unreadable: stored anyway, and marked unparseable when processed
        return Envelope(None, "", "", "", payload, {})
    return Envelope(
        external_id=mail.message_id or None,
        sender=mail.sender,
        subject=mail.subject,
        text=mail.text,
        payload=payload,
        headers=mail.headers,
    )


def parse(message: InboundMessage) -> ParsedMessage:
    data = message.payload
    if not isinstance(data, dict) or is_raw(data):
        raise Unparseable("Isi webhook bukan JSON yang dikenali.")
    if RAW_KEY in data:
        return _parse_rfc822(data[RAW_KEY])
    headers = normalize_headers(data.get("headers"))
    name, sender = address_of(first(data, "from", "sender") or header(headers, "From"))
    warnings: list[str] = []
    text = first(data, "text", "body_plain", "plain")
    if not text and first(data, "html"):
        text = html_to_text(first(data, "html"))
    return _parsed(
        headers,
        name,
        sender,
        first(data, "subject") or header(headers, "Subject"),
        text,
        json_attachments(data.get("attachments"), warnings),
        first(data, "content_type"),
        warnings,
    )


def _parse_rfc822(encoded: Any) -> ParsedMessage:
    try:
        mail = ParsedMail(decode_base64(str(encoded)))
    except Exception as error:
        raise Unparseable(f"Surel tidak dapat dibaca: {error}") from None
    return _parsed(
        mail.headers,
        mail.sender_name,
        mail.sender,
        mail.subject,
        mail.text,
        mail.attachments,
        mail.content_type,
        [],
    )


def _parsed(
    headers: dict[str, str],
    name: str,
    sender: str,
    subject: str,
    text: str,
    files: list[tuple[str, bytes]],
    content_type: str,
    warnings: list[str],
) -> ParsedMessage:
    reason = auto_reply_reason(headers, sender, content_type)
    if reason:
        return ParsedMessage(sender=sender, text="", ignore_reason=reason)
    if "@" not in sender:
        raise Unparseable("Alamat pengirim tidak ada atau tidak valid.")
    if not text.strip() and not subject.strip():
        raise Unparseable("Surel tanpa isi dan tanpa subjek.")
    parsed = ParsedMessage(
        sender=sender,
        text=text.strip(),
        subject=subject,
        sender_name=name,
        contact_email=sender,
        attachments=files,
        message_id=header(headers, "Message-ID").strip(),
        refers_to=message_ids(header(headers, "In-Reply-To"), header(headers, "References")),
        tracking_in="subject",
        sender_unverified=sender_failed_authentication(headers),
    )
    parsed.warnings = warnings
    return parsed
