"""What every adapter produces from a stored message, and small pure helpers they share."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lapor.lib.tracking import normalize_tracking_number


class Unparseable(Exception):
    """The adapter cannot make a message out of what the gateway sent."""


@dataclass
class ParsedMessage:
    sender: str  # a phone number or an e-mail address: who the gateway vouches for
    text: str
    subject: str = ""
    sender_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    # E-mail threading: this message's Message-ID and the ids it answers.
    message_id: str = ""
    refers_to: list[str] = field(default_factory=list)
    # Non-empty: an auto-reply, bounce or receipt, to be ignored (the reason is kept).
    ignore_reason: str = ""
    # Where a tracking number may be: "start" of the text (SMS, chat) or the "subject".
    tracking_in: str = "start"
    # The sender's address failed the provider's authentication (SPF/DKIM/DMARC): such a
    # message may open a new report but never act on an existing one.
    sender_unverified: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Envelope:
    """What the webhook stores before any processing (extracted without failing)."""

    external_id: str | None
    sender: str
    subject: str
    text: str
    payload: dict[str, Any]
    headers: dict[str, str]


def strip_nul(value: Any) -> Any:
    """PostgreSQL text and jsonb refuse NUL characters; a gateway may send them."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {strip_nul(str(k)): strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    return value


def first(data: Mapping[str, Any], *keys: str) -> str:
    """The first non-empty value among `keys`, as text."""
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


_WORDS = 8


def make_title(text: str, fallback: str) -> str:
    """A title from the first words of the first line; `fallback` when that is too short."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    words = line.split()
    title = clip(" ".join(words[:_WORDS]) + ("…" if len(words) > _WORDS else ""), 120)
    if len(title) < 5:
        title = f"{fallback}: {title}".strip(": ") if title else fallback
    return title


# "26-7K3M-9Q2X ...", "#26 7K3M 9Q2X: ...", "Lapor 267k3m9q2x ...", "No. 26-7K3M-9Q2X, ..."
_LEADING_RE = re.compile(
    r"\A[\s#(\[*]*(?:(?:lapor(?:an)?|no|nomor|nomer|tiket)\b\.?\s*:?\s*)?"
    r"(?P<number>\d{2}[\s._-]?[0-9a-z]{4}[\s._-]?[0-9a-z]{4})(?![0-9a-z])"
    r"[\s)\]*:;,.-]*(?P<rest>.*)\Z",
    re.IGNORECASE | re.DOTALL,
)


def leading_tracking_number(text: str) -> tuple[str | None, str]:
    """A tracking number at the start of `text` and the rest of the text, or (None, text).

    The number's check symbol must agree, so ordinary text starting with digits is no match.
    """
    match = _LEADING_RE.match(text)
    if match is None:
        return None, text
    number = normalize_tracking_number(match.group("number"))
    if number is None:
        return None, text
    return number, match.group("rest").strip()


_TRACKING_RE = re.compile(
    r"(?<![0-9A-Za-z])\d{2}[- ]?[0-9A-Za-z]{4}[- ]?[0-9A-Za-z]{4}(?![0-9A-Za-z])"
)


def tracking_number_in(text: str) -> str | None:
    """The first valid tracking number anywhere in `text` (its check symbol must agree)."""
    for match in _TRACKING_RE.finditer(text):
        number = normalize_tracking_number(match.group(0))
        if number:
            return number
    return None


def decode_base64(data: str) -> bytes:
    try:
        return base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(f"base64 tidak valid: {error}") from None


def json_attachments(items: Any, warnings: list[str]) -> list[tuple[str, bytes]]:
    """Attachments given as [{"filename", "content_type", "content": base64}, ...]."""
    files: list[tuple[str, bytes]] = []
    if not isinstance(items, list):
        return files
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            warnings.append(f"Lampiran #{index} diabaikan: bentuknya tidak dikenal.")
            continue
        name = first(item, "filename", "name") or f"lampiran-{index}"
        try:
            files.append((name, decode_base64(first(item, "content", "data", "content_base64"))))
        except ValueError as error:
            warnings.append(f"Lampiran {name} diabaikan: {error}")
    return files
