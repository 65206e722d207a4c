"""Revealing an anonymous reporter's identity: national admins only, every access logged."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lapor.accounts.models import User
from lapor.reports.errors import NotAllowed
from lapor.reports.models import IdentityAccess, Report
from lapor.reports.permissions import is_national_admin
from lapor.reports.services._base import require_text


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    nik: str
    email: str
    phone: str


def identity_of(report: Report) -> ReporterIdentity:
    user = report.reporter
    if user is not None and user.erased_at is None:
        return ReporterIdentity(user.display_name(), user.nik, user.email, user.phone)
    return ReporterIdentity(report.contact_name, "", report.contact_email, report.contact_phone)


@transaction.atomic
def reveal_reporter_identity(*, actor: User, report: Report, purpose: str) -> ReporterIdentity:
    """The identity behind an anonymous report, for a national admin with a stated purpose.

    The access is written before anything is returned, so no look is ever unrecorded.
    """
    if not is_national_admin(actor):
        raise NotAllowed("Hanya admin nasional yang dapat melihat identitas pelapor anonim.")
    purpose = require_text(purpose, "purpose", "Tujuan akses", max_length=2000)
    IdentityAccess.objects.create(report=report, user=actor, purpose=purpose)
    return identity_of(report)
