"""Deleting a reporter's account: personal data erased, reports kept and de-identified."""

from __future__ import annotations

from django.db import transaction

from lapor.accounts.models import User
from lapor.lib import clock
from lapor.reports.actors import SYSTEM
from lapor.reports.models import Report
from lapor.reports.services._base import write_event


@transaction.atomic
def erase_reporter_account(*, user: User) -> User:
    """Erase the account's personal data and the contact data on its reports.

    The user row stays (reports and events refer to it) but carries nothing personal and can no
    longer log in; staff memberships end. Each report of the user records a `reporter_erased`
    event, so the change is never silent. Idempotent: a second call changes nothing.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.erased_at is not None:
        return locked
    now = clock.now()
    locked.username = f"dihapus-{locked.pk}"
    locked.full_name = locked.first_name = locked.last_name = ""
    locked.email = locked.nik = locked.phone = ""
    locked.set_unusable_password()
    locked.is_active = False
    locked.erased_at = now
    locked.save()
    locked.memberships.update(is_active=False)
    for report in Report.objects.select_for_update(of=("self",)).filter(reporter=locked):
        report.contact_name = report.contact_email = report.contact_phone = ""
        write_event(
            report,
            action="reporter_erased",
            actor=SYSTEM,
            role="system",
            from_state=report.state,
            to_state=report.state,
            reason="Akun pelapor dihapus atas permintaannya; data pribadi dihapus.",
            now=now,
        )
    return locked
