"""Inbound gateway webhooks. Each request is authenticated by its channel's shared secret
(X-Lapor-Signature: sha256=HMAC-SHA256(secret, raw body)) before anything is stored; then
the message is stored, processed, and answered with a 2xx and the reply for the sender."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lapor.channels import inbound
from lapor.channels.adapters import email as email_adapter
from lapor.channels.adapters import gateway, sms
from lapor.channels.signing import (
    SIGNATURE_HEADER,
    channel_enabled,
    channel_secret,
    signature_matches,
)


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


class BadContentLength(ValueError):
    """A Content-Length header that is not a non-negative whole number."""


def _content_length(request: HttpRequest) -> int:
    raw = str(request.META.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        return 0
    if not raw.isascii() or not raw.isdigit():
        raise BadContentLength(raw)
    return int(raw)


def _read_body(request: HttpRequest) -> bytes | None:
    """The raw body, or None when it exceeds CHANNEL_MAX_BODY_BYTES (read past Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE on purpose: e-mails carry attachments)."""
    limit = settings.CHANNEL_MAX_BODY_BYTES
    declared = _content_length(request)
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


def _receive(request: HttpRequest, adapter: ModuleType, channels: Sequence[str]) -> JsonResponse:
    enabled = [c for c in channels if channel_enabled(c)]
    if not enabled:
        return _error(404, "channel_disabled", "Kanal ini tidak aktif.")
    try:
        body = _read_body(request)
    except BadContentLength:
        return _error(400, "bad_content_length", "Header Content-Length tidak valid.")
    if body is None:
        return _error(413, "payload_too_large", "Pesan terlalu besar.")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not signature:
        return _error(401, "signature_missing", f"Header {SIGNATURE_HEADER} wajib ada.")
    # The secret that verifies the body says which channel sent it (the generic gateway
    # serves several channels, each with its own secret).
    channel = next(
        (c for c in enabled if signature_matches(channel_secret(c), body, signature)), None
    )
    if channel is None:
        return _error(403, "signature_invalid", "Tanda tangan tidak cocok.")
    envelope = adapter.envelope(channel, body, request.content_type or "")
    result = inbound.receive(channel, envelope)
    message = result.message
    return JsonResponse(
        {
            "status": "duplicate" if result.duplicate else message.status,
            "message_id": message.pk,
            "tracking_number": message.report.tracking_number if message.report else None,
            "reply": result.reply or None,
            "reply_to": message.sender or None,
        },
        status=200,
    )


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest) -> JsonResponse:
    return _receive(request, sms, ["sms"])


@csrf_exempt
@require_POST
def email_webhook(request: HttpRequest) -> JsonResponse:
    return _receive(request, email_adapter, ["email"])


@csrf_exempt
@require_POST
def gateway_webhook(request: HttpRequest) -> JsonResponse:
    return _receive(request, gateway, ["whatsapp", "social_media"])
