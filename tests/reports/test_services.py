"""Each service's own rules, against the database.

Dates: the flows start on Monday 6 July 2026. The holiday table of a test database is empty
unless a test adds a holiday, and July 2026 holds no Indonesian national holiday or cuti
bersama anyway, so the working days after Monday 6 July are, in order:
  1 Tue 7, 2 Wed 8, 3 Thu 9, 4 Fri 10, 5 Mon 13, 6 Tue 14, 7 Wed 15, 8 Thu 16, 9 Fri 17,
  10 Mon 20, 11 Tue 21, 12 Wed 22, 13 Thu 23, 14 Fri 24, 15 Mon 27, 16 Tue 28, 17 Wed 29.
A deadline is the last microsecond of its day in the institution's zone: for WITA (UTC+8,
Pemkot Samarinda) that is 15:59:59.999999 UTC, for WIB (UTC+7) 16:59:59.999999 UTC.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from lapor.accounts.models import Role
from lapor.institutions.models import Region
from lapor.lib import clock
from lapor.reports import services, workflow
from lapor.reports.actors import SYSTEM, GuestActor
from lapor.reports.errors import InvalidTransition, NotAllowed, NotFound, ValidationError
from lapor.reports.models import (
    ArchiveReason,
    Assignment,
    Attachment,
    Channel,
    DeadlinePolicy,
    IdentityAccess,
    Report,
    ReportEvent,
    ReportType,
    ResolutionClass,
    State,
)
from lapor.reports.permissions import roles_for
from lapor.reports.policy import stage_clock
from lapor.workdays.models import Holiday
from lapor.workdays.services import add_holiday
from tests.factories import (
    World,
    build_world,
    fresh,
    make_institution,
    make_staff,
    report_input,
    submit,
)
from tests.reports.lifecycle import (
    CITY,
    DEPARTMENT,
    drive,
    reloaded,
    rolled_back,
    route_to_city,
    snapshot,
)

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
MON = datetime(2026, 7, 6, 9, 0, tzinfo=WITA)  # Monday 6 July 2026, 09:00 WITA


def wita_end(month: int, day: int) -> datetime:
    """The end of a day of 2026 in WITA, in UTC."""
    return datetime(2026, month, day, 15, 59, 59, 999999, tzinfo=UTC)


def wib_end(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 16, 59, 59, 999999, tzinfo=UTC)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), rolled_back():
        yield build_world()


@pytest.fixture
def world(module_world: World, db: None) -> World:
    """One world for the module (built once, rolled back at its end); each test gets it read
    back afresh, and its own changes are rolled back with the test."""
    return reloaded(module_world)


@pytest.fixture(autouse=True)
def _july_has_no_holidays(db: None) -> None:
    # The hand-counted dates above assume it; a seeded table would break them here, clearly.
    assert not Holiday.objects.filter(date__range=(date(2026, 7, 1), date(2026, 8, 14))).exists()


@contextmanager
def writes_nothing(report: Report) -> Iterator[None]:
    before = snapshot(report)
    yield
    assert snapshot(report) == before


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Report, ReportEvent, Assignment, Attachment))


def to_city(world: World, **overrides: Any) -> tuple[Report, Any]:
    """A report submitted at MON to Pemkot Samarinda's verification queue."""
    with clock.at(MON):
        return submit(world, suggested_institution_id=world.city.pk, **overrides)


def routed(world: World, placement: str = CITY, **kw: Any) -> tuple[Report, Any]:
    return drive(world, State.ROUTED, placement=placement, start=MON, **kw)


def last_event(report: Report) -> ReportEvent:
    return ReportEvent.objects.filter(report=report).order_by("sequence").last()


# --- submit --------------------------------------------------------------------------------


def test_guest_gets_a_secret_that_opens_the_report_and_is_stored_only_hashed(
    world: World,
) -> None:
    result = services.submit_report(actor=None, data=report_input())
    report = fresh(result.report)
    secret = result.guest_secret
    assert len(secret) >= 20
    assert result.created
    assert report.reporter is None
    assert report.guest_secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = Report.objects.filter(pk=report.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    assert not any(secret in str(e.data) for e in ReportEvent.objects.filter(report=report))
    assert roles_for(GuestActor(secret), report) == {workflow.REPORTER}
    assert roles_for(GuestActor(secret[:-1]), report) == set()
    assert roles_for(GuestActor(""), report) == set()
    services.add_information(actor=GuestActor(secret), report=report, message="Terjadi pagi hari.")
    with writes_nothing(report), pytest.raises(NotAllowed):
        services.add_information(actor=GuestActor("salah"), report=report, message="Coba-coba.")


def test_two_guests_get_different_secrets(world: World) -> None:
    first = services.submit_report(actor=None, data=report_input())
    second = services.submit_report(actor=None, data=report_input())
    assert first.guest_secret != second.guest_secret
    assert roles_for(GuestActor(first.guest_secret), second.report) == set()


def test_account_reporter_submits_as_reporter(world: World) -> None:
    with clock.at(MON):
        result = services.submit_report(actor=world.reporter, data=report_input())
    report = fresh(result.report)
    assert (report.reporter, report.intake_by, report.guest_secret_hash) == (
        world.reporter,
        None,
        "",
    )
    assert result.guest_secret == ""
    assert report.state == State.AWAITING_VERIFICATION
    assert report.submitted_at == report.verification_started_at == MON
    assert report.tracking_number.startswith("26-")
    event = ReportEvent.objects.get(report=report)
    assert (event.action, event.actor, event.actor_role, event.sequence) == (
        "submit",
        world.reporter,
        workflow.REPORTER,
        1,
    )
    hop = Assignment.objects.get(report=report)
    assert (hop.kind, hop.institution, hop.started_at, hop.ended_at) == (
        Assignment.Kind.VERIFICATION,
        None,
        MON,
        None,
    )


def test_verification_deadline_national_queue_wib_and_city_queue_wita(world: World) -> None:
    # Submitted Monday 6 July: 3 working days -> Thursday 9 July, end of day in the queue's zone.
    with clock.at(MON):
        national, _ = submit(world)
        city, _ = submit(world, suggested_institution_id=world.department.pk)
    assert national.queue_institution is None
    assert national.verification_due_at == wib_end(7, 9)
    # Suggesting a department sends the report to its K/L/D's desk: the city.
    assert city.queue_institution == world.city
    assert city.verification_due_at == wita_end(7, 9)


@pytest.mark.parametrize("staff", ["national_admin", "city_admin", "officer", "unit_officer"])
def test_offline_intake_by_handling_staff(world: World, staff: str) -> None:
    user = getattr(world, staff)
    data = report_input(
        channel=Channel.LETTER, original_document="Surat No. 12/2026", contact_name="Budi Santoso"
    )
    result = services.submit_report(actor=user, data=data)
    report = fresh(result.report)
    assert (report.reporter, report.intake_by, report.channel) == (None, user, Channel.LETTER)
    assert report.original_document == "Surat No. 12/2026"
    assert report.contact_name == "Budi Santoso"
    assert last_event(report).actor_role == workflow.INTAKE


@pytest.mark.parametrize("who", ["reporter", "citizen", "auditor", "leader", None])
def test_offline_intake_needs_an_intake_role(world: World, who: str | None) -> None:
    actor = getattr(world, who) if who else None
    before = counts()
    with pytest.raises(NotAllowed):
        services.submit_report(actor=actor, data=report_input(channel=Channel.WALK_IN))
    assert counts() == before


def test_a_letter_needs_its_original_document(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.submit_report(
            actor=world.city_admin,
            data=report_input(channel=Channel.LETTER, original_document="   "),
        )
    assert set(error.value.fields) == {"original_document"}
    assert counts() == before


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL, Channel.API, Channel.WHATSAPP])
def test_gateway_submits_through_gateway_channels(world: World, channel: str) -> None:
    result = services.submit_report(actor=SYSTEM, data=report_input(channel=channel))
    report = fresh(result.report)
    assert (report.reporter, report.intake_by, report.channel) == (None, None, channel)
    event = last_event(report)
    assert (event.actor, event.actor_role, event.data["actor"]) == (
        None,
        workflow.CHANNEL,
        "system",
    )


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.LETTER, Channel.WALK_IN])
def test_gateway_cannot_submit_through_other_channels(world: World, channel: str) -> None:
    before = counts()
    with pytest.raises(NotAllowed):
        services.submit_report(
            actor=SYSTEM, data=report_input(channel=channel, original_document="Surat 1")
        )
    assert counts() == before


