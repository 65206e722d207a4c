"""SMS gateways: a small interface, a console one for development and an HTTP one.

The HTTP gateway POSTs JSON `{"to", "text", "idempotency_key"}` with `Authorization: Bearer
<SMS_HTTP_TOKEN>` and an `Idempotency-Key` header; a gateway that honours the key delivers a
resent message once. 2xx is success; any other status, a redirect, a network error or a timeout
is a failed attempt.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Literal, Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

Outcome = Literal["sent", "error", "timeout"]
RESPONSE_CHARS = 1000


@dataclass(frozen=True)
class SmsResult:
    outcome: Outcome
    detail: str


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, idempotency_key: str) -> SmsResult: ...


class ConsoleSmsGateway:
    """Development: the message goes to the log, nowhere else."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> SmsResult:
        logger.info("SMS to %s [%s]: %s", to, idempotency_key, text)
        return SmsResult("sent", "console")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is not a delivery: it surfaces as an HTTPError with the 3xx status.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class HttpSmsGateway:
    def __init__(self, url: str, token: str = "", timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("SMS_HTTP_URL must be an http:// or https:// URL")
        self.url, self.token, self.timeout = url, token, timeout
        self._opener = urllib.request.build_opener(_NoRedirects)

    def send(self, *, to: str, text: str, idempotency_key: str) -> SmsResult:
        payload = json.dumps({"to": to, "text": text, "idempotency_key": idempotency_key})
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": idempotency_key,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url, data=payload.encode(), headers=headers, method="POST"
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                body = response.read(RESPONSE_CHARS).decode(errors="replace")
        except urllib.error.HTTPError as error:
            body = error.read(RESPONSE_CHARS).decode(errors="replace") if error.fp else ""
            return SmsResult("error", f"HTTP {error.code}: {body}".strip())
        except TimeoutError:
            return SmsResult("timeout", f"No answer within {self.timeout:g} s")
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return SmsResult("timeout", f"No answer within {self.timeout:g} s")
            return SmsResult("error", f"URLError: {error.reason}")
        except (OSError, http.client.HTTPException) as error:
            return SmsResult("error", f"{type(error).__name__}: {error}")
        if 200 <= status < 300:
            return SmsResult("sent", f"HTTP {status}: {body}".strip())
        return SmsResult("error", f"HTTP {status}: {body}".strip())


def get_sms_gateway() -> SmsGateway:
    if settings.SMS_BACKEND == "http":
        return HttpSmsGateway(
            settings.SMS_HTTP_URL, settings.SMS_HTTP_TOKEN, float(settings.SMS_HTTP_TIMEOUT)
        )
    return ConsoleSmsGateway()
