"""Every state x move x persona of the transition table, run through the services.

For each combination the report is in the state (reached through the services, see
lifecycle.drive), the persona calls the move's service with valid arguments, and:

- the persona holds a role of the table's row for that state, in scope -> the move succeeds,
  the report is in the row's to-state and exactly one event records it;
- otherwise the right domain error (NotAllowed when the persona has no role for the move at
  all or not the row's role; InvalidTransition when the move does not exist from the state)
  and nothing is written.

The expected roles of each persona are written out by hand below (not computed by
lapor.reports.permissions), so the matrix checks the permissions as well as the table.
One world and one report per (state, placement, reporter) are built once for the module;
every test runs in a savepoint that is rolled back, so each starts from the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from lapor.accounts.models import User
from lapor.institutions.models import Institution
from lapor.lib import clock
from lapor.reports import services, workflow
from lapor.reports.actors import SYSTEM, Actor, GuestActor
from lapor.reports.errors import DomainError, InvalidTransition, NotAllowed
from lapor.reports.models import (
    ArchiveReason,
    Assignment,
    Attachment,
    Channel,
    Report,
    ReportEvent,
    ReportType,
    ResolutionClass,
    State,
)
from tests.factories import World, build_world, make_institution, report_input
from tests.reports.lifecycle import (
    CITY,
    DEPARTMENT,
    HANDLED_STATES,
    LATE,
    T1,
    UNIT,
    drive,
    rolled_back,
    snapshot,
)

NO_ROLES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Persona:
    name: str
    # The acting user (by World attribute), or a special actor: "reporter", "guest",
    # "guest_wrong_secret", "system".
    who: str
    # The table roles this persona holds towards the report built for it. Every report here
    # sits at Pemkot Samarinda or below it, so the province's and the city's admins hold
    # their role throughout; other cities, the ministry, auditors and leaders hold none.
    roles: frozenset[str] = NO_ROLES
    # Officers hold their role only once the report has been forwarded to them: in the states
    # after routing the report is placed there; before routing it waits at the city.
    placement: str = CITY
    guest_report: bool = False

    def roles_in(self, state: str) -> frozenset[str]:
        if self.placement != CITY and state not in HANDLED_STATES:
            return NO_ROLES
        return self.roles

    def placement_in(self, state: str) -> str:
        return self.placement if state in HANDLED_STATES else CITY


PERSONAS = (
    Persona("reporter", "reporter", frozenset({workflow.REPORTER})),
    Persona("guest", "guest", frozenset({workflow.REPORTER}), guest_report=True),
    Persona("guest_wrong_secret", "guest_wrong_secret", guest_report=True),
    Persona("other_citizen", "citizen"),
    Persona("national_admin", "national_admin", frozenset({workflow.NATIONAL_ADMIN})),
    Persona("auditor", "auditor"),
    Persona("province_admin", "province_admin", frozenset({workflow.INSTITUTION_ADMIN})),
    Persona("city_admin", "city_admin", frozenset({workflow.INSTITUTION_ADMIN})),
    Persona(
        "department_officer", "officer", frozenset({workflow.UNIT_OFFICER}), placement=DEPARTMENT
    ),
    Persona("unit_officer", "unit_officer", frozenset({workflow.UNIT_OFFICER}), placement=UNIT),
    Persona("leadership", "leader"),
    Persona("other_city_admin", "other_admin"),
    Persona("other_city_officer", "other_officer"),
    Persona("ministry_admin", "ministry_admin"),
    Persona("system", "system", frozenset({workflow.SYSTEM})),
)
MOVES = tuple(a for a in workflow.ACTIONS if a != "submit")
# Moves whose condition is a deadline that has passed run at LATE; the others at T1.
AFTER_DEADLINE = frozenset(
    {
        "expire_hold",
        "close_after_window",
        "consent_ombudsman",
        "escalate",
        "deadline_warning",
        "overdue",
        "ombudsman_offered",
    }
)


@dataclass
class Matrix:
    world: World
    subunit: Institution
    reports: dict[tuple[str, str, bool, bool], tuple[Report, User | GuestActor]]
    # Each report's rows as built: every case starts from them (its changes are rolled back).
    snapshots: dict[int, dict[str, Any]]

    def child_of(self, institution: Institution) -> Institution:
        """The next institution down, the valid target of a forward."""
        w = self.world
        return {
            w.city.pk: w.department,
            w.department.pk: w.unit,
            w.unit.pk: self.subunit,
        }[institution.pk]


def _variants() -> Iterator[tuple[str, str, bool, bool]]:
    """(state, placement, guest report, consented) of every report a case may need."""
    for state in workflow.STATES:
        placements = (CITY, DEPARTMENT, UNIT) if state in HANDLED_STATES else (CITY,)
        consents = (False, True) if state in (workflow.ROUTED, workflow.IN_PROGRESS) else (False,)
        for placement in placements:
            for consented in consents:
                yield state, placement, False, consented
                if placement == CITY:
                    yield state, placement, True, consented


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[Matrix]:
    # Built once, inside a transaction rolled back when the module ends; each test adds a
    # savepoint of its own (the `db` fixture), so every case starts from these rows.
    with django_db_blocker.unblock(), rolled_back():
        world = build_world()
        subunit = make_institution("Kelas 6 SD Negeri 001 Samarinda", "unit", world.unit, "64.72")
        reports = {
            key: drive(world, key[0], placement=key[1], guest=key[2], consented=key[3])
            for key in _variants()
        }
        snapshots = {report.pk: snapshot(report) for report, _ in reports.values()}
        yield Matrix(world, subunit, reports, snapshots)


@pytest.fixture
def db(matrix: Matrix, django_db_blocker: Any) -> Iterator[None]:
    """This module's `db`: a savepoint over the module's rows, rolled back after the test.

    It stands in for pytest-django's `db` (whose name still tells pytest-django to set up the
    test database for these tests), which builds a TestCase per test: a fifth of the run time
    of two thousand cases on PostgreSQL.
    """
    with django_db_blocker.unblock(), rolled_back():
        yield


def actor_of(persona: Persona, world: World, reporter: User | GuestActor) -> Actor:
    if persona.who in ("reporter", "guest"):
        return reporter
    if persona.who == "guest_wrong_secret":
        assert isinstance(reporter, GuestActor)
        return GuestActor(reporter.secret + "x")
    if persona.who == "system":
        return SYSTEM
    user = getattr(world, persona.who)
    assert isinstance(user, User)
    return user


def call(move: str, m: Matrix, actor: Actor, report: Report) -> Report:
    """The service of `move`, with arguments valid for a report in its state."""
    kw: dict[str, Any] = {"actor": actor, "report": report}
    text = "Mohon dijelaskan lebih lanjut."
    calls: dict[str, Callable[[], Report]] = {
        "hold": lambda: services.hold_report(**kw, question=text),
        "clarify": lambda: services.clarify_report(**kw, message=text),
        "expire_hold": lambda: services.expire_hold(**kw),
        "archive": lambda: services.archive_report(**kw, reason_code=ArchiveReason.SPAM),
        "route": lambda: services.route_report(
            **kw,
            institution=m.world.city,
            report_type=ReportType.COMPLAINT,
            resolution_class=ResolutionClass.STANDARD,
        ),
        "decline": lambda: services.decline_report(**kw, reason="Bukan wewenang kami."),
        "forward": lambda: services.forward_report(
            **kw, institution=m.child_of(report.queue_institution)
        ),
        "follow_up": lambda: services.post_follow_up(**kw, message=text),
        "answer": lambda: services.post_answer(**kw, message=text),
        "extend": lambda: services.extend_deadline(**kw, days=1, reason="Butuh pemeriksaan."),
        "add_information": lambda: services.add_information(**kw, message=text),
        "reopen": lambda: services.reopen_report(**kw, message=text),
        "confirm": lambda: services.confirm_report(**kw, rating=5),
        "close_after_window": lambda: services.close_after_window(**kw),
        "rate": lambda: services.rate_report(**kw, rating=4),
        "consent_ombudsman": lambda: services.consent_to_ombudsman(**kw),
        "escalate": lambda: services.escalate_to_ombudsman(**kw),
        "deadline_warning": lambda: services.record_deadline_warning(**kw),
        "overdue": lambda: services.flag_overdue(**kw),
        "ombudsman_offered": lambda: services.offer_ombudsman(**kw),
    }
    with clock.at(LATE if move in AFTER_DEADLINE else T1):
        return calls[move]()


def expected_error(state: str, move: str, roles: frozenset[str]) -> type[DomainError] | None:
    """What the table says about `roles` making `move` from `state` (None: it succeeds).

    A persona with no role for the move anywhere in the table is refused as such, whatever the
    state (an outsider learns nothing about where the report stands).
    """
    if not roles & {r for t in workflow.TRANSITIONS if t.action == move for r in t.roles}:
        return NotAllowed
    transition = workflow.find(state, move)
    if transition is None:
        return InvalidTransition
    if not roles & transition.roles:
        return NotAllowed
    return None


def test_every_move_of_the_table_is_in_the_matrix() -> None:
    assert set(MOVES) | {"submit"} == set(workflow.ACTIONS)
    assert {t.action for t in workflow.TRANSITIONS if t.from_state != workflow.NEW} == set(MOVES)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("state", workflow.STATES)
def test_move(matrix: Matrix, db: None, state: str, move: str, persona: Persona) -> None:
    consented = move == "escalate" and state in (workflow.ROUTED, workflow.IN_PROGRESS)
    key = (state, persona.placement_in(state), persona.guest_report, consented)
    report, reporter = matrix.reports[key]
    actor = actor_of(persona, matrix.world, reporter)
    roles = persona.roles_in(state)
    error = expected_error(state, move, roles)
    before = matrix.snapshots[report.pk]

    if error is not None:
        with pytest.raises(DomainError) as raised:
            call(move, matrix, actor, report)
        assert type(raised.value) is error, raised.value.message
        assert snapshot(report) == before
        return

    call(move, matrix, actor, report)
    transition = workflow.find(state, move)
    assert transition is not None
    after = Report.objects.get(pk=report.pk)
    assert after.state == transition.to_state
    events = list(ReportEvent.objects.filter(report=report).order_by("pk"))
    # Exactly one new event, and the earlier ones as they were.
    assert [e.pk for e in events[:-1]] == [e[0] for e in before["events"]]
    event = events[-1]
    assert len(events) == len(before["events"]) + 1
    assert (event.action, event.from_state, event.to_state) == (move, state, transition.to_state)
    assert event.actor_role in roles & transition.roles
    assert event.actor == (actor if isinstance(actor, User) else None)
    assert event.sequence == len(events)
    if isinstance(actor, GuestActor):
        assert event.data["actor"] == "guest"
    if actor is SYSTEM:
        assert event.data["actor"] == "system"


# --- submit: the one move from (new) -----------------------------------------------------

# Who may submit through which channel: a web form is anyone's (a guest, or an account
# holder as the reporter); offline channels are typed in by handling staff; gateway channels
# belong to the system.
INTAKE_STAFF = frozenset(
    {
        "national_admin",
        "province_admin",
        "city_admin",
        "department_officer",
        "unit_officer",
        "other_city_admin",
        "other_city_officer",
        "ministry_admin",
    }
)
SUBMITTERS = tuple(p for p in PERSONAS if p.who != "guest_wrong_secret")


def expected_submit_role(persona: Persona, channel: str) -> str | None:
    if channel == Channel.WEB:
        return None if persona.who == "system" else workflow.REPORTER
    if channel == Channel.SMS:
        return workflow.CHANNEL if persona.who == "system" else None
    return workflow.INTAKE if persona.name in INTAKE_STAFF else None


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Report, ReportEvent, Assignment, Attachment))


@pytest.mark.parametrize("persona", SUBMITTERS, ids=lambda p: p.name)
@pytest.mark.parametrize("channel", [Channel.WEB, Channel.WALK_IN, Channel.SMS])
def test_submit(matrix: Matrix, db: None, channel: str, persona: Persona) -> None:
    w = matrix.world
    specials: dict[str, Any] = {"reporter": w.reporter, "guest": None, "system": SYSTEM}
    actor = specials[persona.who] if persona.who in specials else getattr(w, persona.who)
    role = expected_submit_role(persona, channel)
    before = _counts()
    data = report_input(channel=channel, contact_name="Budi")
    with clock.at(T1):
        if role is None:
            with pytest.raises(NotAllowed):
                services.submit_report(actor=actor, data=data)
            assert _counts() == before
            return
        result = services.submit_report(actor=actor, data=data)
    report = Report.objects.get(pk=result.report.pk)
    assert report.state == State.AWAITING_VERIFICATION
    assert _counts()[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    event = ReportEvent.objects.get(report=report)
    assert (event.action, event.from_state, event.to_state) == ("submit", "", report.state)
    assert event.actor_role == role
    user = actor if isinstance(actor, User) else None
    assert event.actor == user
    assert report.reporter == (user if role == workflow.REPORTER else None)
    assert report.intake_by == (user if role == workflow.INTAKE else None)
    # Only a submission without an account gets a secret for its private link.
    assert bool(result.guest_secret) == (report.reporter is None)
