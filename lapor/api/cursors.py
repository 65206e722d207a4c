"""Opaque, signed cursors over (updated_at, id) for the report list.

The list is ordered by (updated_at, id) ascending, so a page boundary is a point in that order:
rows inserted or changed later sort after every cursor and are never skipped, and no row
shifts between pages. A cursor is only valid with the filters it was made for.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from lapor.api.errors import ApiError

_SALT = "lapor.api.cursor.v1"


def fingerprint(filters: dict[str, Any]) -> str:
    canonical = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode(updated_at: datetime, pk: int, filters: dict[str, Any]) -> str:
    payload = {"t": updated_at.isoformat(), "i": pk, "f": fingerprint(filters)}
    return signing.dumps(payload, salt=_SALT, compress=True)


def _invalid() -> ApiError:
    message = _("Cursor tidak valid; mulai lagi dari halaman pertama.")
    return ApiError(400, "invalid_cursor", message, {"cursor": [message]})


def decode(cursor: str, filters: dict[str, Any]) -> tuple[datetime, int]:
    """The (updated_at, id) position of `cursor`; ApiError 400 if forged or for other filters."""
    try:
        payload = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise _invalid() from None
    if not isinstance(payload, dict):
        raise _invalid()
    if payload.get("f") != fingerprint(filters):
        message = _("Cursor ini dibuat untuk filter lain; mulai lagi dari halaman pertama.")
        raise ApiError(400, "cursor_mismatch", message, {"cursor": [message]})
    try:
        moment = datetime.fromisoformat(str(payload["t"]))
        pk = int(payload["i"])
    except (KeyError, TypeError, ValueError):
        raise _invalid() from None
    return moment, pk
