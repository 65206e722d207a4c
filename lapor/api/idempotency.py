"""Idempotency-Key on every POST: a retry returns the first response and executes nothing.

The key is claimed by INSERTing an IdempotencyRecord (unique per scope and key) *before* the
request executes, so two concurrent requests with one key can never both execute: the loser of
the INSERT waits for the winner's response (up to API_IDEMPOTENCY_WAIT_SECONDS) and replays
it, or answers 409 request_in_progress. The same key with another body (method, path and the
canonical body are hashed) is 409 idempotency_key_reused.

Only responses of requests that reached their endpoint are kept: a request refused before it
ran (401, 413, 415, 422, 429) or that failed with a server error leaves no record, so
retrying it runs it. Records are kept API_IDEMPOTENCY_TTL_HOURS (prune_idempotency_records).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.api.auth import Caller
from lapor.api.errors import ApiError
from lapor.api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
_KEY_RE = re.compile(KEY_PATTERN)
# A claim older than this with no response belongs to a request that died: it may be taken over.
LEASE = timedelta(minutes=5)
SECRET_FIELD = "guest_secret"  # noqa: S105 - a field name
_EXECUTED = "_lapor_api_executed"

Refill = Callable[[HttpRequest, Caller, dict[str, Any]], dict[str, Any]]
_REFILLS: dict[str, Refill] = {}


def refills_secret(view_name: str) -> Callable[[Refill], Refill]:
    """Register how a replay of `view_name` gets its guest secret back (it is never stored)."""

    def register(func: Refill) -> Refill:
        _REFILLS[view_name] = func
        return func

    return register


def mark_executed(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator: records that the request passed validation and reached its view."""

    @wraps(view_func)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        setattr(request, _EXECUTED, True)
        return view_func(request, *args, **kwargs)

    return wrapped


def _canonical_body(request: HttpRequest) -> bytes:
    content_type = request.content_type or ""
    if content_type.startswith("multipart/"):
        parts: list[Any] = [sorted((k, v) for k, v in request.POST.lists())]
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                parts.append([name, upload.name, digest.hexdigest()])
        return json.dumps(parts, ensure_ascii=False).encode()
    body = request.body
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeError, RecursionError):
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(_canonical_body(request))
    return digest.hexdigest()


def _expired_before() -> datetime:
    return timezone.now() - timedelta(hours=int(settings.API_IDEMPOTENCY_TTL_HOURS))


def _claim(
    request: HttpRequest, caller: Caller, key: str, digest: str
) -> tuple[IdempotencyRecord | None, bool]:
    """(record, True) if this request now owns the key; else the existing record (or None)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                scope=caller.scope,
                key=key,
                request_hash=digest,
                method=request.method or "",
                path=request.path[:255],
                created_at=now,
                claimed_at=now,
            )
        return record, True
    except IntegrityError:
        pass
    existing = IdempotencyRecord.objects.filter(scope=caller.scope, key=key).first()
    if existing is not None and existing.created_at < _expired_before():
        # Expired but not yet pruned: forget it and claim afresh on the next turn.
        IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
        return None, False
    return existing, False


def _take_over(record: IdempotencyRecord) -> bool:
    """Take over the claim of a request that died before answering (older than the lease)."""
    if record.claimed_at > timezone.now() - LEASE:
        return False
    updated = IdempotencyRecord.objects.filter(
        pk=record.pk, status_code__isnull=True, claimed_at=record.claimed_at
    ).update(claimed_at=timezone.now())
    return updated == 1


def _strip_secret(body: str) -> tuple[str, bool]:
    try:
        data = json.loads(body)
    except ValueError:
        return body, False
    if isinstance(data, dict) and data.get(SECRET_FIELD):
        data[SECRET_FIELD] = None
        return json.dumps(data, ensure_ascii=False), True
    return body, False


def _execute(
    request: HttpRequest, record: IdempotencyRecord, execute: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    setattr(request, _EXECUTED, False)
    try:
        response = execute()
    except BaseException:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    status = response.status_code
    keep = getattr(request, _EXECUTED, False) and status < 500 and status != 429
    if not keep or response.streaming or not isinstance(response, HttpResponse):
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return response
    body, removed = _strip_secret(response.content.decode("utf-8"))
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=status,
        content_type=response.get("Content-Type", "application/json")[:100],
        response_body=body,
        secret_removed=removed,
        completed_at=timezone.now(),
    )
    return response


def _replay(
    request: HttpRequest, caller: Caller, record: IdempotencyRecord, refill: Refill | None
) -> HttpResponse:
    body = record.response_body
    if record.secret_removed and refill is not None:
        body = json.dumps(refill(request, caller, json.loads(body)), ensure_ascii=False)
    assert record.status_code is not None
    response = HttpResponse(body, status=record.status_code, content_type=record.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def run_idempotent(
    request: HttpRequest,
    caller: Caller,
    execute: Callable[[], HttpResponseBase],
    *,
    view_name: str = "",
) -> HttpResponseBase:
    """Execute once per (caller scope, Idempotency-Key); replay the first response after that."""
    key = request.headers.get(HEADER, "")
    if not _KEY_RE.fullmatch(key):
        message = _("Idempotency-Key harus 1-255 karakter ASCII yang terlihat (mis. sebuah UUID).")
        raise ApiError(400, "invalid_idempotency_key", message, {HEADER: [message]})
    digest = request_hash(request)
    deadline = time.monotonic() + float(settings.API_IDEMPOTENCY_WAIT_SECONDS)
    pause = 0.02
    while True:
        record, claimed = _claim(request, caller, key, digest)
        if record is not None and (claimed or _owned_after_takeover(record, digest)):
            return _execute(request, record, execute)
        if record is not None:
            if record.request_hash != digest:
                message = _("Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.")
                raise ApiError(409, "idempotency_key_reused", message, {HEADER: [message]})
            if record.status_code is not None:
                return _replay(request, caller, record, _REFILLS.get(view_name))
        if time.monotonic() >= deadline:
            raise ApiError(
                409,
                "request_in_progress",
                _("Permintaan dengan Idempotency-Key ini masih diproses; ulangi sebentar lagi."),
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def _owned_after_takeover(record: IdempotencyRecord, digest: str) -> bool:
    return record.status_code is None and record.request_hash == digest and _take_over(record)


def prune(now: datetime | None = None) -> int:
    """Delete records older than the TTL; returns how many went."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(hours=int(settings.API_IDEMPOTENCY_TTL_HOURS))
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
