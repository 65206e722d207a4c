"""One-time submission tokens: a resent or double-clicked form creates one report.

The submit form carries a random token, signed so that only tokens this server issued are
accepted. The report service stores "web:<token>" as the report's submission key: a second
POST with the same token gets the first report back instead of a new one.
"""

from __future__ import annotations

import secrets

from django.core import signing

_SALT = "lapor.portal.submission-token"
# A form left open for longer than this must be reloaded (the data typed so far is kept).
MAX_AGE_SECONDS = 24 * 3600


def issue() -> str:
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_urlsafe(24))


def submission_key(signed_token: str) -> str | None:
    """The service's submission key for a token from the form, or None if it is not valid."""
    try:
        token = signing.TimestampSigner(salt=_SALT).unsign(signed_token, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return f"web:{token}"
