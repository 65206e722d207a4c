"""System checks: an enabled channel needs its secret; IMAP and webhook numbers must work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

from lapor.channels.signing import SECRET_SETTINGS

MIN_SECRET_LENGTH = 16


def check_channel_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    problems: list[Error] = []
    for channel in settings.CHANNELS_ENABLED:
        name = SECRET_SETTINGS.get(channel)
        if name is None:
            problems.append(
                Error(
                    f"CHANNELS_ENABLED names an unknown channel {channel!r}.",
                    hint="Use any of: " + ", ".join(SECRET_SETTINGS),
                    id="channels.E001",
                )
            )
            continue
        secret = getattr(settings, name, "")
        if len(secret) < MIN_SECRET_LENGTH:
            problems.append(
                Error(
                    f"Channel {channel!r} is enabled but {name} is empty or shorter than "
                    f"{MIN_SECRET_LENGTH} characters: anyone could post messages to it.",
                    hint=f"Set {name} to a long random string shared with the gateway.",
                    id="channels.E002",
                )
            )
    if settings.IMAP_HOST and not (settings.IMAP_USER and settings.IMAP_PASSWORD):
        problems.append(
            Error(
                "IMAP_HOST is set but IMAP_USER or IMAP_PASSWORD is empty.",
                id="channels.E003",
            )
        )
    if settings.WEBHOOK_MAX_ATTEMPTS < 1 or settings.WEBHOOK_PAUSE_AFTER_FAILURES < 1:
        problems.append(
            Error(
                "WEBHOOK_MAX_ATTEMPTS and WEBHOOK_PAUSE_AFTER_FAILURES must be at least 1.",
                id="channels.E004",
            )
        )
    if settings.WEBHOOK_TIMEOUT_SECONDS <= 0:
        problems.append(Error("WEBHOOK_TIMEOUT_SECONDS must be positive.", id="channels.E005"))
    return problems
