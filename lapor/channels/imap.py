"""Reading the e-mail channel's mailbox over IMAP (imaplib). Messages are fetched with
BODY.PEEK (not marked read), stored, and only then flagged \\Seen: a crash in between means
the message is fetched again next time and recognised as a duplicate by its Message-ID."""

from __future__ import annotations

import hashlib
import imaplib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from lapor.channels import inbound
from lapor.channels.adapters import email as email_adapter
from lapor.channels.parsing import Envelope

logger = logging.getLogger(__name__)


@dataclass
class FetchResult:
    fetched: int = 0
    duplicates: int = 0
    by_status: dict[str, int] | None = None


def connect() -> imaplib.IMAP4:
    if settings.IMAP_USE_SSL:
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            settings.IMAP_HOST, settings.IMAP_PORT, timeout=settings.IMAP_TIMEOUT
        )
    else:
        conn = imaplib.IMAP4(settings.IMAP_HOST, settings.IMAP_PORT, timeout=settings.IMAP_TIMEOUT)
        conn.starttls()
    conn.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
    return conn


def _unseen(conn: imaplib.IMAP4, limit: int) -> Iterator[tuple[bytes, bytes]]:
    status, data = conn.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
    if status != "OK" or not data or not data[0]:
        return
    for uid in data[0].split()[:limit]:
        status, parts = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")  # type: ignore[arg-type]
        if status != "OK":
            logger.warning("IMAP: fetching message %s failed: %s", uid, parts)
            continue
        raw = next((p[1] for p in parts if isinstance(p, tuple) and len(p) == 2), None)
        if isinstance(raw, bytes):
            yield uid, raw


def fetch_mail(conn: imaplib.IMAP4, *, mailbox: str, limit: int) -> FetchResult:
    """Store and process up to `limit` unread messages of `mailbox`."""
    result = FetchResult(by_status={})
    assert result.by_status is not None
    status, _ = conn.select(mailbox)
    if status != "OK":
        raise RuntimeError(f"IMAP: mailbox {mailbox!r} cannot be selected")
    for uid, raw in _unseen(conn, limit):
        envelope = email_adapter.envelope_from_rfc822(raw)
        if envelope.external_id is None:
            # No Message-ID: the content itself identifies a refetch.
            digest = hashlib.sha256(raw).hexdigest()
            envelope = Envelope(
                f"sha256:{digest}",
                envelope.sender,
                envelope.subject,
                envelope.text,
                envelope.payload,
                envelope.headers,
            )
        outcome = inbound.receive("email", envelope)
        conn.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")  # type: ignore[arg-type]
        result.fetched += 1
        if outcome.duplicate:
            result.duplicates += 1
        else:
            status_name = outcome.message.status
            result.by_status[status_name] = result.by_status.get(status_name, 0) + 1
    return result
