"""E-mail specifics shared by the provider webhook and IMAP: headers, auto-reply and bounce
detection, RFC 822 parsing, Message-ID lists, quoted-reply stripping. Pure (no Django)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

_AUTO_SENDERS = ("mailer-daemon", "postmaster", "noreply-dmarc", "auto-reply", "autoreply")
_BULK_PRECEDENCE = {"bulk", "auto_reply", "junk", "list"}
_AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-reply", "x-autoresponder")


def header(headers: Mapping[str, str], name: str) -> str:
    """Case-insensitive header lookup."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return str(value)
    return ""


def normalize_headers(raw: object) -> dict[str, str]:
    """Headers as a dict, from a dict or a list of [name, value] pairs (as providers send)."""
    result: dict[str, str] = {}
    if isinstance(raw, Mapping):
        items: Iterable[object] = raw.items()
    elif isinstance(raw, list):
        items = raw
    else:
        return result
    for item in items:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            name, value = str(item[0]), str(item[1])
            # Repeated headers (Received) keep the first: the one nearest to us.
            result.setdefault(name, value)
    return result


def auto_reply_reason(headers: Mapping[str, str], sender: str, content_type: str = "") -> str:
    """Why this message is machine-made (auto-reply, bounce, receipt), or "" if it is not.

    RFC 3834 Auto-Submitted, the common X-Autoreply family, Precedence bulk/auto_reply/junk,
    mailer-daemon and postmaster senders, and multipart/report (delivery and read reports).
    """
    auto = header(headers, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in _AUTO_HEADERS:
        if header(headers, name):
            return f"{name}: {header(headers, name)}"
    precedence = header(headers, "Precedence").strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    local = sender.split("@", 1)[0].strip().lower()
    if local in _AUTO_SENDERS or not sender.strip():
        return f"pengirim otomatis: {sender or '(kosong)'}"
    kind = (content_type or header(headers, "Content-Type")).split(";", 1)[0].strip().lower()
    if kind == "multipart/report":
        return "laporan pengiriman (multipart/report)"
    return ""


def sender_failed_authentication(headers: Mapping[str, str]) -> bool:
    """The receiving provider says the From address failed DMARC or SPF and DKIM."""
    results = header(headers, "Authentication-Results").lower()
    if not results:
        return False
    if "dmarc=fail" in results:
        return True
    return "spf=fail" in results and "dkim=pass" not in results


_MSGID_RE = re.compile(r"<[^<>\s]+>")


def message_ids(*values: str) -> list[str]:
    """Every <message-id> in In-Reply-To / References values, in order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        for found in _MSGID_RE.findall(value or ""):
            seen.setdefault(found.strip(), None)
    return list(seen)


def address_of(value: str) -> tuple[str, str]:
    """(display name, lower-case address) of a From value."""
    name, address = parseaddr(value or "")
    return name.strip(), address.strip().lower()


_QUOTE_MARKERS = re.compile(
    r"^(?:-{2,}\s*(?:original message|pesan asli|forwarded message)\s*-{2,}"
    r"|on .{1,200} wrote:|pada .{1,200} menulis:|from: .+|dari: .+)\s*$",
    re.IGNORECASE,
)


def strip_quoted_reply(text: str) -> str:
    """The new part of a reply: quoted lines ("> ...") and the quoted original removed."""
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTE_MARKERS.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    new = "\n".join(kept).strip()
    return new or text.strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).splitlines())
    return "\n".join(line for line in lines if line)


class ParsedMail:
    """An RFC 822 message reduced to what the e-mail adapter needs."""

    def __init__(self, raw: bytes) -> None:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        self.headers = {key: str(value) for key, value in message.items()}
        self.sender_name, self.sender = address_of(str(message.get("From", "")))
        self.subject = str(message.get("Subject", "")).strip()
        self.message_id = str(message.get("Message-ID", "")).strip()
        self.content_type = message.get_content_type()
        self.recipients = [a for _, a in getaddresses([str(message.get("To", ""))]) if a]
        self.text = ""
        self.attachments: list[tuple[str, bytes]] = []
        self._walk(message)

    def _walk(self, message: EmailMessage) -> None:
        html = ""
        for part in message.walk():
            if part.is_multipart():
                continue
            filename = part.get_filename()
            disposition = part.get_content_disposition()
            if filename or disposition == "attachment":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    self.attachments.append((filename or "lampiran", payload))
                continue
            kind = part.get_content_type()
            if kind == "text/plain" and not self.text:
                self.text = _text_of(part).strip()
            elif kind == "text/html" and not html:
                html = _text_of(part)
        if not self.text and html:
            self.text = html_to_text(html)


def _text_of(part: EmailMessage) -> str:
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError, AssertionError):
        # An unknown or lying charset: keep what can be read rather than lose the message.
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
