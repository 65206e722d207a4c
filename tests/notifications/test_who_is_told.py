"""Who is told what, for every event type: the reporter and the staff whose desk it reaches.

Events are produced by the real services (and, for the sweeper's events, written the way the
sweeper writes them); `notifications_for_event` is what the after-commit receiver calls.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.institutions.models import Institution
from lapor.lib import clock
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.actors import SYSTEM
from lapor.reports.models import ArchiveReason, Report, ReportType, ResolutionClass
from tests.factories import World, fresh, submit
from tests.notifications.helpers import notify_last, sweeper_event

pytestmark = pytest.mark.django_db

Told = set[tuple[str, str, str, str]]


def told(notifications: list[Notification]) -> Told:
    """(audience, kind, who, channel) of each message: who = username, or the address."""
    return {
        (n.audience, n.kind, n.recipient.username if n.recipient else n.address, n.channel)
        for n in notifications
    }


def reporter_gets(world: World, kind: str) -> Told:
    name = world.reporter.username
    return {("reporter", kind, name, "email"), ("reporter", kind, name, "sms")}


def staff_get(kind: str, *users: object) -> Told:
    return {("staff", kind, u.username, "email") for u in users}  # type: ignore[attr-defined]


def routed(world: World, target: Institution | None = None) -> Report:
    report, _ = submit(world)
    return world.route(report, target or world.city)


def test_submission_tells_the_reporter_and_nobody_at_the_national_desk(world: World) -> None:
    report, _ = submit(world)
    assert told(notify_last(report)) == reporter_gets(world, "submit")


def test_submission_to_an_institution_is_new_work_for_its_verifiers(world: World) -> None:
    report, _ = submit(world, suggested_institution_id=world.city.pk)
    expected = reporter_gets(world, "submit") | staff_get(
        "new_work", world.city_admin, world.province_admin
    )
    assert told(notify_last(report)) == expected


def test_a_guest_is_told_at_every_address_given(world: World) -> None:
    report, _ = submit(
        world, by="guest", contact_email="tamu@contoh.id", contact_phone="081311112222"
    )
    notes = notify_last(report)
    assert told(notes) == {
        ("reporter", "submit", "tamu@contoh.id", "email"),
        ("reporter", "submit", "081311112222", "sms"),
    }
    assert all(n.recipient is None for n in notes)


def test_routing_tells_the_reporter_and_the_handlers_of_the_institution(world: World) -> None:
    report, _ = submit(world)
    world.route(report, world.department)
    expected = reporter_gets(world, "route") | staff_get(
        "new_work", world.city_admin, world.province_admin, world.officer
    )
    assert told(notify_last(report)) == expected


def test_forwarding_is_new_work_below_and_not_told_to_the_one_who_forwarded(world: World) -> None:
    report = routed(world)
    services.forward_report(actor=world.city_admin, report=report, institution=world.unit)
    # Internal move: the reporter hears nothing; the city admin acted and is left out.
    assert told(notify_last(report)) == staff_get(
        "new_work", world.province_admin, world.officer, world.unit_officer
    )


def test_public_follow_up_reaches_the_reporter_an_internal_note_does_not(world: World) -> None:
    report = routed(world)
    services.post_follow_up(
        actor=world.city_admin, report=report, message="Catatan internal.", is_public=False
    )
    assert notify_last(report) == []
    services.post_follow_up(actor=world.city_admin, report=report, message="Sedang diperiksa.")
    notes = notify_last(report)
    assert told(notes) == reporter_gets(world, "follow_up")
    assert all("Sedang diperiksa." in n.body for n in notes)


def test_hold_question_goes_to_the_reporter_and_the_answer_to_the_verifiers(
    world: World,
) -> None:
    report, reporter = submit(world)
    services.hold_report(actor=world.national_admin, report=report, question="Di sekolah mana?")
    notes = notify_last(report)
    assert told(notes) == reporter_gets(world, "hold")
    assert all("Di sekolah mana?" in n.body for n in notes)
    services.clarify_report(actor=reporter, report=report, message="SD Negeri 001.")
    assert told(notify_last(report)) == staff_get("clarify", world.national_admin)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [(ArchiveReason.SPAM, "Spam"), (ArchiveReason.TOO_GENERAL, "Terlalu umum")],
)
def test_archiving_tells_the_reporter_the_reason(
    world: World, reason: ArchiveReason, expected: str
) -> None:
    report, _ = submit(world)
    services.archive_report(actor=world.national_admin, report=report, reason_code=reason)
    notes = notify_last(report)
    assert told(notes) == reporter_gets(world, "archive")
    assert all(f"Alasan: {expected}" in n.body for n in notes)


def test_archiving_a_duplicate_names_the_original(world: World) -> None:
    original, _ = submit(world)
    report, _ = submit(world)
    services.archive_report(
        actor=world.national_admin,
        report=report,
        reason_code=ArchiveReason.DUPLICATE,
        duplicate_of=original,
    )
    assert all(original.tracking_number in n.body for n in notify_last(report))


def test_an_expired_hold_is_archived_with_the_reason_no_clarification(world: World) -> None:
    report, _ = submit(world)
    services.hold_report(actor=world.national_admin, report=report, question="Kapan kejadiannya?")
    with clock.at(timezone.now() + timedelta(days=60)):
        services.expire_hold(actor=SYSTEM, report=report)
    notes = notify_last(report)
    assert told(notes) == reporter_gets(world, "archive")
    assert all("Tidak ada klarifikasi dari pelapor" in n.body for n in notes)


def test_decline_bounces_the_report_to_the_verifiers_one_level_up(world: World) -> None:
    report = routed(world)
    services.decline_report(actor=world.city_admin, report=report, reason="Wewenang provinsi.")
    assert fresh(report).queue_institution == world.province
    notes = notify_last(report)
    assert told(notes) == staff_get("decline", world.province_admin)
    assert "Pemerintah Kota Samarinda" in notes[0].body  # who handed it back


def test_answer_reopen_and_closing(world: World) -> None:
    report = routed(world)
    services.post_answer(actor=world.city_admin, report=report, message="Pungutan dihentikan.")
    notes = notify_last(report)
    assert told(notes) == reporter_gets(world, "answer")
    assert all("Pungutan dihentikan." in n.body for n in notes)

    services.reopen_report(actor=world.reporter, report=report, message="Masih dipungut.")
    assert told(notify_last(report)) == staff_get("reopen", world.city_admin, world.province_admin)

    services.post_answer(actor=world.city_admin, report=report, message="Sudah dikembalikan.")
    with clock.at(timezone.now() + timedelta(days=60)):
        services.close_after_window(actor=SYSTEM, report=report)
    assert told(notify_last(report)) == reporter_gets(world, "close_after_window")


def test_the_reporters_own_confirmation_tells_nobody(world: World) -> None:
    report = routed(world)
    services.post_answer(actor=world.city_admin, report=report, message="Selesai.")
    services.confirm_report(actor=world.reporter, report=report)
    assert notify_last(report) == []


def test_added_information_reaches_the_handlers(world: World) -> None:
    report = routed(world, world.department)
    services.add_information(actor=world.reporter, report=report, message="Ada foto baru.")
    assert told(notify_last(report)) == staff_get(
        "add_information", world.city_admin, world.province_admin, world.officer
    )


def test_escalation_to_the_ombudsman_is_told_to_the_reporter(world: World) -> None:
    report = routed(world)
    later = timezone.now() + timedelta(days=120)
    with clock.at(later):
        sweeper_event(report, "ombudsman_offered")
        assert told(notify_last(report)) == reporter_gets(world, "ombudsman_offered")
        services.consent_to_ombudsman(actor=world.reporter, report=report)
        assert notify_last(report) == []
        services.escalate_to_ombudsman(actor=world.national_admin, report=report)
    assert told(notify_last(report)) == reporter_gets(world, "escalate")


def test_deadline_warning_reaches_the_handlers_of_the_unit(world: World) -> None:
    report = routed(world, world.department)
    sweeper_event(report, "deadline_warning", stage="completion")
    notes = notify_last(report)
    assert told(notes) == staff_get(
        "deadline_warning", world.city_admin, world.province_admin, world.officer
    )
    assert all("penyelesaian" in n.body for n in notes)
    assert all("WITA" in n.body for n in notes)  # the institution's zone


def test_verification_reminder_reaches_the_verifiers(world: World) -> None:
    report, _ = submit(world, suggested_institution_id=world.city.pk)
    sweeper_event(report, "deadline_warning")
    assert told(notify_last(report)) == staff_get(
        "deadline_warning", world.city_admin, world.province_admin
    )


def test_overdue_goes_to_the_responsible_admins_and_the_level_above(world: World) -> None:
    report = routed(world, world.unit)
    sweeper_event(report, "overdue", stage="completion")
    notes = notify_last(report)
    assert told(notes) == staff_get("overdue", world.city_admin, world.province_admin)


def test_overdue_at_a_ministry_goes_up_to_the_national_admins(world: World) -> None:
    report, _ = submit(world)
    services.route_report(
        actor=world.national_admin,
        report=report,
        institution=world.ministry,
        report_type=ReportType.COMPLAINT,
        resolution_class=ResolutionClass.STANDARD,
    )
    sweeper_event(report, "overdue")
    assert told(notify_last(report)) == staff_get(
        "overdue", world.ministry_admin, world.national_admin
    )


def test_overdue_verification_in_the_national_queue_goes_to_the_national_admins(
    world: World,
) -> None:
    report, _ = submit(world)
    sweeper_event(report, "overdue", stage="verification")
    assert told(notify_last(report)) == staff_get("overdue", world.national_admin)


def test_inactive_and_erased_staff_are_not_told(world: World) -> None:
    world.province_admin.is_active = False
    world.province_admin.save()
    world.city_admin.memberships.update(is_active=False)
    report = routed(world, world.department)
    assert told(notify_last(report)) == reporter_gets(world, "route") | staff_get(
        "new_work", world.officer
    )


def test_unknown_events_tell_nobody(world: World) -> None:
    report = routed(world)
    sweeper_event(report, "deadlines_recomputed")
    assert notify_last(report) == []