@pytest.mark.parametrize("who", ["reporter", "city_admin", None])
def test_gateway_channels_are_not_for_people(world: World, who: str | None) -> None:
    actor = getattr(world, who) if who else None
    with pytest.raises(NotAllowed):
        services.submit_report(actor=actor, data=report_input(channel=Channel.SMS))
    assert Report.objects.count() == 0


TOMORROW_IN_WIT = date(2026, 7, 7)  # at MON (09:00 WITA = 10:00 WIT) it is 6 July everywhere


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "Jln"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "Tolong"}, "body"),
        ({"body": "x" * 20001}, "body"),
        ({"report_type": "keluhan"}, "report_type"),
        ({"channel": "fax"}, "channel"),
        ({"province_code": "63", "regency_code": "64.72"}, "regency"),
        ({"province_code": "99", "regency_code": ""}, "province"),
        ({"province_code": "", "regency_code": "64.99"}, "regency"),
        ({"regency_code": "64"}, "regency"),  # a province code is no regency
        ({"latitude": "51.5", "longitude": "-0.12"}, "latitude"),  # London
        ({"latitude": "-0.5", "longitude": "150.0"}, "latitude"),  # past Papua
        ({"latitude": "utara", "longitude": "117.1"}, "latitude"),
        ({"latitude": "NaN", "longitude": "117.1"}, "latitude"),
        ({"latitude": "-0.5", "longitude": "Infinity"}, "latitude"),
        ({"latitude": "-0.5", "longitude": None}, "latitude"),
        ({"incident_date": TOMORROW_IN_WIT}, "incident_date"),
        ({"incident_date": date(1900, 1, 1)}, "incident_date"),
        ({"contact_email": "budi-at-contoh"}, "contact_email"),
        ({"contact_phone": "12"}, "contact_phone"),
        ({"contact_phone": "0812345678901234567"}, "contact_phone"),
        ({"category_id": 999_999}, "category"),
        ({"suggested_institution_id": 999_999}, "suggested_institution"),
    ],
)
def test_submission_is_validated(world: World, overrides: dict[str, Any], field: str) -> None:
    before = counts()
    with clock.at(MON), pytest.raises(ValidationError) as error:
        services.submit_report(actor=world.reporter, data=report_input(**overrides))
    assert set(error.value.fields) == {field}
    assert error.value.fields[field]
    assert error.value.status == 400
    assert counts() == before


def test_submission_cleans_what_it_accepts(world: World) -> None:
    data = report_input(
        title="  Jalan rusak di depan sekolah  ",
        incident_date=date(2026, 7, 6),
        province_code="",
        regency_code="64.72",
        latitude="-0.5021",
        longitude="117.1536",
        contact_phone="0812-3456-7890",
        category_id=world.category.pk,
    )
    with clock.at(MON):
        report = fresh(services.submit_report(actor=world.reporter, data=data).report)
    assert report.title == "Jalan rusak di depan sekolah"
    assert report.province == Region.objects.get(code="64")  # taken from the regency
    assert str(report.latitude) == "-0.502100"
    assert report.contact_phone == "081234567890"
    assert report.category == world.category


@pytest.mark.parametrize("by", ["guest", "reporter"])
def test_same_submission_key_twice_returns_the_first_report(world: World, by: str) -> None:
    actor = None if by == "guest" else world.reporter
    first = services.submit_report(actor=actor, data=report_input(), submission_key="form-123")
    again = services.submit_report(
        actor=actor,
        data=report_input(title="Judul yang lain sama sekali"),
        submission_key="form-123",
    )
    assert (first.created, again.created) == (True, False)
    assert again.report.pk == first.report.pk
    assert again.guest_secret == first.guest_secret
    assert bool(first.guest_secret) == (by == "guest")
    assert Report.objects.count() == 1
    assert ReportEvent.objects.count() == 1
    assert fresh(first.report).title == "Pungutan liar di sekolah dasar"


def test_an_empty_submission_key_is_no_key(world: World) -> None:
    first = services.submit_report(actor=None, data=report_input(), submission_key="")
    second = services.submit_report(actor=None, data=report_input(), submission_key="")
    assert (first.created, second.created) == (True, True)
    assert first.report.pk != second.report.pk
    assert first.guest_secret != second.guest_secret
    assert set(Report.objects.values_list("submission_key", flat=True)) == {None}


# --- hold, clarify, expire -----------------------------------------------------------------


def test_hold_pauses_verification_and_opens_the_clarification_window(world: World) -> None:
    report, _ = to_city(world)
    assert report.verification_due_at == wita_end(7, 9)
    with clock.at(MON + timedelta(hours=1)):
        services.hold_report(actor=world.city_admin, report=report, question="Sekolah yang mana?")
    report = fresh(report)
    assert report.state == State.ON_HOLD
    assert report.verification_due_at is None
    assert report.held_at == MON + timedelta(hours=1)
    # 10 working days after Monday 6 July: Monday 20 July, WITA (the city's desk).
    assert report.clarification_due_at == wita_end(7, 20)
    event = last_event(report)
    assert (event.message, event.is_public) == ("Sekolah yang mana?", True)


