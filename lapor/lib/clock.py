"""The services' clock: timezone.now(), unless a caller set another time on purpose.

Demo data and imports of historical (offline) complaints replay moves at the time they really
happened; they do so with `at(moment)` rather than by patching the system clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("lapor_clock_override", default=None)


def now() -> datetime:
    moment = _override.get()
    return moment if moment is not None else timezone.now()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Within the block, now() returns `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at() needs an aware datetime")
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
