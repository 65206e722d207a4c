"""Who sees what. The one place: every page, export, API response and notification uses it.

- The public sees verified, non-confidential reports, redacted (no NIK, phone or e-mail in any
  text; an anonymous reporter's name never; other names shortened).
- A reporter sees their own reports.
- Staff see reports queued at, or owned by, an institution in their subtree; national admins
  and auditors see every report. Nobody but a national admin, through a logged access
  (services.reveal_reporter_identity), sees an anonymous reporter's identity.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from lapor.accounts.models import Role
from lapor.lib.redaction import ANONYMOUS_LABEL, mask_name, redact_personal_data
from lapor.reports.models import Attachment, Report, ReportEvent, State
from lapor.reports.permissions import active_memberships

if TYPE_CHECKING:
    from lapor.accounts.models import User

# Verified: past the verification desk and not archived.
PUBLIC_STATES = (State.ROUTED, State.IN_PROGRESS, State.ANSWERED, State.FINISHED, State.ESCALATED)
SUBTREE_ROLES = (Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER, Role.LEADERSHIP)
EVERYTHING_ROLES = (Role.NATIONAL_ADMIN, Role.AUDITOR)


def public_q() -> Q:
    return Q(state__in=PUBLIC_STATES, is_confidential=False)


def public_reports(queryset: QuerySet[Report] | None = None) -> QuerySet[Report]:
    qs = queryset if queryset is not None else Report.objects.all()
    return qs.filter(public_q())


def _memberships(user: User) -> list[tuple[str, str]]:
    return [(m.role, m.institution.path) for m in active_memberships(user)]


def visible_to(
    user: User | Any | None, queryset: QuerySet[Report] | None = None
) -> QuerySet[Report]:
    """Reports `user` may see at all (the public sees only public ones)."""
    qs = queryset if queryset is not None else Report.objects.all()
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.filter(public_q())
    condition = public_q() | Q(reporter=user)
    for role, path in _memberships(user):
        if role in EVERYTHING_ROLES:
            return qs
        if role in SUBTREE_ROLES:
            condition |= Q(queue_institution__path__startswith=path) | Q(
                responsible_institution__path__startswith=path
            )
    return qs.filter(condition)


def is_staff_viewer(user: User | Any | None, report: Report) -> bool:
    """True if `user` sees `report` as staff (not merely as the public or its reporter)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    for role, path in _memberships(user):
        if role in EVERYTHING_ROLES:
            return True
        if role in SUBTREE_ROLES:
            for inst in (report.queue_institution, report.responsible_institution):
                if inst is not None and inst.path.startswith(path):
                    return True
    return False


def reporter_label(report: Report, viewer: User | Any | None) -> str:
    """The reporter's name as `viewer` may see it."""
    if report.is_anonymous:
        return ANONYMOUS_LABEL
    name = report.reporter.display_name() if report.reporter else report.contact_name
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        if report.reporter_id == viewer.pk or is_staff_viewer(viewer, report):
            return name
    return mask_name(name)


def reporter_contact_hidden(report: Report, *, revealed: bool = False) -> bool:
    """Whether the reporter's e-mail address and phone number are withheld from staff (in what
    the system sent them, too): always for an anonymous report, except on the page of a logged
    identity reveal by the national admin."""
    return report.is_anonymous and not revealed


def public_text(text: str) -> str:
    """Free text for any public surface: NIK, phone numbers and e-mail addresses removed."""
    return redact_personal_data(text)


def events_visible_to(report: Report, viewer: User | Any | None) -> QuerySet[ReportEvent]:
    """The timeline `viewer` may see: staff see every event, others only the public ones."""
    events = report.events.all()
    return events if is_staff_viewer(viewer, report) else events.filter(is_public=True)


# --- Attachments and public search --------------------------------------------------------

# Uploads made in these roles are the institution's (follow-up evidence, the answer's
# documents). Only those may reach the public: a reporter's own photos and documents can
# identify them, and so can an intake scan of their letter or a gateway's forwarded file.
INSTITUTION_UPLOAD_ROLES = (Role.NATIONAL_ADMIN, Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER)


def is_public_report(report: Report) -> bool:
    """The Python twin of public_q(), for a report already loaded."""
    return report.state in PUBLIC_STATES and not report.is_confidential


def public_attachments(report: Report) -> QuerySet[Attachment]:
    """Files the public may download: the institution's, on public events of a public report."""
    if not is_public_report(report):
        return Attachment.objects.none()
    return report.attachments.filter(
        event__is_public=True, event__actor_role__in=INSTITUTION_UPLOAD_ROLES
    )


def reporter_attachments(report: Report) -> QuerySet[Attachment]:
    """Files the reporter may download: those on the events the reporter sees (public ones).

    That is their own uploads and the institution's public ones, never a file attached to an
    internal note.
    """
    return report.attachments.filter(event__is_public=True)


def attachments_visible_to(
    report: Report, viewer: User | Any | None, *, is_reporter: bool = False
) -> QuerySet[Attachment]:
    """The files of `report` that `viewer` may download.

    `is_reporter` is for a guest who proved ownership with the report's secret; a logged-in
    reporter is recognised from `viewer` itself.
    """
    if is_staff_viewer(viewer, report):
        return report.attachments.all()
    owner = (
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and report.reporter_id == viewer.pk
    )
    if is_reporter or owner:
        return reporter_attachments(report)
    return public_attachments(report)


def attachment_visible_to(
    attachment: Attachment, viewer: User | Any | None, *, is_reporter: bool = False
) -> bool:
    return (
        attachments_visible_to(attachment.report, viewer, is_reporter=is_reporter)
        .filter(pk=attachment.pk)
        .exists()
    )


# Five or more digits in a row (single spaces, dots or hyphens allowed between them), or an
# "@": the shape of a fragment of an NIK, a phone number or an e-mail address.
_PERSONAL_PROBE_RE = re.compile(r"@|\d(?:[ .\-]?\d){4,}")


def search_probes_personal_data(text: str) -> bool:
    """Whether a public search for `text` could match text that public pages redact.

    Searching the stored (unredacted) title and body for "0812345" would reveal which report
    contains that phone number even though the page shows it masked, so such a query must not
    be run against the public reports at all.
    """
    return bool(_PERSONAL_PROBE_RE.search(text))


_ROLE_LABELS = {
    "national_admin": "Admin nasional",
    "institution_admin": "Admin instansi",
    "unit_officer": "Petugas unit",
    "intake": "Petugas penerima pengaduan",
    "system": "Sistem",
}


def event_actor_label(event: ReportEvent, viewer: User | Any | None) -> str:
    """Who made a move, as `viewer` may see it.

    The reporter's own moves (and a gateway acting for them) go through reporter_label, so an
    anonymous reporter's account never leaks through the event log; staff names are shown to
    staff in scope only, the public sees the role.
    """
    report = event.report
    if event.actor_role in ("reporter", "channel"):
        return reporter_label(report, viewer)
    label = _ROLE_LABELS.get(event.actor_role, event.actor_role)
    if event.actor is not None and is_staff_viewer(viewer, report):
        return f"{event.actor.display_name()} ({label})"
    return label


def text_for_staff(report: Report, text: str) -> str:
    """Free text of a report as staff may read it.

    An anonymous reporter sometimes types their own NIK, phone number or e-mail into the text;
    the institution must not learn who they are from it, so for anonymous reports the text is
    redacted like a public one. Other reports' text reaches staff as written.
    """
    return public_text(text) if report.is_anonymous and text else text