def test_hold_needs_a_question(world: World) -> None:
    report, _ = to_city(world)
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.hold_report(actor=world.city_admin, report=report, question="  ")
    assert set(error.value.fields) == {"question"}


def test_clarify_restarts_verification_from_the_clarification(world: World) -> None:
    report, reporter = to_city(world)
    with clock.at(MON):
        services.hold_report(actor=world.city_admin, report=report, question="Kapan?")
    clarified_at = datetime(2026, 7, 8, 10, 0, tzinfo=WITA)  # Wednesday
    with clock.at(clarified_at):
        services.clarify_report(actor=reporter, report=report, message="Senin pagi, 6 Juli.")
    report = fresh(report)
    assert report.state == State.AWAITING_VERIFICATION
    assert report.verification_started_at == clarified_at
    # 3 working days after Wednesday 8 July: Thu 9, Fri 10, Mon 13.
    assert report.verification_due_at == wita_end(7, 13)
    assert report.clarification_due_at is None


def test_expire_hold_only_after_the_window(world: World) -> None:
    report, _ = to_city(world)
    with clock.at(MON):
        services.hold_report(actor=world.city_admin, report=report, question="Kapan?")
    due = fresh(report).clarification_due_at
    assert due == wita_end(7, 20)
    with clock.at(due), writes_nothing(report), pytest.raises(InvalidTransition):
        services.expire_hold(actor=SYSTEM, report=report)
    with clock.at(due + timedelta(microseconds=1)):
        services.expire_hold(actor=SYSTEM, report=report)
    report = fresh(report)
    assert report.state == State.ARCHIVED
    assert report.archive_reason == ArchiveReason.NO_CLARIFICATION
    assert report.closed_at == due + timedelta(microseconds=1)
    assert report.clarification_due_at is None
    assert not Assignment.objects.filter(report=report, ended_at__isnull=True).exists()


# --- archive -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        ArchiveReason.SPAM,
        ArchiveReason.UNINTELLIGIBLE,
        ArchiveReason.TOO_GENERAL,
        ArchiveReason.OUT_OF_SCOPE,
    ],
)
def test_archive_with_a_reason_code(world: World, reason: str) -> None:
    report, _ = to_city(world)
    with clock.at(MON):
        services.archive_report(actor=world.city_admin, report=report, reason_code=reason)
    report = fresh(report)
    assert (report.state, report.archive_reason, report.closed_at) == (
        State.ARCHIVED,
        reason,
        MON,
    )
    assert report.verification_due_at is None
    assert last_event(report).data == {"archive_reason": reason}


@pytest.mark.parametrize("reason", ["bosan", "", ArchiveReason.NO_CLARIFICATION])
def test_archive_refuses_unknown_and_system_reasons(world: World, reason: str) -> None:
    report, _ = to_city(world)
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.archive_report(actor=world.city_admin, report=report, reason_code=reason)
    assert set(error.value.fields) == {"reason_code"}


def test_archive_as_duplicate_of_another_report(world: World) -> None:
    original, _ = to_city(world)
    report, _ = to_city(world)
    services.archive_report(
        actor=world.city_admin,
        report=report,
        reason_code=ArchiveReason.DUPLICATE,
        duplicate_of=original.pk,
    )
    report = fresh(report)
    assert (report.state, report.duplicate_of) == (State.ARCHIVED, original)
    assert last_event(report).data["duplicate_of"] == original.tracking_number


@pytest.mark.parametrize("duplicate_of", ["missing", "unknown", "itself"])
def test_a_duplicate_needs_an_existing_other_report(world: World, duplicate_of: str) -> None:
    report, _ = to_city(world)
    target = {"missing": None, "unknown": 999_999, "itself": report}[duplicate_of]
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.archive_report(
            actor=world.city_admin,
            report=report,
            reason_code=ArchiveReason.DUPLICATE,
            duplicate_of=target,
        )
    assert set(error.value.fields) == {"duplicate_of"}


# --- route ---------------------------------------------------------------------------------


def test_route_sets_type_class_category_institution_and_starts_the_clocks(world: World) -> None:
    report, _ = to_city(world, report_type=ReportType.COMPLAINT)
    with clock.at(MON):
        services.route_report(
            actor=world.city_admin,
            report=report,
            institution=world.department,
            report_type=ReportType.ASPIRATION,
            resolution_class=ResolutionClass.SHORT,
            category=world.category,
            note="Ini usulan, bukan pengaduan.",
        )
    report = fresh(report)
    assert report.state == State.ROUTED
    assert (report.report_type, report.resolution_class, report.category) == (
        ReportType.ASPIRATION,
        ResolutionClass.SHORT,
        world.category,
    )
    # Routed to a department: it holds the report, its K/L/D (the city) owns the clock.
    assert (report.queue_institution, report.responsible_institution) == (
        world.department,
        world.city,
    )
    assert report.routed_at == MON
    assert report.verification_due_at is None
    assert report.first_response_due_at == wita_end(7, 13)  # 5 working days
    assert report.completion_due_at == wita_end(7, 13)  # aspirasi: 5 working days
    hops = list(Assignment.objects.filter(report=report).order_by("pk"))
    assert [(h.kind, h.institution, h.ended_at) for h in hops] == [
        (Assignment.Kind.VERIFICATION, world.city, MON),
        (Assignment.Kind.ROUTE, world.department, None),
    ]
    event = last_event(report)
    assert event.data["institution_id"] == world.department.pk
    assert event.reason == "Ini usulan, bukan pengaduan."


def test_route_to_a_unit_makes_its_kld_responsible(world: World) -> None:
    report, _ = submit(world)  # the national queue
    world.route(report, world.unit)
    report = fresh(report)
    assert (report.queue_institution, report.responsible_institution) == (world.unit, world.city)
    other, _ = submit(world)
    world.route(other, world.ministry)
    assert fresh(other).responsible_institution == world.ministry


