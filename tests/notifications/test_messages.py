"""What the messages say: language, links, channel choices, and what they must never say."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.accounts.models import User
from lapor.lib import clock
from lapor.notifications.models import Notification, NotificationPreference
from lapor.notifications.services import notifications_for_event
from lapor.reports import services
from lapor.reports.actors import SYSTEM, GuestActor
from lapor.reports.models import ArchiveReason, Report, ReportEvent
from tests.factories import World, make_user, report_input, submit
from tests.notifications.helpers import last_event, notify_all, notify_last, sweeper_event
from tests.outbox import run_announcements

pytestmark = pytest.mark.django_db


def prefer(user: User, **choices: bool) -> None:
    NotificationPreference.objects.update_or_create(user=user, defaults=choices)


# --- Language and links -------------------------------------------------------------------


def test_messages_are_in_indonesian_by_default_and_english_when_chosen(world: World) -> None:
    world.city_admin.language = "en"
    world.city_admin.save()
    report, _ = submit(world, suggested_institution_id=world.city.pk)
    notes = {n.recipient: n for n in notify_last(report) if n.channel == "email"}
    assert notes[world.reporter].subject.startswith("[LAPOR!] Laporan Anda diterima")
    assert "Yth. Pelapor" in notes[world.reporter].body
    assert notes[world.city_admin].subject.startswith("[LAPOR!] New work")
    assert "Dear officer" in notes[world.city_admin].body
    assert notes[world.city_admin].language == "en"
    assert notes[world.province_admin].subject.startswith("[LAPOR!] Tugas baru")


def test_english_reporter_gets_english_reason_labels(world: World) -> None:
    world.reporter.language = "en"
    world.reporter.save()
    report, _ = submit(world)
    services.archive_report(
        actor=world.national_admin, report=report, reason_code=ArchiveReason.OUT_OF_SCOPE
    )
    email = next(n for n in notify_last(report) if n.channel == "email")
    assert email.subject == f"[LAPOR!] Report {report.tracking_number} was archived"
    assert "Reason: outside the scope of public services" in email.body


def test_links_point_to_the_portal_for_reporters_and_the_workbench_for_staff(
    world: World,
) -> None:
    report, _ = submit(world, suggested_institution_id=world.city.pk)
    for note in notify_last(report):
        if note.audience == "reporter":
            assert f"https://lapor.example.id/lacak/{report.tracking_number}/" in note.body
            assert "ruang-kerja" not in note.body
        else:
            path = f"/ruang-kerja/laporan/{report.tracking_number}/"
            assert f"https://lapor.example.id{path}" in note.body


def test_an_sms_is_one_short_line_and_quotes_at_most_a_part_of_long_texts(world: World) -> None:
    report, _ = submit(world)
    world.route(report)
    long_text = "Hasil pemeriksaan lapangan. " * 100
    services.post_follow_up(actor=world.city_admin, report=report, message=long_text)
    notes = {n.channel: n for n in notify_last(report)}
    assert "\n" not in notes["sms"].body
    assert len(notes["sms"].body) < 480
    assert long_text.strip() in notes["email"].body  # e-mail quotes the whole follow-up


# --- Channel choices ----------------------------------------------------------------------


def test_default_is_email_and_sms_when_a_phone_is_known(world: World) -> None:
    report, _ = submit(world)  # the reporter has both
    assert {n.channel for n in notify_last(report)} == {"email", "sms"}
    citizen_report, _ = submit(world, by=world.citizen)  # e-mail only
    assert {n.channel for n in notify_last(citizen_report)} == {"email"}


@pytest.mark.parametrize(
    ("email", "sms", "channels"),
    [(True, False, {"email"}), (False, True, {"sms"}), (False, False, set())],
)
def test_each_person_chooses_their_channels(
    world: World, email: bool, sms: bool, channels: set[str]
) -> None:
    prefer(world.reporter, email=email, sms=sms)
    world.officer.phone = "081299990000"
    world.officer.save()
    prefer(world.officer, email=email, sms=sms)
    report, _ = submit(world)
    assert {n.channel for n in notify_last(report)} == channels
    world.route(report, world.department)
    officer = {n.channel for n in notify_last(report) if n.recipient == world.officer}
    assert officer == channels


def test_a_person_with_no_reachable_address_is_skipped(world: World) -> None:
    lonely = make_user(email="", phone="")
    report, _ = submit(world, by=lonely)
    assert notify_last(report) == []


# --- Idempotency --------------------------------------------------------------------------


def test_processing_an_event_twice_creates_no_duplicates(world: World) -> None:
    report, _ = submit(world, suggested_institution_id=world.city.pk)
    event = last_event(report)
    first = notifications_for_event(event)
    assert len(first) == 4  # reporter e-mail + SMS, two admins
    assert notifications_for_event(event) == []
    assert notifications_for_event(event.pk) == []
    assert Notification.objects.filter(event=event).count() == 4
    keys = list(Notification.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys))
    assert all(key.startswith(f"ev{event.pk}:") for key in keys)


def test_a_guest_key_does_not_contain_the_address(world: World) -> None:
    report, _ = submit(world, by="guest", contact_phone="081311112222")
    (note,) = notify_last(report)
    assert "081311112222" not in note.idempotency_key
    assert note.idempotency_key.endswith(":sms")


def test_the_receiver_creates_the_rows_and_enqueues_one_task_each_after_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report, _ = submit(world, suggested_institution_id=world.city.pk)
    assert not Notification.objects.exists()  # the submission itself waits for none of it
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        run_announcements()  # the worker's announcement task
    notes = Notification.objects.filter(report=report)
    assert notes.count() == 4
    assert all(n.status == "pending" for n in notes)
    tasks = DBTaskResult.objects.filter(task_path="lapor.notifications.tasks.send_notification")
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == sorted(n.pk for n in notes)


def test_the_move_succeeds_even_if_messages_cannot_be_created(
    world: World, django_capture_on_commit_callbacks: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("template store unavailable")

    monkeypatch.setattr("lapor.notifications.services.notifications_for_event", broken)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report, _ = submit(world)
        run_announcements()
    assert Report.objects.filter(pk=report.pk).exists()
    assert not Notification.objects.exists()


def test_replayed_history_tells_nobody_unless_asked(world: World) -> None:
    with clock.at(timezone.now() - timedelta(days=30)):
        report, _ = submit(world)
    event = last_event(report)
    assert notifications_for_event(event) == []
    assert len(notifications_for_event(event, include_history=True)) == 2


# --- Never the secret ---------------------------------------------------------------------


def _guest_lifecycle(world: World, **contact: str) -> tuple[Report, str]:
    result = services.submit_report(
        actor=None, data=report_input(suggested_institution_id=world.city.pk, **contact)
    )
    report, secret = result.report, result.guest_secret
    services.hold_report(actor=world.city_admin, report=report, question="Mohon foto kuitansi.")
    guest = GuestActor(secret)
    services.clarify_report(actor=guest, report=report, message="Terlampir.")
    world.route(report)
    services.post_follow_up(actor=world.city_admin, report=report, message="Diperiksa.")
    services.post_answer(actor=world.city_admin, report=report, message="Selesai.")
    with clock.at(timezone.now() + timedelta(days=60)):
        services.close_after_window(actor=SYSTEM, report=report)
    notify_all(report)
    return report, secret


def test_no_message_ever_contains_a_guests_secret(world: World) -> None:
    report, secret = _guest_lifecycle(
        world, contact_email="tamu@contoh.id", contact_phone="081311112222"
    )
    notes = Notification.objects.filter(report=report)
    reporter_notes = notes.filter(audience="reporter")
    assert {n.kind for n in reporter_notes} == {
        "submit",
        "hold",
        "route",
        "follow_up",
        "answer",
        "close_after_window",
    }
    assert reporter_notes.filter(channel="sms").count() == 6
    for note in notes:
        assert secret not in note.subject + note.body + note.idempotency_key
    sms = reporter_notes.get(kind="submit", channel="sms")
    assert report.tracking_number in sms.body
    assert "tautan pribadi" in sms.body


# --- Never an anonymous reporter's identity to staff --------------------------------------

NIK, PHONE, EMAIL = "6472019876540002", "081298765432", "siti.rahma@contoh.id"
NAME = "Siti Rahmawati Anonimwati"


def _drive_for_staff(world: World, report: Report, reporter: object) -> None:
    """Every move that tells staff something, on one report."""
    services.hold_report(actor=world.city_admin, report=report, question="Kapan?")
    services.clarify_report(actor=reporter, report=report, message="Kemarin.")  # type: ignore[arg-type]
    world.route(report, world.city)
    services.forward_report(actor=world.city_admin, report=report, institution=world.department)
    services.add_information(actor=reporter, report=report, message=f"Saya {NAME}, {PHONE}.")  # type: ignore[arg-type]
    sweeper_event(report, "deadline_warning", stage="completion")
    sweeper_event(report, "overdue", stage="completion")
    services.post_answer(actor=world.officer, report=report, message="Sudah ditindak.")
    services.reopen_report(actor=reporter, report=report, message=f"Hubungi {EMAIL}.")  # type: ignore[arg-type]
    services.decline_report(actor=world.officer, report=report, reason="Bukan wewenang dinas.")


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonim", "plain"])
@pytest.mark.parametrize("reporter_kind", ["account", "guest"])
def test_staff_messages_never_reveal_an_anonymous_reporter(
    world: World, anonymous: bool, reporter_kind: str
) -> None:
    data = report_input(
        suggested_institution_id=world.city.pk,
        is_anonymous=anonymous,
        # A reporter who typed their contact data into the title: redacted in every message.
        title=f"Pungli sekolah, hubungi {PHONE} NIK {NIK}",
    )
    if reporter_kind == "account":
        person = make_user(full_name=NAME, nik=NIK, phone=PHONE, email=EMAIL)
        result = services.submit_report(actor=person, data=data)
        actor: object = person
    else:
        data = report_input(
            suggested_institution_id=world.city.pk,
            is_anonymous=anonymous,
            title=f"Pungli sekolah, hubungi {PHONE} NIK {NIK}",
            contact_name=NAME,
            contact_email=EMAIL,
            contact_phone=PHONE,
        )
        result = services.submit_report(actor=None, data=data)
        actor = GuestActor(result.guest_secret)
    report = result.report
    _drive_for_staff(world, report, actor)
    notify_all(report)

    staff = Notification.objects.filter(report=report, audience="staff")
    kinds = {n.kind for n in staff}
    assert kinds == {
        "new_work",
        "clarify",
        "add_information",
        "deadline_warning",
        "overdue",
        "reopen",
        "decline",
    }
    for note in staff:
        text = note.subject + "\n" + note.body
        for secret in (NIK, PHONE, EMAIL):
            assert secret not in text, (note.kind, text)
        if anonymous:
            assert "Siti" not in text and "Anonimwati" not in text, (note.kind, text)
            assert "Pelapor: Pelapor anonim" in text
        else:
            # A plain reporter is named (in full, or shortened for someone whose scope the
            # report has since left: the label follows reports.privacy).
            assert "Pelapor: Siti R" in text
    # The reporter's own messages reach them at their own addresses.
    to_reporter = Notification.objects.filter(report=report, audience="reporter")
    assert {n.address for n in to_reporter} == {EMAIL, PHONE}


def test_a_report_body_is_never_quoted_to_staff(world: World) -> None:
    report, _ = submit(world, suggested_institution_id=world.city.pk, body=f"Isi rahasia {PHONE}.")
    for note in notify_last(report):
        assert "Isi rahasia" not in note.body


def test_event_texts_are_redacted_when_quoted_to_the_reporter(world: World) -> None:
    report, _ = submit(world)
    world.route(report)
    services.post_follow_up(
        actor=world.city_admin, report=report, message=f"Petugas kami, {PHONE}, akan datang."
    )
    for note in notify_last(report):
        assert PHONE not in note.body
        assert "[nomor telepon disembunyikan]" in note.body


def test_rows_record_the_event_and_report(world: World) -> None:
    report, _ = submit(world)
    with transaction.atomic():
        notes = notify_last(report)
    event = ReportEvent.objects.get(report=report, action="submit")
    assert {n.event_id for n in notes} == {event.pk}
    assert {n.report_id for n in notes} == {report.pk}


def test_actions_that_tell_nobody_are_skipped_before_any_lookup(
    django_assert_num_queries: Any,
) -> None:
    from lapor.notifications.apps import _on_event_recorded

    # An event id that does not exist: a receiver that looked it up would query (and find
    # nothing); for an action nobody hears of it must not even look.
    with django_assert_num_queries(0):
        _on_event_recorded(None, event_id=10**9, action="deadlines_recomputed")
        _on_event_recorded(None, event_id=10**9, action="rate")


def test_a_backlog_of_the_worker_older_than_a_day_is_still_told(world: World) -> None:
    report, _ = submit(world, by="guest", contact_phone="081311112222")
    # The worker was down for three days: the event is old when announced, but it was news
    # when it was queued.
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        run_announcements()
    assert Notification.objects.filter(report=report, kind="submit").exists()


def test_history_replayed_by_the_demo_is_not_told(world: World) -> None:
    with clock.at(timezone.now() - timedelta(days=30)):
        report, _ = submit(world, by="guest", contact_phone="081311112222")
    run_announcements()
    assert not Notification.objects.filter(report=report).exists()
