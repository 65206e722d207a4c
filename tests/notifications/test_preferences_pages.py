"""Each person chooses how they are told: reporters on their account page, staff on the
workbench profile page; the choice then decides the channels of real messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lapor.accounts.models import User
from lapor.notifications.models import DigestItem, Notification, NotificationPreference
from tests.factories import World, submit
from tests.notifications.helpers import notify_last

pytestmark = pytest.mark.django_db

ACCOUNT = "/akun/profil/"
ACCOUNT_CHOICE = "/akun/notifikasi/"
STAFF_PROFILE = "/ruang-kerja/profil/"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def channels_to(user: User, notes: list[Notification]) -> set[str]:
    return {n.channel for n in notes if n.recipient_id == user.pk}


def saved(user: User) -> NotificationPreference | None:
    return NotificationPreference.objects.filter(user=user).first()


# --- Reporters, on their account page ------------------------------------------------------


def test_account_page_offers_the_channels_with_the_reporters_addresses(world: World) -> None:
    page = client_for(world.reporter).get(ACCOUNT).content.decode()
    assert 'action="/akun/notifikasi/"' in page
    assert 'name="notif-email"' in page and 'name="notif-sms"' in page
    assert world.reporter.phone in page and world.reporter.email in page
    assert "csrfmiddlewaretoken" in page


def test_reporter_chooses_sms_only_and_is_then_told_by_sms_only(world: World) -> None:
    response = client_for(world.reporter).post(ACCOUNT_CHOICE, {"notif-sms": "on"})
    assert response.status_code == 302 and response["Location"] == ACCOUNT
    pref = saved(world.reporter)
    assert pref is not None and (pref.email, pref.sms) == (False, True)
    report, _ = submit(world)
    assert channels_to(world.reporter, notify_last(report)) == {"sms"}


def test_reporter_chooses_email_only_and_is_then_told_by_email_only(world: World) -> None:
    client_for(world.reporter).post(ACCOUNT_CHOICE, {"notif-email": "on"})
    report, _ = submit(world)
    assert channels_to(world.reporter, notify_last(report)) == {"email"}


def test_sms_without_a_phone_number_is_refused_and_nothing_is_saved(world: World) -> None:
    assert world.citizen.phone == ""
    response = client_for(world.citizen).post(
        ACCOUNT_CHOICE, {"notif-email": "on", "notif-sms": "on"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "belum mengisi nomor telepon" in page
    assert saved(world.citizen) is None


def test_choosing_no_channel_is_refused_and_nothing_is_saved(world: World) -> None:
    response = client_for(world.reporter).post(ACCOUNT_CHOICE, {})
    assert response.status_code == 400
    assert "Pilih minimal satu cara pemberitahuan" in response.content.decode()
    assert saved(world.reporter) is None


def test_a_posted_user_field_changes_nobody_elses_choice(world: World) -> None:
    client = client_for(world.citizen)
    client.post(ACCOUNT_CHOICE, {"notif-email": "on", "user": world.reporter.pk})
    assert saved(world.reporter) is None
    pref = saved(world.citizen)
    assert pref is not None and pref.email


def test_account_choice_needs_a_login_and_a_csrf_token(world: World) -> None:
    for url in (ACCOUNT, ACCOUNT_CHOICE):
        response = Client().post(url, {"notif-email": "on"})
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.reporter)
    assert strict.post(ACCOUNT_CHOICE, {"notif-sms": "on"}).status_code == 403
    assert saved(world.reporter) is None


# --- Staff, on the workbench profile page ---------------------------------------------------


def test_staff_profile_page_renders_and_is_linked_from_the_workbench_nav(world: World) -> None:
    client = client_for(world.city_admin)
    page = client.get(STAFF_PROFILE).content.decode()
    assert "Profil & notifikasi" in page
    for name in ("email", "sms", "daily_digest", "language"):
        assert f'name="{name}"' in page, name
    inbox = client.get(reverse("workbench:inbox")).content.decode()
    assert f'href="{STAFF_PROFILE}"' in inbox


def test_staff_profile_needs_a_login_and_a_staff_membership(world: World) -> None:
    response = Client().get(STAFF_PROFILE)
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert client_for(world.reporter).post(STAFF_PROFILE, {"email": "on"}).status_code == 403
    assert saved(world.reporter) is None


def test_staff_choosing_the_digest_gets_new_work_in_the_digest_only(world: World) -> None:
    response = client_for(world.city_admin).post(
        STAFF_PROFILE, {"email": "on", "daily_digest": "on", "language": "id"}
    )
    assert response.status_code == 302
    report, _ = submit(world, suggested_institution_id=world.city.pk)
    notes = notify_last(report)
    assert channels_to(world.city_admin, notes) == set()
    assert DigestItem.objects.filter(user=world.city_admin, kind="new_work").count() == 1
    # A colleague who did not choose it is still told at once.
    assert channels_to(world.province_admin, notes) == {"email"}


def test_staff_choosing_sms_only_is_told_by_sms_in_the_chosen_language(world: World) -> None:
    world.city_admin.phone = "081255556666"
    world.city_admin.save(update_fields=["phone"])
    response = client_for(world.city_admin).post(STAFF_PROFILE, {"sms": "on", "language": "en"})
    assert response.status_code == 302
    report, _ = submit(world, suggested_institution_id=world.city.pk)
    mine = [n for n in notify_last(report) if n.recipient_id == world.city_admin.pk]
    assert [(n.channel, n.address, n.language) for n in mine] == [("sms", "081255556666", "en")]


def test_staff_sms_without_a_phone_number_is_refused_and_nothing_is_saved(world: World) -> None:
    response = client_for(world.officer).post(
        STAFF_PROFILE, {"sms": "on", "daily_digest": "on", "language": "en"}
    )
    assert response.status_code == 400
    assert "Nomor telepon Anda belum tercatat" in response.content.decode()
    assert saved(world.officer) is None
    world.officer.refresh_from_db()
    assert world.officer.language == "id"


def test_staff_profile_refuses_a_post_without_csrf_token(world: World) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.city_admin)
    assert strict.post(STAFF_PROFILE, {"email": "on", "language": "id"}).status_code == 403
    assert saved(world.city_admin) is None