@pytest.mark.parametrize(
    ("report_type", "resolution_class", "ok"),
    [
        (ReportType.COMPLAINT, ResolutionClass.STANDARD, True),
        (ReportType.COMPLAINT, ResolutionClass.INVESTIGATION, True),
        (ReportType.COMPLAINT, ResolutionClass.SHORT, False),
        (ReportType.ASPIRATION, ResolutionClass.SHORT, True),
        (ReportType.ASPIRATION, ResolutionClass.STANDARD, False),
        (ReportType.INFORMATION, ResolutionClass.SHORT, True),
        (ReportType.INFORMATION, ResolutionClass.INVESTIGATION, False),
        (ReportType.INFORMATION, "", False),
    ],
)
def test_route_checks_the_class_against_the_type(
    world: World, report_type: str, resolution_class: str, ok: bool
) -> None:
    report, _ = to_city(world)
    call = {
        "actor": world.city_admin,
        "report": report,
        "institution": world.city,
        "report_type": report_type,
        "resolution_class": resolution_class,
    }
    if ok:
        services.route_report(**call)
        assert fresh(report).resolution_class == resolution_class
        return
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.route_report(**call)
    assert set(error.value.fields) == {"resolution_class"}


def test_completion_limit_follows_the_class(world: World) -> None:
    standard, _ = to_city(world)
    investigation, _ = to_city(world)
    with clock.at(MON):
        world.route(standard, world.city, resolution_class=ResolutionClass.STANDARD)
        world.route(investigation, world.city, resolution_class=ResolutionClass.INVESTIGATION)
    assert fresh(standard).completion_due_at == wita_end(7, 24)  # 14 working days
    # 60 working days reach past 17 August: not hand-counted; only the order is checked.
    assert fresh(investigation).completion_due_at > fresh(standard).completion_due_at


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("report_type", {"report_type": "keluhan"}),
        ("institution", {"institution": 999_999}),
        ("category", {"category": 999_999}),
    ],
)
def test_route_validates_its_input(world: World, field: str, kwargs: dict[str, Any]) -> None:
    report, _ = to_city(world)
    call = {
        "actor": world.city_admin,
        "report": report,
        "institution": world.city,
        "report_type": ReportType.COMPLAINT,
        "resolution_class": ResolutionClass.STANDARD,
        **kwargs,
    }
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.route_report(**call)
    assert set(error.value.fields) == {field}


def test_route_refuses_an_inactive_institution(world: World) -> None:
    report, _ = to_city(world)
    world.other_city.is_active = False
    world.other_city.save()
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.route_report(
            actor=world.national_admin,
            report=report,
            institution=world.other_city,
            report_type=ReportType.COMPLAINT,
            resolution_class=ResolutionClass.STANDARD,
        )
    assert set(error.value.fields) == {"institution"}


@pytest.mark.parametrize("target", ["other_city", "other_department", "ministry", "province"])
def test_institution_admin_cannot_route_outside_their_subtree(world: World, target: str) -> None:
    report, _ = to_city(world)
    with writes_nothing(report), pytest.raises(NotAllowed):
        services.route_report(
            actor=world.city_admin,
            report=report,
            institution=getattr(world, target),
            report_type=ReportType.COMPLAINT,
            resolution_class=ResolutionClass.STANDARD,
        )


def test_province_admin_routes_within_the_province(world: World) -> None:
    report, _ = to_city(world)
    services.route_report(
        actor=world.province_admin,
        report=report,
        institution=world.other_city,
        report_type=ReportType.COMPLAINT,
        resolution_class=ResolutionClass.STANDARD,
    )
    assert fresh(report).responsible_institution == world.other_city


def test_nobody_routes_to_the_national_body(world: World) -> None:
    report, _ = submit(world)
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        world.route(report, world.national)
    assert set(error.value.fields) == {"institution"}


def test_the_national_queue_is_the_national_admins_alone(world: World) -> None:
    report, _ = submit(world)
    for admin in (world.province_admin, world.city_admin, world.ministry_admin):
        with writes_nothing(report), pytest.raises(NotAllowed):
            route_to_city(world, report, actor=admin)
    route_to_city(world, report, actor=world.national_admin)
    assert fresh(report).state == State.ROUTED


def test_unknown_report_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        services.hold_report(actor=world.national_admin, report=999_999, question="Siapa?")


# --- forward -------------------------------------------------------------------------------


def test_forward_goes_down_keeps_the_clock_and_records_the_hop(world: World) -> None:
    report, _ = routed(world)
    due = (report.first_response_due_at, report.completion_due_at, report.routed_at)
    first = datetime(2026, 7, 7, 10, 0, tzinfo=WITA)
    second = datetime(2026, 7, 9, 14, 0, tzinfo=WITA)
    with clock.at(first):
        services.forward_report(actor=world.city_admin, report=report, institution=world.department)
    with clock.at(second):
        services.forward_report(actor=world.officer, report=report, institution=world.unit)
    report = fresh(report)
    assert (report.state, report.queue_institution) == (State.ROUTED, world.unit)
    assert report.responsible_institution == world.city
    assert (report.first_response_due_at, report.completion_due_at, report.routed_at) == due
    hops = [
        (h.kind, h.institution, h.assigned_by, h.started_at, h.ended_at)
        for h in Assignment.objects.filter(report=report).order_by("pk")
    ]
    assert hops[1:] == [
        (Assignment.Kind.ROUTE, world.city, world.city_admin, MON, first),
        (Assignment.Kind.FORWARD, world.department, world.city_admin, first, second),
        (Assignment.Kind.FORWARD, world.unit, world.officer, second, None),
    ]
    event = last_event(report)
    assert (event.action, event.is_public) == ("forward", False)
    assert event.data["from_institution_id"] == world.department.pk


@pytest.mark.parametrize(
    ("placement", "actor", "target"),
    [
        (CITY, "city_admin", "city"),  # not strictly down
        (DEPARTMENT, "officer", "city"),  # up
        (DEPARTMENT, "officer", "department"),  # itself
        (CITY, "city_admin", "other_department"),  # sideways, another city
        (CITY, "province_admin", "other_city"),  # sideways inside the actor's scope
        (DEPARTMENT, "officer", "other_department"),
    ],
)
def test_forward_only_strictly_down(world: World, placement: str, actor: str, target: str) -> None:
    report, _ = routed(world, placement)
    with writes_nothing(report), pytest.raises(NotAllowed):
        services.forward_report(
            actor=getattr(world, actor), report=report, institution=getattr(world, target)
        )


def test_forward_to_an_unknown_unit(world: World) -> None:
    report, _ = routed(world)
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.forward_report(actor=world.city_admin, report=report, institution=999_999)
    assert set(error.value.fields) == {"institution"}


# --- decline ("not our authority") ---------------------------------------------------------


