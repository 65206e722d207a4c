"""Who calls the API: a bearer token (a user's or an integration's) or a logged-in session.

Tokens look like ``lpr_<prefix>_<secret>``. The prefix (8 hex digits) finds the row and is
shown to humans; only sha256(token) is stored. An integration token acts through a dedicated
service account whose one membership is at the token's institution (see ApiToken).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from lapor.accounts.models import Membership, Role, User
from lapor.api.errors import ApiError
from lapor.api.models import ApiToken
from lapor.institutions import refcache
from lapor.institutions.models import Institution
from lapor.lib import touch

TOKEN_KIND = "lpr"  # noqa: S105 - the token prefix, not a secret
PREFIX_BYTES = 4
# last_used_at is written at most this often per token: no write on every request.
TOUCH_INTERVAL = timedelta(seconds=60)
INTEGRATION_ROLES = (Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER)
_CALLER_ATTR = "_lapor_api_caller"


class Unauthorized(ApiError):
    """401 with `WWW-Authenticate: Bearer` (added by the API's handler)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(401, code, message)


@dataclass(frozen=True)
class Caller:
    """The authenticated caller: the user the services see, and the token if one was used."""

    user: User
    token: ApiToken | None = None

    @property
    def institution(self) -> Institution | None:
        return self.token.institution if self.token is not None else None

    @property
    def is_integration(self) -> bool:
        return self.token is not None and self.token.institution_id is not None

    @property
    def scope(self) -> str:
        """Whose Idempotency-Keys and rate-limit counters these are."""
        if self.token is not None:
            return f"token:{self.token.pk}"
        return f"user:{self.user.pk}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(PREFIX_BYTES)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def issue_token(
    *,
    name: str,
    user: User | None = None,
    institution: Institution | None = None,
    role: str = Role.INSTITUTION_ADMIN,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the full token text, which is never shown again.

    Exactly one of `user` (a user token) and `institution` (an integration token) is given.
    For an integration a service account is created with one `role` membership there.
    """
    if (user is None) == (institution is None):
        raise ValueError("Give either a user or an institution, not both.")
    name = name.strip()[:100]
    if not name:
        raise ValueError("A token needs a name.")
    prefix = _new_prefix()
    if institution is not None:
        if role not in INTEGRATION_ROLES:
            raise ValueError(f"An integration acts as one of {', '.join(INTEGRATION_ROLES)}.")
        user = User(
            username=f"integrasi-{prefix}",
            full_name=f"Integrasi API: {name}"[:200],
            is_active=True,
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, institution=institution, role=role)
    assert user is not None
    raw = f"{TOKEN_KIND}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=hash_token(raw),
        user=user,
        institution=institution,
        created_by=created_by,
    )
    return token, raw


def revoke_token(token: ApiToken) -> None:
    """The token stops working at once; the row (and its service account) stay for the record."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
    token.is_active = False
    token.save(update_fields=["is_active", "revoked_at"])


def find_token(raw: str) -> ApiToken | None:
    """The active token `raw` is, or None. Constant-time on the secret part."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_KIND or len(parts[1]) != PREFIX_BYTES * 2:
        return None
    prefix = parts[1]
    # Kept per process until any token, user, membership or institution changes (refcache):
    # a revocation is seen by every process from its next request on.
    token = refcache.remember(
        ("api-token", prefix),
        lambda: (
            ApiToken.objects.select_related("user", "institution")
            .filter(prefix=prefix, is_active=True, revoked_at__isnull=True)
            .first()
        ),
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw)):
        return None
    if not token.user.is_active:
        return None
    return token


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if touch.due(("api-token", token.prefix), token.last_used_at, now, TOUCH_INTERVAL):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def caller_from_bearer(request: HttpRequest) -> Caller | None:
    """The caller named by the Authorization header; None if there is none.

    Raises Unauthorized for a header that is present but not a valid, active Bearer token:
    a broken token never falls back to the session.
    """
    cached = getattr(request, _CALLER_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, raw = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("invalid_token", _("Gunakan header Authorization: Bearer <token>."))
    token = find_token(raw.strip())
    if token is None:
        raise Unauthorized("invalid_token", _("Token tidak valid, kedaluwarsa, atau dicabut."))
    _touch(token)
    caller = Caller(user=token.user, token=token)
    setattr(request, _CALLER_ATTR, caller)
    return caller


def caller_from_session(request: HttpRequest, *, csrf: bool = True) -> Caller | None:
    """The logged-in user of the pages; unsafe methods must pass Django's CSRF check."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if csrf and request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("Pemeriksaan CSRF gagal: kirim header X-CSRFToken dari cookie csrftoken."),
            )
    return Caller(user=user)


def identify(request: HttpRequest) -> Caller | None:
    """Bearer first, then the session; None when the request carries neither."""
    return caller_from_bearer(request) or caller_from_session(request)


class BearerAuth(HttpBearer):
    """Authorization: Bearer <token> (documented in OpenAPI as `http bearer`)."""

    def __call__(self, request: HttpRequest) -> Caller | None:
        return caller_from_bearer(request)

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        return caller_from_bearer(request)  # pragma: no cover - __call__ does the work


class SessionAuth(APIKeyCookie):
    """The pages' session cookie; CSRF is checked for unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Caller | None:
        if request.headers.get("Authorization") is not None:
            return None  # a bearer header decides alone (BearerAuth already answered)
        return caller_from_session(request, csrf=self.csrf)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        return caller_from_session(request, csrf=self.csrf)  # pragma: no cover


AUTH = [BearerAuth(), SessionAuth(csrf=True)]


def caller_of(request: HttpRequest) -> Caller:
    """The Caller of an authenticated operation (set by Ninja from AUTH)."""
    caller = getattr(request, "auth", None)
    assert isinstance(caller, Caller)
    return caller
