"""The daily digest: staff who chose it get new work and reminders once a day, not one by one."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from lapor.notifications.digest import digest_key, send_digests
from lapor.notifications.models import DigestItem, Notification, NotificationPreference
from tests.factories import World, submit
from tests.notifications.helpers import notify_last, sweeper_event

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def digest_reader(world: World) -> World:
    NotificationPreference.objects.create(user=world.city_admin, daily_digest=True)
    return world


def test_new_work_and_reminders_wait_for_the_digest(digest_reader: World) -> None:
    world = digest_reader
    report, _ = submit(world)
    world.route(report, world.city)
    to_admin = [n for n in notify_last(report) if n.recipient == world.city_admin]
    assert to_admin == []
    sweeper_event(report, "deadline_warning")
    assert [n for n in notify_last(report) if n.recipient == world.city_admin] == []
    assert list(
        DigestItem.objects.filter(user=world.city_admin).values_list("kind", flat=True)
    ) == ["new_work", "deadline_warning"]
    # Others are still told one by one.
    assert Notification.objects.filter(recipient=world.province_admin).count() == 2


def test_overdue_and_reopened_are_never_held_back(digest_reader: World) -> None:
    world = digest_reader
    report, _ = submit(world)
    world.route(report, world.city)
    sweeper_event(report, "overdue")
    assert [n.kind for n in notify_last(report) if n.recipient == world.city_admin] == ["overdue"]


def test_one_digest_per_person_and_local_day(digest_reader: World) -> None:
    world = digest_reader
    for _ in range(3):
        report, _ = submit(world)
        world.route(report, world.city)
        notify_last(report)
    # 23:30 WITA on 1 December: the city admin's day is 1 December (in WIB it would be too,
    # in UTC it is 15:30 the same day; at 00:30 WITA on the 2nd, UTC is still the 1st).
    now = datetime(2026, 12, 2, 0, 30, tzinfo=WITA)
    assert send_digests(now=now) == 1
    digest = Notification.objects.get(kind="digest")
    assert digest.idempotency_key == digest_key(world.city_admin, now.astimezone(WITA).date())
    assert digest.idempotency_key == f"digest:{world.city_admin.pk}:2026-12-02"
    assert digest.recipient == world.city_admin and digest.report is None
    assert digest.event is None
    assert "3 pemberitahuan" in digest.subject
    assert "tugas baru: 3" in digest.body
    assert digest.body.count("/ruang-kerja/laporan/") == 3
    assert DigestItem.objects.filter(digest=digest).count() == 3

    # A second run the same day sends nothing, even with new items: they wait for tomorrow.
    report, _ = submit(world)
    world.route(report, world.city)
    notify_last(report)
    assert send_digests(now=now + timedelta(hours=5)) == 0
    assert Notification.objects.filter(kind="digest").count() == 1
    assert send_digests(now=now + timedelta(days=1)) == 1
    second = Notification.objects.filter(kind="digest").latest("id")
    assert "tugas baru: 1" in second.body


def test_nothing_new_means_no_digest(digest_reader: World) -> None:
    assert send_digests(now=timezone.now()) == 0
    assert not Notification.objects.filter(kind="digest").exists()


def test_digest_in_english_and_by_sms_when_email_is_off(digest_reader: World) -> None:
    world = digest_reader
    admin = world.city_admin
    admin.language, admin.phone = "en", "081200001111"
    admin.save()
    NotificationPreference.objects.filter(user=admin).update(email=False)
    report, _ = submit(world)
    world.route(report, world.city)
    notify_last(report)
    assert send_digests(now=timezone.now()) == 1
    digest = Notification.objects.get(kind="digest")
    assert digest.channel == "sms" and digest.address == "081200001111"
    assert digest.body.startswith("LAPOR! Digest") and "1 new work" in digest.body


def test_the_command_sends_the_digest(digest_reader: World) -> None:
    world = digest_reader
    report, _ = submit(world)
    world.route(report, world.city)
    notify_last(report)
    out = StringIO()
    call_command("send_digest", stdout=out)
    call_command("send_digest", stdout=out)
    assert "1 digest(s)" in out.getvalue() and "0 digest(s)" in out.getvalue()
    assert Notification.objects.filter(kind="digest").count() == 1
