"""Throttled "last used" bookkeeping for rows that a process keeps cached.

A cached API token or Open311 key carries the `last_used_at` it was loaded with; writing that
column is deliberately invisible to the reference cache (it would empty every cache each
minute), so the cached copy never learns of the write. This process-local record of the last
write keeps the throttle honest: at most one write per row per `every`, per process. Key it by
something that never names another row (a token's random prefix, not its id: ids come back
after a rollback).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from datetime import datetime, timedelta

_lock = threading.Lock()
_written: dict[Hashable, datetime] = {}


def due(key: Hashable, recorded: datetime | None, now: datetime, every: timedelta) -> bool:
    """Whether `key`'s last use should be written now; if so, it counts as written."""
    with _lock:
        last = max((t for t in (recorded, _written.get(key)) if t is not None), default=None)
        if last is not None and now - last < every:
            return False
        _written[key] = now
        return True
