"""Submission rate limits per token (or logged-in user) and per client address.

Fixed windows of one minute, counted in Django's cache (Redis in production, so every web node
shares the counts). A limit of 0 switches that limit off.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lapor.api.auth import Caller
from lapor.api.errors import ApiError

WINDOW = 60


class RateLimited(ApiError):
    """429 with Retry-After (added by the API's handler)."""

    def __init__(self, retry_after: int) -> None:
        message = _("Terlalu banyak laporan dikirim; coba lagi dalam %(seconds)d detik.") % {
            "seconds": retry_after
        }
        super().__init__(429, "rate_limited", message)
        self.retry_after = retry_after


def _hit(key: str, window: int) -> int:
    full = f"api-rl:{key}:{window}"
    # add() opens the window only once; incr() keeps the window's expiry.
    if cache.add(full, 1, timeout=WINDOW * 2):
        return 1
    try:
        return int(cache.incr(full))
    except ValueError:  # expired between add() and incr()
        cache.add(full, 1, timeout=WINDOW * 2)
        return 1


def check_submission_rate(request: HttpRequest, caller: Caller) -> None:
    """Count one submission; RateLimited (429) when the token's or the address's limit is hit."""
    count_submission(request, caller.scope)


def count_submission(request: HttpRequest, scope: str) -> None:
    """Count one submission of `scope` (a token, a user, an Open311 key) and of the client
    address; RateLimited (429) when either limit is hit. One address has one budget, whichever
    door (REST or Open311) it submits through."""
    now = time.time()
    window = int(now // WINDOW)
    limits = (
        (f"submit:{scope}", int(settings.API_RATE_LIMIT_SUBMIT_PER_MINUTE)),
        (
            f"submit-ip:{request.META.get('REMOTE_ADDR', '')}",
            int(settings.API_RATE_LIMIT_SUBMIT_PER_MINUTE_PER_IP),
        ),
    )
    for key, limit in limits:
        if limit > 0 and _hit(key, window) > limit:
            raise RateLimited(max(1, math.ceil((window + 1) * WINDOW - now)))