@pytest.mark.parametrize("state", [State.ROUTED, State.IN_PROGRESS])
def test_decline_by_the_kld_counts_a_bounce_and_goes_to_the_parents_queue(
    world: World, state: str
) -> None:
    report, _ = drive(world, state, start=MON)
    declined_at = datetime(2026, 7, 7, 10, 0, tzinfo=WITA)
    with clock.at(declined_at):
        services.decline_report(actor=world.city_admin, report=report, reason="Urusan provinsi.")
    report = fresh(report)
    assert report.state == State.AWAITING_VERIFICATION
    assert report.bounce_count == 1
    assert not report.needs_national_decision
    assert report.queue_institution == world.province
    assert report.responsible_institution is None
    assert (report.routed_at, report.completion_due_at, report.first_response_due_at) == (
        None,
        None,
        None,
    )
    # The next K/L/D starts afresh: no first response, no extension carried over.
    assert (report.first_response_at, report.extension_days) == (None, 0)
    assert report.verification_started_at == declined_at
    assert report.verification_due_at == wita_end(7, 10)  # 3 working days after Tuesday
    event = last_event(report)
    assert event.data["previous_completion_due_at"] == wita_end(7, 24).isoformat()
    assert event.data["bounce_count"] == 1
    hop = Assignment.objects.filter(report=report).order_by("pk").last()
    assert (hop.kind, hop.institution, hop.ended_at) == (
        Assignment.Kind.VERIFICATION,
        world.province,
        None,
    )


def test_a_ministry_declines_to_the_national_queue(world: World) -> None:
    report, _ = submit(world)
    world.route(report, world.ministry)
    services.decline_report(actor=world.ministry_admin, report=report, reason="Bukan kami.")
    report = fresh(report)
    assert (report.queue_institution, report.bounce_count) == (None, 1)


def test_after_the_bounce_limit_only_the_national_admin_routes(world: World) -> None:
    assert DeadlinePolicy.objects.get_or_create(pk=1)[0].max_bounces == 2
    report, _ = routed(world)
    services.decline_report(actor=world.city_admin, report=report, reason="Urusan provinsi.")
    services.route_report(
        actor=world.province_admin,
        report=report,
        institution=world.other_city,
        report_type=ReportType.COMPLAINT,
        resolution_class=ResolutionClass.STANDARD,
    )
    services.decline_report(actor=world.other_admin, report=report, reason="Bukan wilayah kami.")
    report = fresh(report)
    assert (report.bounce_count, report.needs_national_decision) == (2, True)
    assert report.queue_institution is None
    for admin in (world.province_admin, world.city_admin, world.other_admin):
        with writes_nothing(report), pytest.raises(NotAllowed):
            route_to_city(world, report, actor=admin)
    route_to_city(world, report, actor=world.national_admin)
    report = fresh(report)
    assert (report.state, report.needs_national_decision, report.bounce_count) == (
        State.ROUTED,
        False,
        2,
    )


def test_decline_by_a_unit_stays_inside_the_institution_and_keeps_the_clock(
    world: World,
) -> None:
    report, _ = routed(world, DEPARTMENT)
    with clock.at(MON + timedelta(hours=1)):
        services.post_follow_up(actor=world.officer, report=report, message="Kami periksa.")
    report = fresh(report)
    clock_before = (report.routed_at, report.completion_due_at, report.first_response_at)
    with clock.at(datetime(2026, 7, 8, 9, 0, tzinfo=WITA)):
        services.decline_report(actor=world.officer, report=report, reason="Urusan dinas lain.")
    report = fresh(report)
    assert report.state == State.AWAITING_VERIFICATION
    assert (report.queue_institution, report.responsible_institution) == (world.city, world.city)
    assert report.bounce_count == 0
    assert (report.routed_at, report.completion_due_at, report.first_response_at) == clock_before
    # Routed again inside the same K/L/D: the completion clock still runs from the first routing.
    with clock.at(datetime(2026, 7, 9, 9, 0, tzinfo=WITA)):
        route_to_city(world, report)
    report = fresh(report)
    assert (report.routed_at, report.completion_due_at, report.first_response_at) == clock_before
    assert last_event(report).data["clock_kept"] is True


@pytest.mark.parametrize("close", ["archive", "expire_hold"])
def test_closing_a_report_a_unit_handed_back_stops_its_clock(world: World, close: str) -> None:
    # A unit's "not our authority" keeps the K/L/D's completion clock while the city re-decides;
    # if the city then closes the report instead, no deadline may stay behind on it.
    report, _ = routed(world, DEPARTMENT)
    with clock.at(MON):
        services.decline_report(actor=world.officer, report=report, reason="Bukan dinas kami.")
    assert fresh(report).completion_due_at == wita_end(7, 24)
    with clock.at(MON):
        if close == "archive":
            services.archive_report(
                actor=world.city_admin, report=report, reason_code=ArchiveReason.OUT_OF_SCOPE
            )
        else:
            services.hold_report(actor=world.city_admin, report=report, question="Maksudnya?")
    if close == "expire_hold":
        with clock.at(datetime(2026, 8, 3, 9, 0, tzinfo=WITA)):
            services.expire_hold(actor=SYSTEM, report=report)
    report = fresh(report)
    assert report.state == State.ARCHIVED
    assert (report.first_response_due_at, report.completion_due_at) == (None, None)
    assert (report.verification_due_at, report.clarification_due_at) == (None, None)


def test_decline_needs_a_reason(world: World) -> None:
    report, _ = routed(world)
    with writes_nothing(report), pytest.raises(ValidationError):
        services.decline_report(actor=world.city_admin, report=report, reason="")


# --- follow-up, answer, reopen, confirm, close, rate --------------------------------------


def test_follow_up_sets_the_first_response_once(world: World) -> None:
    report, _ = routed(world, DEPARTMENT)
    assert report.first_response_due_at == wita_end(7, 13)
    note_at, first_at, second_at = (MON + timedelta(hours=h) for h in (1, 2, 3))
    with clock.at(note_at):
        services.post_follow_up(
            actor=world.officer, report=report, message="Catatan internal.", is_public=False
        )
    # An internal note is no response to the reporter.
    assert fresh(report).first_response_at is None
    assert fresh(report).first_response_due_at == wita_end(7, 13)
    with clock.at(first_at):
        services.post_follow_up(actor=world.officer, report=report, message="Kami periksa.")
    with clock.at(second_at):
        services.post_follow_up(actor=world.officer, report=report, message="Masih berjalan.")
    report = fresh(report)
    assert report.state == State.IN_PROGRESS
    assert report.first_response_at == first_at
    assert report.first_response_due_at is None
    assert report.completion_due_at == wita_end(7, 24)


def test_answer_opens_the_reporters_window(world: World) -> None:
    report, _ = routed(world, DEPARTMENT)
    answered_at = datetime(2026, 7, 8, 10, 0, tzinfo=WITA)
    with clock.at(answered_at):
        services.post_answer(actor=world.officer, report=report, message="Sudah ditindak.")
    report = fresh(report)
    assert report.state == State.ANSWERED
    assert report.answered_at == report.first_response_at == answered_at
    assert report.completion_due_at is None
    # 10 working days after Wednesday 8 July: Wednesday 22 July.
    assert report.reporter_window_due_at == wita_end(7, 22)
    assert last_event(report).data == {
        "completion_due_at": wita_end(7, 24).isoformat(),
        "on_time": True,
    }


