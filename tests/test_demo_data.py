"""`manage.py demo_data`: every state, overdue work, working logins, a consistent history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone

from lapor.accounts.models import Membership, User
from lapor.institutions.models import Category, ComplaintTeamDecree, Institution
from lapor.reports.demo import DEMO_PASSWORD
from lapor.reports.demo.builder import overdue_q
from lapor.reports.demo.catalog import KEY_PEOPLE
from lapor.reports.demo.timeline import WITA
from lapor.reports.models import OFFLINE_CHANNELS, Report, ReportEvent, State
from lapor.workdays.models import Holiday
from lapor.workdays.services import clear_calendar_cache, seed_holidays


@pytest.fixture(scope="module")
def demo_output(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """The demo, built once for the module inside a transaction that is rolled back after it."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        clear_calendar_cache()
        with transaction.atomic():
            _seed_holidays_as_committed()
            out = StringIO()
            call_command("demo_data", reports=60, seed=1, stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)
        clear_calendar_cache()


def _seed_holidays_as_committed() -> None:
    # Inside a transaction that never commits, the calendar cache refuses calendars built from
    # uncommitted holidays and every deadline would rebuild one. Running the on-commit hooks of
    # the seeding (as a commit would) lets the demo use the cache as it does outside tests.
    year = timezone.localdate(timezone=WITA).year
    with TestCase.captureOnCommitCallbacks(execute=True):
        seed_holidays(range(year - 1, year + 2))


pytestmark = pytest.mark.usefixtures("demo_output")


def test_every_state_is_present(db: None) -> None:
    states = set(Report.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Report.objects.count() >= 60


def test_services_accepted_every_step(demo_output: str) -> None:
    assert "ditolak" not in demo_output, demo_output
    assert "tidak mencapai status rencana" not in demo_output, demo_output


def test_some_open_reports_are_overdue(db: None) -> None:
    now = timezone.now()
    assert Report.objects.filter(overdue_q(now)).exists()
    assert Report.objects.filter(
        state__in=[State.ROUTED, State.IN_PROGRESS], completion_due_at__lt=now
    ).exists()


def test_every_demo_role_exists_and_can_log_in(db: None) -> None:
    for person in KEY_PEOPLE:
        user = User.objects.get(username=person.username)
        if person.role is None:
            assert not user.memberships.exists()
            assert len(user.nik) == 16 and user.phone and user.email
        else:
            assert Membership.objects.filter(
                user=user, role=person.role, institution__code=person.institution, is_active=True
            ).exists(), person.username
        assert Client().login(username=person.username, password=DEMO_PASSWORD), person.username
    admin = User.objects.get(username="admin.nasional")
    assert admin.is_staff and admin.is_superuser


def test_running_twice_creates_nothing(db: None) -> None:
    models = (Report, ReportEvent, User, Membership, Institution, Category, Holiday)
    before = {m.__name__: m.objects.count() for m in models}
    out = StringIO()
    call_command("demo_data", reports=60, seed=1, stdout=out)
    assert {m.__name__: m.objects.count() for m in models} == before
    assert "sudah ada" in out.getvalue()
    assert "demo12345" in out.getvalue()


def test_event_history_is_consistent(db: None) -> None:
    now = timezone.now()
    year_ago = now - timedelta(days=366)
    for report in Report.objects.prefetch_related("events"):
        events = list(report.events.all())
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert report.last_event_sequence == len(events)
        moments = [e.created_at for e in events]
        assert all(a < b for a, b in pairwise(moments)), report
        assert events[0].action == "submit" and events[0].created_at == report.submitted_at
        assert year_ago < report.submitted_at and moments[-1] <= now
        assert events[-1].to_state == report.state


def test_escalations_follow_consent_after_the_deadline(db: None) -> None:
    escalated = Report.objects.filter(state=State.ESCALATED)
    assert escalated.exists()
    for report in escalated:
        actions = [e.action for e in report.events.all()]
        assert actions.index("consent_ombudsman") < actions.index("escalate")
        event = report.events.get(action="escalate")
        assert event.data["overdue_since"] < event.created_at.isoformat()


def test_offline_reports_record_intake_and_original_document(db: None) -> None:
    offline = Report.objects.filter(channel__in=OFFLINE_CHANNELS)
    assert offline.exists()
    for report in offline:
        assert report.intake_by is not None and report.reporter is None
        if report.channel == "letter":
            assert report.original_document


def test_complaint_team_decrees(db: None) -> None:
    for code in ("PROV-64", "KOTA-64.72"):
        decree = ComplaintTeamDecree.objects.get(institution__code=code)
        assert decree.members.count() == 3
