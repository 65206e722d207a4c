"""System checks: refuse notification settings that cannot work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error


def check_notification_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    problems: list[Error] = []
    backend = getattr(settings, "SMS_BACKEND", "console")
    url = getattr(settings, "SMS_HTTP_URL", "")
    if backend not in {"console", "http"}:
        problems.append(Error("SMS_BACKEND must be 'console' or 'http'.", id="notifications.E001"))
    if backend == "http" and not url:
        problems.append(
            Error(
                "SMS_BACKEND is 'http' but SMS_HTTP_URL is empty: no SMS could be sent.",
                hint="Set SMS_HTTP_URL to the gateway's endpoint, or SMS_BACKEND=console.",
                id="notifications.E002",
            )
        )
    if backend == "http" and url and not url.startswith(("http://", "https://")):
        problems.append(
            Error("SMS_HTTP_URL must start with http:// or https://.", id="notifications.E003")
        )
    if getattr(settings, "EMAIL_USE_TLS", False) and getattr(settings, "EMAIL_USE_SSL", False):
        problems.append(
            Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both on; SMTP allows one of them.",
                hint="Port 465: EMAIL_USE_SSL=true EMAIL_USE_TLS=false; port 587: the reverse.",
                id="notifications.E004",
            )
        )
    if getattr(settings, "NOTIFY_MAX_ATTEMPTS", 1) < 1:
        problems.append(Error("NOTIFY_MAX_ATTEMPTS must be at least 1.", id="notifications.E005"))
    return problems