def test_reopen_hands_the_report_back_on_the_original_clock(world: World) -> None:
    report, reporter = drive(world, State.ANSWERED, placement=DEPARTMENT, start=MON)
    with clock.at(MON + timedelta(days=1)):
        services.reopen_report(actor=reporter, report=report, message="Pungutan masih ada.")
    report = fresh(report)
    assert report.state == State.IN_PROGRESS
    assert report.reporter_window_due_at is None
    assert report.completion_due_at == wita_end(7, 24)
    assert report.queue_institution == world.department


@pytest.mark.parametrize("rating", [1, 5, None])
def test_confirm_with_a_rating(world: World, rating: int | None) -> None:
    report, reporter = drive(world, State.ANSWERED, start=MON)
    services.confirm_report(actor=reporter, report=report, rating=rating, comment=" Cepat. ")
    report = fresh(report)
    assert report.state == State.FINISHED
    assert report.satisfaction_rating == rating
    assert report.closed_at is not None
    assert report.reporter_window_due_at is None
    assert not Assignment.objects.filter(report=report, ended_at__isnull=True).exists()


@pytest.mark.parametrize("rating", [0, 6, -1, True, False, "5", 2.5])
def test_confirm_refuses_a_bad_rating(world: World, rating: Any) -> None:
    report, reporter = drive(world, State.ANSWERED, start=MON)
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.confirm_report(actor=reporter, report=report, rating=rating)
    assert set(error.value.fields) == {"rating"}


def test_close_after_window_only_after_the_window(world: World) -> None:
    report, _ = drive(world, State.ANSWERED, start=MON)
    due = report.reporter_window_due_at
    assert due == wita_end(7, 20)  # answered Monday 6 July: 10 working days
    with clock.at(due), writes_nothing(report), pytest.raises(InvalidTransition):
        services.close_after_window(actor=SYSTEM, report=report)
    with clock.at(due + timedelta(microseconds=1)):
        services.close_after_window(actor=SYSTEM, report=report)
    report = fresh(report)
    assert (report.state, report.closed_at) == (State.FINISHED, due + timedelta(microseconds=1))
    assert report.satisfaction_rating is None


def test_rate_once(world: World) -> None:
    report, reporter = drive(world, State.FINISHED, start=MON)
    services.rate_report(actor=reporter, report=report, rating=4, comment="Baik.")
    report = fresh(report)
    assert (report.satisfaction_rating, report.satisfaction_comment) == (4, "Baik.")
    event = last_event(report)
    assert (event.action, event.is_public, event.data) == ("rate", False, {"rating": 4})
    with writes_nothing(report), pytest.raises(InvalidTransition):
        services.rate_report(actor=reporter, report=report, rating=1)


def test_a_rating_given_on_confirm_cannot_be_given_again(world: World) -> None:
    report, reporter = drive(world, State.ANSWERED, start=MON)
    services.confirm_report(actor=reporter, report=report, rating=3)
    with writes_nothing(report), pytest.raises(InvalidTransition):
        services.rate_report(actor=reporter, report=report, rating=5)


@pytest.mark.parametrize("rating", [0, 6, True, None])
def test_rate_refuses_a_bad_rating(world: World, rating: Any) -> None:
    report, reporter = drive(world, State.FINISHED, start=MON)
    with writes_nothing(report), pytest.raises(ValidationError):
        services.rate_report(actor=reporter, report=report, rating=rating)


# --- extend --------------------------------------------------------------------------------


def test_extend_moves_the_deadline_by_exactly_that_many_working_days(world: World) -> None:
    report, _ = routed(world, DEPARTMENT)
    assert report.completion_due_at == wita_end(7, 24)  # Friday
    with clock.at(MON + timedelta(days=1)):
        services.extend_deadline(actor=world.officer, report=report, days=3, reason="Uji lab.")
    report = fresh(report)
    # Three working days after Friday 24 July, over the weekend: Mon 27, Tue 28, Wed 29.
    assert report.completion_due_at == wita_end(7, 29)
    assert report.extension_days == 3
    assert report.state == State.ROUTED
    assert last_event(report).data == {
        "days": 3,
        "previous_due_at": wita_end(7, 24).isoformat(),
        "total_extension_days": 3,
    }


def test_extension_is_bounded_by_the_policy(world: World) -> None:
    assert DeadlinePolicy.objects.get_or_create(pk=1)[0].max_extension_days == 14
    report, _ = routed(world)
    with clock.at(MON):
        with writes_nothing(report), pytest.raises(ValidationError) as error:
            services.extend_deadline(actor=world.city_admin, report=report, days=15, reason="Lama.")
        assert set(error.value.fields) == {"days"}
        services.extend_deadline(actor=world.city_admin, report=report, days=10, reason="Lama.")
        with writes_nothing(report), pytest.raises(ValidationError) as error:
            services.extend_deadline(actor=world.city_admin, report=report, days=5, reason="Lagi.")
        assert set(error.value.fields) == {"days"}
        services.extend_deadline(actor=world.national_admin, report=report, days=4, reason="Akhir.")
    assert fresh(report).extension_days == 14


@pytest.mark.parametrize("days", [0, -2, True, "3", 1.5])
def test_extension_needs_whole_positive_days(world: World, days: Any) -> None:
    report, _ = routed(world)
    with writes_nothing(report), pytest.raises(ValidationError) as error:
        services.extend_deadline(actor=world.city_admin, report=report, days=days, reason="Lama.")
    assert set(error.value.fields) == {"days"}


def test_extension_only_before_the_deadline(world: World) -> None:
    report, _ = routed(world)
    due = report.completion_due_at
    with clock.at(due):
        services.extend_deadline(actor=world.city_admin, report=report, days=1, reason="Tepat.")
    due = fresh(report).completion_due_at
    with (
        clock.at(due + timedelta(microseconds=1)),
        writes_nothing(report),
        pytest.raises(ValidationError) as error,
    ):
        services.extend_deadline(actor=world.city_admin, report=report, days=1, reason="Telat.")
    assert error.value.code == "deadline_passed"


# --- the Ombudsman -------------------------------------------------------------------------


