"""Login rate limiting: too many failures for one username or one address means a wait.

Failures are counted in Django's cache (Redis in production, so every web node shares the
count). A window starts at the first failure and lasts LOGIN_FAILURE_WINDOW seconds; after
LOGIN_MAX_FAILURES failures within it, further attempts are refused until it ends.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str) -> list[str]:
    keys = []
    if username:
        digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        keys.append(f"login-fail:user:{digest}")
    address = request.META.get("REMOTE_ADDR", "")
    if address:
        keys.append(f"login-fail:addr:{address}")
    return keys


def is_blocked(request: HttpRequest, username: str) -> bool:
    limit = int(settings.LOGIN_MAX_FAILURES)
    counts = cache.get_many(_keys(request, username))
    return any(int(count) >= limit for count in counts.values())


def record_failure(request: HttpRequest, username: str) -> None:
    window = int(settings.LOGIN_FAILURE_WINDOW)
    for key in _keys(request, username):
        # add() starts the window only when none runs; incr() keeps the window's expiry.
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)


def clear_username(request: HttpRequest, username: str) -> None:
    """A successful login forgives the username's failures (not the address's)."""
    keys = _keys(request, username)
    if username and keys:
        cache.delete(keys[0])
