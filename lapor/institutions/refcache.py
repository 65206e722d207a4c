"""Reference rows kept in memory by each process, valid while the reference stamp is unchanged.

Rows that change rarely but are read on almost every request (the deadline policy, regions,
categories, the holiday calendar, API tokens and Open311 keys, a user's memberships) would
otherwise cost a query each, every request. Here they are loaded once per process and kept
under the value of the reference stamp (`ReferenceStamp`), which database triggers change in
the same transaction as any write to a watched table (lapor/institutions/stamps.py). A request
reads the stamp once (remembered in the request memo, lapor/lib/memo.py; read on every call
outside a request); when it differs from the one the cache was filled under, the cache is
emptied and rows are loaded afresh. So a write on any node, by any path, is seen by every
process from its next request on, exactly as without the cache.

Rules for callers:
- `remember(key, load)` returns a private copy of the model instances it holds (related
  instances loaded with select_related included): callers may change what they get.
- `None` from `load` (an unknown code, a revoked token) is never kept, so hostile input cannot
  grow the cache; the cache is also emptied when it reaches `LIMIT` entries.
- When the stamp row is missing (a test database right after a flush) nothing is cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.db.models.base import ModelState

from lapor.lib import memo

T = TypeVar("T")

LIMIT = 20_000
_STAMP_KEY = "reference-stamp"
_MISSING = object()
_lock = threading.Lock()
_entries: dict[Hashable, Any] = {}
_filled_under: list[str | None] = [None]  # the stamp of the latest entries (older ones go)


def current_stamp() -> str | None:
    """The reference stamp as this request sees it (None when the row is missing)."""
    return memo.remember(_STAMP_KEY, _read_stamp)


def _read_stamp() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM institutions_referencestamp WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else None


def remember(key: Hashable, load: Callable[[], T], *, share: bool = False) -> T:
    """`load()`'s value for `key`, loaded at most once per process while the stamp holds.

    `share=True` hands out the kept object itself: only for immutable values (a calendar).
    """
    stamp = current_stamp()
    if stamp is None:
        return load()
    # Entries are keyed by the stamp too: a request that still holds an older stamp (read
    # before a write committed) can neither be served nor serve a newer one's rows.
    value = _entries.get((stamp, key), _MISSING)
    if value is _MISSING:
        value = load()
        if value is None:
            return None  # type: ignore[return-value]  # T includes None for such loaders
        with _lock:
            if _filled_under[0] != stamp or len(_entries) >= LIMIT:
                _entries.clear()
                _filled_under[0] = stamp
            _entries[(stamp, key)] = value
    return value if share else fresh(value)  # type: ignore[return-value]


def clear() -> None:
    """Forget everything (tests that change reference rows behind the triggers' back)."""
    with _lock:
        _entries.clear()
        _filled_under[0] = None
    memo.forget()


def fresh(value: Any) -> Any:
    """A copy of model instances (and of lists or tuples of them) that shares nothing mutable
    with `value`: the instance, its related instances, their state."""
    if isinstance(value, Model):
        return _copy_instance(value)
    if isinstance(value, list):
        return [fresh(item) for item in value]
    if isinstance(value, tuple):
        return tuple(fresh(item) for item in value)
    return value


def _copy_instance(instance: Model) -> Model:
    # What Model.__reduce__/__setstate__ do for copy.copy, without the app-registry lookup
    # and pickling hooks: a new instance with its own __dict__, its own state, and copies of
    # the related instances in its fields cache.
    cls = type(instance)
    clone = cls.__new__(cls)
    attributes = instance.__dict__.copy()
    state = ModelState()
    state.db, state.adding = instance._state.db, instance._state.adding
    cached = instance._state.__dict__.get("fields_cache")
    if cached:
        state.fields_cache = {
            name: _copy_instance(related) if isinstance(related, Model) else related
            for name, related in cached.items()
        }
    attributes["_state"] = state
    clone.__dict__.update(attributes)
    return clone