def test_consent_and_escalate_only_after_the_deadline_and_only_with_consent(
    world: World,
) -> None:
    report, reporter = routed(world, DEPARTMENT)
    due = report.completion_due_at
    after = due + timedelta(microseconds=1)
    with clock.at(due), writes_nothing(report), pytest.raises(InvalidTransition):
        services.consent_to_ombudsman(actor=reporter, report=report)
    with time_machine.travel(after, tick=False):
        with writes_nothing(report), pytest.raises(InvalidTransition):
            services.escalate_to_ombudsman(actor=world.city_admin, report=report)
        services.consent_to_ombudsman(actor=reporter, report=report)
        assert fresh(report).ombudsman_consent_at == after
        assert fresh(report).state == State.ROUTED
        with writes_nothing(report), pytest.raises(InvalidTransition):
            services.consent_to_ombudsman(actor=reporter, report=report)
    escalated_at = after + timedelta(days=1)
    with time_machine.travel(escalated_at, tick=False):
        services.escalate_to_ombudsman(actor=world.city_admin, report=report, note="Lewat batas.")
    report = fresh(report)
    assert report.state == State.ESCALATED
    assert report.escalated_at == report.closed_at == escalated_at
    assert report.completion_due_at is None
    assert last_event(report).data == {"overdue_since": due.isoformat()}
    assert not Assignment.objects.filter(report=report, ended_at__isnull=True).exists()


# --- the record ----------------------------------------------------------------------------


def test_events_are_immutable(world: World) -> None:
    report, _ = routed(world)
    event = last_event(report)
    before = list(ReportEvent.objects.filter(report=report).values())
    event.reason = "diubah"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        ReportEvent.objects.update(reason="diubah")
    with pytest.raises(PermissionError):
        ReportEvent.objects.filter(pk=event.pk).update(reason="diubah")
    with pytest.raises(PermissionError):
        report.events.update(reason="diubah")
    with pytest.raises(PermissionError):
        ReportEvent.objects.delete()
    with pytest.raises(PermissionError):
        ReportEvent.objects.filter(report=report).delete()
    # bulk_update runs in an atomic block of its own; the refusal must not poison the test's.
    with pytest.raises(PermissionError), transaction.atomic():
        ReportEvent.objects.bulk_update([event], ["reason"])
    assert list(ReportEvent.objects.filter(report=report).values()) == before


def test_every_move_appends_one_numbered_event(world: World) -> None:
    report, _ = drive(world, State.FINISHED, placement=DEPARTMENT, start=MON)
    events = list(ReportEvent.objects.filter(report=report).order_by("sequence"))
    assert [e.action for e in events] == [
        "submit",
        "route",
        "forward",
        "follow_up",
        "answer",
        "confirm",
    ]
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5, 6]
    assert fresh(report).last_event_sequence == 6
    assert [e.to_state for e in events[:-1]] == [e.from_state for e in events[1:]]


# --- identity ------------------------------------------------------------------------------


def test_only_a_national_admin_reveals_an_anonymous_reporter_and_each_look_is_logged(
    world: World,
) -> None:
    report, _ = submit(world, is_anonymous=True)
    identity = services.reveal_reporter_identity(
        actor=world.national_admin, report=report, purpose="Permintaan Ombudsman."
    )
    assert (identity.nik, identity.phone, identity.email) == (
        "6472011234560001",
        "081234567890",
        world.reporter.email,
    )
    services.reveal_reporter_identity(
        actor=world.national_admin, report=report, purpose="Klarifikasi kedua."
    )
    accesses = list(IdentityAccess.objects.filter(report=report).order_by("pk"))
    assert [(a.user, a.purpose) for a in accesses] == [
        (world.national_admin, "Permintaan Ombudsman."),
        (world.national_admin, "Klarifikasi kedua."),
    ]
    for name in ("auditor", "province_admin", "city_admin", "officer", "leader", "reporter"):
        with pytest.raises(NotAllowed):
            services.reveal_reporter_identity(
                actor=getattr(world, name), report=report, purpose="Ingin tahu."
            )
    with pytest.raises(ValidationError):
        services.reveal_reporter_identity(actor=world.national_admin, report=report, purpose=" ")
    assert IdentityAccess.objects.count() == 2
    with pytest.raises(PermissionError):
        IdentityAccess.objects.update(purpose="dihapus")


def test_an_inactive_national_membership_reveals_nothing(world: World) -> None:
    report, _ = submit(world, is_anonymous=True)
    world.national_admin.memberships.update(is_active=False)
    with pytest.raises(NotAllowed):
        services.reveal_reporter_identity(
            actor=world.national_admin, report=report, purpose="Coba."
        )
    assert not IdentityAccess.objects.exists()


def test_identity_of_a_guest_is_the_contact_given(world: World) -> None:
    report, _ = submit(
        world, by="guest", is_anonymous=True, contact_name="Budi", contact_phone="0812 1111 2222"
    )
    identity = services.reveal_reporter_identity(
        actor=world.national_admin, report=report, purpose="Tindak lanjut."
    )
    assert (identity.name, identity.phone, identity.nik) == ("Budi", "081211112222", "")


# --- deadlines ------------------------------------------------------------------------------


def test_completion_deadline_in_a_wita_institution(world: World) -> None:
    # Pemkot Samarinda (64.72) counts in WITA. Routed on Monday 6 July 2026 at 09:00 WITA
    # (01:00 UTC) as a pengaduan without investigation: 14 working days counted from Tuesday 7
    # July, skipping the weekends of 11-12 and 18-19 July, end on Friday 24 July; the end of
    # that day in WITA (UTC+8) is 23:59:59.999999 local = 15:59:59.999999 UTC.
    assert world.city.effective_timezone == "Asia/Makassar"
    with time_machine.travel(MON, tick=False):
        report, _ = submit(world, suggested_institution_id=world.city.pk)
        route_to_city(world, report)
    report = fresh(report)
    assert report.routed_at == datetime(2026, 7, 6, 1, 0, tzinfo=UTC)
    assert report.completion_due_at == datetime(2026, 7, 24, 15, 59, 59, 999999, tzinfo=UTC)
    # First response: 5 working days -> Monday 13 July.
    assert report.first_response_due_at == datetime(2026, 7, 13, 15, 59, 59, 999999, tzinfo=UTC)


def test_the_local_date_of_the_event_is_taken_in_the_institutions_zone(world: World) -> None:
    # 23:30 WIB on Monday 6 July is 00:30 WITA on Tuesday 7 July: for Samarinda the count
    # starts after Tuesday, so 14 working days end on Monday 27 July; a WIB ministry counts
    # from Monday and ends on Friday 24 July (16:59:59.999999 UTC).
    late_monday = datetime(2026, 7, 6, 23, 30, tzinfo=WIB)
    with clock.at(late_monday):
        city, _ = submit(world)
        ministry, _ = submit(world)
        route_to_city(world, city, actor=world.national_admin)
        world.route(ministry, world.ministry)
    assert fresh(city).completion_due_at == wita_end(7, 27)
    assert fresh(ministry).completion_due_at == wib_end(7, 24)


