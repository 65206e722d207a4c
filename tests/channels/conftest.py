"""Gateways as the tests see them: recorded payloads, signed with each channel's secret."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from lapor.channels.signing import sign_body

PAYLOADS = Path(__file__).parent / "payloads"
SECRETS = {
    "sms": "sms-shared-secret-0123456789",
    "email": "email-shared-secret-0123456789",
    "whatsapp": "whatsapp-shared-secret-0123456789",
    "social_media": "social-shared-secret-0123456789",
}
PATHS = {
    "sms": "/channels/sms/",
    "email": "/channels/email/",
    "whatsapp": "/channels/gateway/",
    "social_media": "/channels/gateway/",
}


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _channels_enabled(settings: Any) -> None:
    settings.CHANNELS_ENABLED = list(SECRETS)
    settings.CHANNEL_SMS_SECRET = SECRETS["sms"]
    settings.CHANNEL_EMAIL_SECRET = SECRETS["email"]
    settings.CHANNEL_WHATSAPP_SECRET = SECRETS["whatsapp"]
    settings.CHANNEL_SOCIAL_MEDIA_SECRET = SECRETS["social_media"]


@pytest.fixture(autouse=True)
def _local_webhook_receivers(settings: Any) -> None:
    # The receiver in these tests listens on http://127.0.0.1: allowed here, refused by the
    # production defaults (lapor.channels.webhooks.safety; see test_webhook_url_safety.py).
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


def payload(name: str, **substitutions: str) -> bytes:
    """A recorded gateway payload, with {placeholders} filled in (tracking numbers, ids)."""
    text = (PAYLOADS / name).read_bytes().decode("utf-8", "replace").strip()
    for key, value in substitutions.items():
        text = text.replace("{" + key + "}", value)
    return text.encode()


def send(
    client: Any,
    channel: str,
    body: bytes,
    *,
    secret: str | None = None,
    content_type: str = "application/json",
) -> Any:
    """POST `body` as the channel's gateway does: signed with the shared secret."""
    signature = sign_body(secret if secret is not None else SECRETS[channel], body)
    return client.post(
        PATHS[channel], data=body, content_type=content_type, HTTP_X_LAPOR_SIGNATURE=signature
    )
