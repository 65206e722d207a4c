"""HMAC-SHA256 signatures: inbound gateway webhooks and outbound webhook deliveries.

Inbound:  X-Lapor-Signature: sha256=<hex HMAC(channel secret, raw body)>
Outbound: X-Lapor-Signature: sha256=<hex HMAC(subscription secret, timestamp + "." + body)>
Comparisons are constant-time (hmac.compare_digest).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

SIGNATURE_HEADER = "X-Lapor-Signature"
PREFIX = "sha256="

# The setting that holds each channel's shared secret.
SECRET_SETTINGS = {
    "sms": "CHANNEL_SMS_SECRET",
    "email": "CHANNEL_EMAIL_SECRET",
    "whatsapp": "CHANNEL_WHATSAPP_SECRET",
    "social_media": "CHANNEL_SOCIAL_MEDIA_SECRET",
}


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign_body(secret: str, body: bytes) -> str:
    """The header value a gateway sends with `body`."""
    return PREFIX + hmac_hex(secret, body)


def signature_matches(secret: str, body: bytes, header_value: str) -> bool:
    if not secret or not header_value:
        return False
    given = header_value.strip()
    if given.lower().startswith(PREFIX):
        given = given[len(PREFIX) :]
    expected = hmac_hex(secret, body)
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())


def channel_secret(channel: str) -> str:
    name = SECRET_SETTINGS.get(channel)
    return str(getattr(settings, name, "") or "") if name else ""


def channel_enabled(channel: str) -> bool:
    return channel in settings.CHANNELS_ENABLED


def sign_delivery(secret: str, timestamp: str, body: bytes) -> str:
    """Outbound: what a receiver recomputes to trust a delivery (timestamp bound in)."""
    return PREFIX + hmac_hex(secret, timestamp.encode() + b"." + body)