def test_a_weekend_event_counts_from_the_next_working_day(world: World) -> None:
    saturday = datetime(2026, 7, 4, 10, 0, tzinfo=WITA)
    with clock.at(saturday):
        report, _ = submit(world, suggested_institution_id=world.city.pk)
    # Mon 6, Tue 7, Wed 8.
    assert fresh(report).verification_due_at == wita_end(7, 8)


def test_recompute_after_a_holiday_moves_the_affected_deadlines_once(world: World) -> None:
    city, _ = routed(world)  # due Friday 24 July, WITA
    waiting, _ = to_city(world)  # verification due Thursday 9 July
    ministry, _ = submit(world)
    with clock.at(MON):
        world.route(ministry, world.ministry)  # WIB, no province: national holidays only
    finished, _ = drive(world, State.FINISHED, start=MON)
    untouched = {r.pk: snapshot(r) for r in (ministry, finished)}
    events_before = ReportEvent.objects.count()

    kaltim = Region.objects.get(code="64")
    add_holiday(
        actor=world.national_admin,
        date=date(2026, 7, 8),
        name="Libur daerah Kalimantan Timur",
        kind=Holiday.Kind.REGIONAL,
        province=kaltim,
    )
    changed = services.recompute_open_deadlines(reason="Kalender berubah.")

    assert changed == 2
    city, waiting = fresh(city), fresh(waiting)
    # Wednesday 8 July no longer counts in Kalimantan Timur: every count across it ends a
    # working day later.
    assert city.completion_due_at == wita_end(7, 27)
    assert city.first_response_due_at == wita_end(7, 14)
    assert waiting.verification_due_at == wita_end(7, 10)
    assert {r.pk: snapshot(r) for r in (ministry, finished)} == untouched
    event = last_event(city)
    assert (event.action, event.actor, event.actor_role, event.is_public) == (
        "deadlines_recomputed",
        None,
        "system",
        False,
    )
    assert event.from_state == event.to_state == State.ROUTED
    assert event.data["completion_due_at"] == {
        "from": wita_end(7, 24).isoformat(),
        "to": wita_end(7, 27).isoformat(),
    }
    assert ReportEvent.objects.count() == events_before + 2

    assert services.recompute_open_deadlines(reason="Sekali lagi.") == 0
    assert ReportEvent.objects.count() == events_before + 2


def test_recompute_in_small_batches_reaches_every_report(world: World) -> None:
    reports = [to_city(world)[0] for _ in range(5)]
    add_holiday(
        actor=world.national_admin,
        date=date(2026, 7, 7),
        name="Libur nasional",
        kind=Holiday.Kind.NATIONAL,
    )
    assert services.recompute_open_deadlines(reason="Uji.", batch_size=2) == 5
    assert {fresh(r).verification_due_at for r in reports} == {wita_end(7, 10)}


def test_a_changed_policy_applies_from_the_next_move(world: World) -> None:
    policy = DeadlinePolicy.objects.get_or_create(pk=1)[0]
    policy.verification_days = 5
    policy.save()
    report, _ = to_city(world)
    assert report.verification_due_at == wita_end(7, 13)


# --- roles that exist only in scope --------------------------------------------------------


@pytest.mark.parametrize(
    ("placement", "actor"),
    [
        (CITY, "officer"),  # a department officer has no say over the city's desk
        (DEPARTMENT, "unit_officer"),  # nor a unit over its department's
        (DEPARTMENT, "other_officer"),
        (DEPARTMENT, "leader"),
    ],
)
def test_officers_act_only_at_or_below_their_unit(world: World, placement: str, actor: str) -> None:
    report, _ = routed(world, placement)
    with writes_nothing(report), pytest.raises(NotAllowed):
        services.post_follow_up(actor=getattr(world, actor), report=report, message="Halo.")


def test_a_second_membership_in_scope_is_enough(world: World) -> None:
    report, _ = routed(world, DEPARTMENT)
    helper = make_staff(Role.UNIT_OFFICER, world.department)
    services.post_follow_up(actor=helper, report=report, message="Kami bantu.")
    assert last_event(report).actor == helper


def test_an_inactive_institution_gives_no_role(world: World) -> None:
    report, _ = routed(world, DEPARTMENT)
    world.department.is_active = False
    world.department.save()
    with writes_nothing(report), pytest.raises(NotAllowed):
        services.post_follow_up(actor=world.officer, report=report, message="Halo.")


def test_a_new_unit_under_the_department_is_in_the_officers_scope(world: World) -> None:
    report, _ = routed(world, DEPARTMENT)
    new_unit = make_institution("SD Negeri 002 Samarinda", "unit", world.department, "64.72")
    services.forward_report(actor=world.officer, report=report, institution=new_unit)
    assert fresh(report).queue_institution == new_unit


@pytest.mark.parametrize(
    ("now", "colour", "elapsed"),
    [
        (MON + timedelta(hours=1), "green", 0),
        (datetime(2026, 7, 8, 10, 0, tzinfo=WITA), "green", 2),  # 2 of 3 days: 67 %
        (datetime(2026, 7, 9, 10, 0, tzinfo=WITA), "yellow", 3),  # the last day: past 80 %
        (wita_end(7, 9), "yellow", 3),
        (wita_end(7, 9) + timedelta(microseconds=1), "red", 4),
    ],
)
def test_stage_clock_colours(world: World, now: datetime, colour: str, elapsed: int) -> None:
    report, _ = to_city(world)
    policy = DeadlinePolicy.objects.get_or_create(pk=1)[0]
    stage = stage_clock(report, policy, now)
    assert stage is not None
    assert (stage.stage, stage.limit_days, stage.due_at) == ("verification", 3, wita_end(7, 9))
    assert (stage.colour, stage.elapsed_days) == (colour, elapsed)


def test_stage_clock_follows_the_open_stage(world: World) -> None:
    policy = DeadlinePolicy.objects.get_or_create(pk=1)[0]
    report, _ = routed(world)
    stage = stage_clock(report, policy, MON)
    assert stage is not None
    assert (stage.stage, stage.limit_days, stage.due_at) == ("completion", 14, wita_end(7, 24))
    held, _ = drive(world, State.ON_HOLD, start=MON)
    stage = stage_clock(held, policy, MON)
    assert stage is not None
    assert (stage.stage, stage.due_at) == ("clarification", wita_end(7, 20))
    finished, _ = drive(world, State.FINISHED, start=MON)
    assert stage_clock(finished, policy, MON) is None
