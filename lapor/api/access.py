"""Which reports a caller reaches, and as whom it sees each one.

Visibility itself is lapor.reports.privacy's; this module only narrows it for integrations and
adds the guest reporter's secret (header X-Report-Secret):

- an integration token reaches only reports queued at, or owned by, an institution in its
  subtree (not even public reports elsewhere: an integration syncs its own work);
- a user token or a session reaches what privacy.visible_to(user) lets through;
- anyone holding a report's guest secret reaches that report as its reporter.

A report out of reach is a 404, never a 403: nobody learns that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lapor.api.auth import Caller
from lapor.api.errors import ApiError
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports.actors import Actor, GuestActor
from lapor.reports.errors import NotFound
from lapor.reports.models import Report
from lapor.reports.permissions import active_memberships, guest_secret_matches, roles_for
from lapor.reports.privacy import EVERYTHING_ROLES, SUBTREE_ROLES, visible_to
from lapor.reports.workflow import SYSTEM, allowed_actions

SECRET_HEADER = "X-Report-Secret"  # noqa: S105 - a header name, not a secret
MAX_SECRET_LENGTH = 200
REPORT_RELATIONS = (
    "queue_institution__region__province",
    "responsible_institution__region__province",
    "suggested_institution",
    "category",
    "province",
    "regency",
    "reporter",
    "duplicate_of",
)

ViewKind = Literal["staff", "reporter", "public"]


def in_subtree(path: str) -> Q:
    return Q(queue_institution__path__startswith=path) | Q(
        responsible_institution__path__startswith=path
    )


def reachable_reports(caller: Caller) -> QuerySet[Report]:
    """Every report the caller may read (before any guest secret)."""
    qs = visible_to(caller.user, Report.objects.all())
    institution = caller.institution
    if institution is not None:
        qs = qs.filter(in_subtree(institution.path))
    return qs


class StaffLens:
    """privacy.is_staff_viewer for many reports with one query (a list page)."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self._memberships = [(m.role, m.institution.path) for m in active_memberships(caller.user)]

    def sees_as_staff(self, report: Report) -> bool:
        for role, path in self._memberships:
            if role in EVERYTHING_ROLES:
                return True
            if role in SUBTREE_ROLES:
                for inst in (report.queue_institution, report.responsible_institution):
                    if inst is not None and inst.path.startswith(path):
                        return True
        return False

    def kind(self, report: Report, *, secret_ok: bool = False) -> ViewKind:
        if self.sees_as_staff(report):
            return "staff"
        if secret_ok or report.reporter_id == self.caller.user.pk:
            return "reporter"
        return "public"


@dataclass(frozen=True)
class Access:
    """A report the caller reached, and how."""

    report: Report
    caller: Caller
    secret: str | None  # the guest secret, when the header carried the right one

    @property
    def reporter_actor(self) -> Actor:
        """Who acts in the reporter's moves: the guest (by secret) or the caller's user."""
        return GuestActor(self.secret) if self.secret else self.caller.user

    @cached_property
    def kind(self) -> ViewKind:
        """As whom the caller sees the report: its handler, its reporter, or the public."""
        return StaffLens(self.caller).kind(self.report, secret_ok=self.secret is not None)

    def view_kind(self) -> ViewKind:
        return self.kind

    def allowed_actions(self) -> list[str]:
        roles = set(roles_for(self.caller.user, self.report))
        if self.secret:
            roles |= roles_for(GuestActor(self.secret), self.report)
        return [a for a in allowed_actions(self.report.state, roles) if a != SYSTEM]


def not_found() -> NotFound:
    return NotFound(_("Laporan tidak ditemukan."))


def secret_header(request: HttpRequest) -> str:
    """The guest secret the request carries ("" for none); 400 if it cannot be one."""
    secret = (request.headers.get(SECRET_HEADER) or "").strip()
    if len(secret) > MAX_SECRET_LENGTH:
        message = _("Rahasia laporan terlalu panjang.")
        raise ApiError(400, "invalid_input", message, {SECRET_HEADER: [message]})
    return secret


def load_report(request: HttpRequest, caller: Caller, tracking: str) -> Access:
    """The report `tracking` names, if the caller may reach it; NotFound (404) otherwise."""
    number = normalize_tracking_number(tracking) if len(tracking) <= 40 else None
    if number is None:
        raise not_found()
    relations = Report.objects.select_related(*REPORT_RELATIONS)
    reachable = reachable_reports(caller).select_related(*REPORT_RELATIONS)
    found = reachable.filter(tracking_number=number).first()
    secret = secret_header(request)
    if secret:
        candidate = found or relations.filter(tracking_number=number).first()
        if candidate is not None and guest_secret_matches(candidate, secret):
            return Access(candidate, caller, secret)
    if found is None:
        raise not_found()
    return Access(found, caller, None)


def reload(access: Access) -> Access | None:
    """The report after a move, if the caller still reaches it (a decline can take it away)."""
    try:
        report = Report.objects.select_related(*REPORT_RELATIONS).get(pk=access.report.pk)
    except Report.DoesNotExist:  # pragma: no cover - reports are never deleted
        return None
    if access.secret and guest_secret_matches(report, access.secret):
        return Access(report, access.caller, access.secret)
    if reachable_reports(access.caller).filter(pk=report.pk).exists():
        return Access(report, access.caller, None)
    return None
