"""Build the whole demo: organisation, holidays, then every report's story, and a summary."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from lapor.accounts.models import Membership
from lapor.institutions.models import Institution
from lapor.institutions.regions import ensure_regions
from lapor.reports.demo import catalog
from lapor.reports.demo.organisation import Directory, build_organisation
from lapor.reports.demo.planning import Plan, make_plans
from lapor.reports.demo.scenarios import SCENARIOS
from lapor.reports.demo.story import Story, StoryStopped
from lapor.reports.demo.submission import choose_channel, submission_for, words_for
from lapor.reports.demo.timeline import WITA, Timeline
from lapor.reports.models import OFFLINE_CHANNELS, Report, ReportType, State
from lapor.reports.policy import current_policy
from lapor.workdays.services import get_calendar, seed_holidays


@dataclass
class DemoResult:
    created: bool
    reports: int = 0
    states: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    overdue_open: int = 0
    near_deadline: int = 0
    anonymous: int = 0
    confidential: int = 0
    missed: list[str] = field(default_factory=list)  # planned state not reached
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    guest_example: tuple[str, str] | None = None  # (tracking number, secret) of a guest report


def demo_exists() -> bool:
    return Institution.objects.filter(code=catalog.NATIONAL_CODE).exists()


def build_demo(*, reports: int = 360, seed: int = 2026, now: datetime | None = None) -> DemoResult:
    """Create the demo data unless it exists. Every report moves only through the services."""
    started = time.monotonic()
    if demo_exists():
        return DemoResult(created=False)
    now = now or timezone.now()
    today = now.astimezone(WITA).date()
    # Committed before any deadline is computed: calendars built under an uncommitted holiday
    # revision are not cached, and every move would rebuild them.
    seed_holidays(range(today.year - 1, today.year + 2))
    rng = random.Random(seed)
    calendar = get_calendar("64")
    result = DemoResult(created=True)
    with transaction.atomic():
        ensure_regions()  # loaded by a migration; reloaded here if the table was emptied
        directory = build_organisation(today)
        plans = make_plans(reports, rng, Timeline(rng, now, calendar), current_policy())
        history: list[Report] = []
        for plan in plans:
            story = _play(
                plan, directory, Timeline(random.Random(plan.seed), now, calendar), history
            )
            result.warnings.extend(story.warnings)
            if story.report is None:
                continue
            history.append(story.report)
            if story.report.state != plan.state:
                result.missed.append(
                    f"{story.report.tracking_number}: {plan.story} -> {story.report.state}"
                )
            if result.guest_example is None and _good_guest_example(story):
                result.guest_example = (story.report.tracking_number, story.guest_secret)
    _summarise(result, now)
    result.seconds = time.monotonic() - started
    return result


def _play(plan: Plan, directory: Directory, timeline: Timeline, history: list[Report]) -> Story:
    rng = timeline.rng
    channel = choose_channel(plan, rng)
    if channel in OFFLINE_CHANNELS:
        # Typed in by staff at the service desk: during office hours.
        plan.submitted_at = timeline.office_before(plan.submitted_at)
    earlier = [
        r for r in history if r.submitted_at < plan.submitted_at and r.state != State.ARCHIVED
    ]
    if plan.story == "duplicate" and earlier:
        same = [r for r in earlier if r.category_id == _category_pk(directory, plan)]
        plan.original = rng.choice(same or earlier)
    words = words_for(plan, rng)
    story = Story(directory, timeline, rng, plan.topic, plan.spot, plan.resolution_class, words)
    data, actor = submission_for(plan, rng, directory, words, channel)
    with transaction.atomic():
        try:
            story.submit(plan.submitted_at, data, actor)
            SCENARIOS[plan.scenario](story, plan)
        except StoryStopped:
            pass
    return story


def _category_pk(directory: Directory, plan: Plan) -> int:
    return directory.categories[plan.topic.category].pk


def _good_guest_example(story: Story) -> bool:
    report = story.report
    return bool(
        report is not None
        and story.guest_secret
        and report.channel == "web"
        and report.state == State.ANSWERED
        and not report.is_confidential
    )


def _summarise(result: DemoResult, now: datetime) -> None:
    reports = Report.objects.all()
    result.reports = reports.count()
    result.states = dict(reports.values_list("state").annotate(n=Count("id")).order_by())
    result.channels = dict(reports.values_list("channel").annotate(n=Count("id")).order_by())
    result.types = dict(reports.values_list("report_type").annotate(n=Count("id")).order_by())
    result.anonymous = reports.filter(is_anonymous=True).count()
    result.confidential = reports.filter(is_confidential=True).count()
    result.overdue_open = reports.filter(overdue_q(now)).count()
    handling = [State.ROUTED, State.IN_PROGRESS]
    result.near_deadline = reports.filter(
        state__in=handling,
        completion_due_at__gte=now,
        completion_due_at__lt=now + timedelta(days=4),
    ).count()


def overdue_q(now: datetime) -> Q:
    """Open reports whose current stage's deadline has passed."""
    return (
        Q(state=State.AWAITING_VERIFICATION, verification_due_at__lt=now)
        | Q(state=State.ON_HOLD, clarification_due_at__lt=now)
        | Q(state__in=[State.ROUTED, State.IN_PROGRESS], completion_due_at__lt=now)
        | Q(state=State.ANSWERED, reporter_window_due_at__lt=now)
    )


def login_rows() -> list[tuple[str, str, str]]:
    """(username, role, institution) of the key demo accounts, in the catalog's order."""
    rows = []
    for person in catalog.KEY_PEOPLE:
        membership = (
            Membership.objects.filter(user__username=person.username)
            .select_related("institution")
            .first()
        )
        if membership is None:
            role, place = "pelapor (warga)", "-"
        else:
            role, place = str(membership.get_role_display()), membership.institution.name
            if person.superuser:
                role += " + superuser"
        rows.append((person.username, role, place))
    return rows


def other_usernames() -> list[str]:
    key = {p.username for p in catalog.KEY_PEOPLE}
    people = [*catalog.staff_roster(), *catalog.OTHER_REPORTERS]
    return [p.username for p in people if p.username not in key]


def state_label(state: str) -> str:
    return str(State(state).label)


def type_label(value: str) -> str:
    return str(ReportType(value).label)


__all__ = ["DemoResult", "build_demo", "demo_exists", "login_rows", "overdue_q"]
