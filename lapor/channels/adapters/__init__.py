"""One adapter per gateway format. Each turns the raw webhook body into an Envelope (stored
before anything else, never failing) and a stored message into a ParsedMessage (or raises
Unparseable); lapor.channels.conversation then calls reports.services."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl


def decode_body(body: bytes, content_type: str) -> dict[str, Any] | None:
    """A JSON object or a form-encoded body as a dict; None when it is neither."""
    text = body.decode("utf-8", "replace")
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(text, keep_blank_values=True))
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def raw_payload(body: bytes) -> dict[str, Any]:
    return {"raw": body.decode("utf-8", "replace")}


def is_raw(payload: dict[str, Any]) -> bool:
    return set(payload) == {"raw"}
