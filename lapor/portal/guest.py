"""What this browser may do as the guest reporter of a report, remembered in its session.

A guest proves ownership once with the report's secret (from the private link or the track
form). The secret is then kept in the (server-side) session so the address bar can drop it and
later actions can act as GuestActor(secret); it is checked against the report's hash on every
use, never trusted blindly.
"""

from __future__ import annotations

from django.http import HttpRequest

from lapor.reports.actors import Actor, GuestActor
from lapor.reports.models import Report
from lapor.reports.permissions import guest_secret_matches

SESSION_KEY = "portal_guest_reports"
# A browser rarely follows more than a handful of reports; the oldest are forgotten first.
MAX_REMEMBERED = 20


def remember(request: HttpRequest, report: Report, secret: str) -> None:
    remembered: dict[str, str] = dict(request.session.get(SESSION_KEY, {}))
    remembered.pop(str(report.pk), None)
    remembered[str(report.pk)] = secret
    while len(remembered) > MAX_REMEMBERED:
        remembered.pop(next(iter(remembered)))
    request.session[SESSION_KEY] = remembered


def remembered_secret(request: HttpRequest, report: Report) -> str | None:
    """The secret this session holds for `report`, if it still matches."""
    secret = request.session.get(SESSION_KEY, {}).get(str(report.pk))
    if secret and guest_secret_matches(report, secret):
        return str(secret)
    return None


def reporter_actor(request: HttpRequest, report: Report) -> Actor | None:
    """The actor through whom this request acts as the report's reporter, or None."""
    user = request.user
    if user.is_authenticated and report.reporter_id == user.pk:
        return user  # type: ignore[return-value]
    secret = remembered_secret(request, report)
    return GuestActor(secret) if secret else None
