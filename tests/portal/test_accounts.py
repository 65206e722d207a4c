"""Accounts: register, log in with rate limiting, log out, details, passwords, deletion."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from lapor.accounts.models import User
from lapor.reports.actors import GuestActor
from lapor.reports.models import Report
from tests.factories import PASSWORD, World, make_user, submit
from tests.portal.helpers import html, open_as_guest

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kata-sandi-baru-Yang-Kuat-9"


def registration(**overrides: Any) -> dict[str, str]:
    data = {
        "full_name": "Siti Rahmawati",
        "nik": "6472015708900002",
        "phone": "0812 9876 5432",
        "email": "siti@contoh.id",
        "username": "siti",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def field_errors(page: str, field: str) -> str:
    marker = f'id="id_{field}_error"'
    assert marker in page, f"no error on {field}"
    return page.split(marker, 1)[1].split("</ul>", 1)[0]


def test_register_creates_the_account_and_logs_in(db: None) -> None:
    client = Client()
    page = html(client.get("/akun/daftar/"))
    for name in ("full_name", "nik", "phone", "email", "username", "password1", "password2"):
        assert f'<label for="id_{name}">' in page, name
    response = client.post("/akun/daftar/", registration())
    assert response.status_code == 302 and response["Location"] == "/laporan-saya/"
    user = User.objects.get(username="siti")
    assert (user.full_name, user.nik, user.phone, user.email) == (
        "Siti Rahmawati",
        "6472015708900002",
        "081298765432",
        "siti@contoh.id",
    )
    assert client.get("/laporan-saya/").status_code == 200


@pytest.mark.parametrize("nik", ["123", "64720157089000021", "647201570890000A", ""])
def test_register_needs_an_nik_of_exactly_16_digits(db: None, nik: str) -> None:
    response = Client().post("/akun/daftar/", registration(nik=nik))
    assert response.status_code == 400
    field_errors(html(response), "nik")
    assert not User.objects.filter(username="siti").exists()


def test_register_accepts_an_nik_typed_with_spaces(db: None) -> None:
    response = Client().post("/akun/daftar/", registration(nik="6472 0157 0890 0002"))
    assert response.status_code == 302
    assert User.objects.get(username="siti").nik == "6472015708900002"


def test_register_needs_a_phone_or_an_email(db: None) -> None:
    response = Client().post("/akun/daftar/", registration(phone="", email=""))
    assert response.status_code == 400
    page = html(response)
    assert "nomor telepon atau surel" in field_errors(page, "phone")
    assert "nomor telepon atau surel" in field_errors(page, "email")
    for only in ({"phone": ""}, {"email": ""}):
        client = Client()
        data = registration(username=f"u{len(only)}{next(iter(only))}", **only)
        assert client.post("/akun/daftar/", data).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "12345678", "password2": "12345678"}, "password2"),
        ({"password2": "lain-sekali-Kata-99"}, "password2"),
        ({"phone": "12"}, "phone"),
        ({"email": "bukan-surel"}, "email"),
        ({"username": ""}, "username"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_register_field_errors(db: None, overrides: dict[str, str], field: str) -> None:
    response = Client().post("/akun/daftar/", registration(**overrides))
    assert response.status_code == 400
    field_errors(html(response), field)


def test_register_refuses_a_taken_username(db: None) -> None:
    make_user("siti")
    response = Client().post("/akun/daftar/", registration())
    assert response.status_code == 400
    field_errors(html(response), "username")


def test_login_rotates_the_session_and_logout_is_post_only(world: World) -> None:
    client = Client()
    report, guest = submit(world, by="guest")
    assert isinstance(guest, GuestActor)
    open_as_guest(client, report, guest.secret)  # the session now holds something
    before = client.cookies["sessionid"].value
    response = client.post(
        "/akun/masuk/", {"username": world.citizen.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    # The session's content survives the new key: the guest access still works.
    assert client.get(f"/lacak/{report.tracking_number}/").status_code == 200
    assert client.get("/akun/keluar/").status_code == 405
    assert client.get("/laporan-saya/").status_code == 200
    assert client.post("/akun/keluar/").status_code == 302
    assert client.get("/laporan-saya/").status_code == 302


def test_a_wrong_password_is_400_with_a_message(world: World) -> None:
    response = Client().post("/akun/masuk/", {"username": world.reporter.username, "password": "x"})
    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah." in html(response)


def _fail(client: Client, username: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/akun/masuk/", {"username": username, "password": "salah"}, REMOTE_ADDR=address
    )


def test_too_many_failures_for_one_username_answer_429_until_the_window_passes(
    world: World, settings: Any
) -> None:
    settings.LOGIN_MAX_FAILURES, settings.LOGIN_FAILURE_WINDOW = 3, 600
    username = world.reporter.username
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for attempt in range(3):
            # Each from another address: the username's count alone must block.
            assert _fail(Client(), username, f"10.0.0.{attempt}").status_code == 400
        blocked = Client().post(
            "/akun/masuk/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
        )
        assert blocked.status_code == 429
        assert "Terlalu banyak percobaan" in html(blocked)
        assert "_auth_user_id" not in Client().session
        # Another user from yet another address is not affected.
        other = Client().post(
            "/akun/masuk/",
            {"username": world.citizen.username, "password": PASSWORD},
            REMOTE_ADDR="10.8.8.8",
        )
        assert other.status_code == 302
    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        again = Client().post(
            "/akun/masuk/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
        )
        assert again.status_code == 302


def test_too_many_failures_from_one_address_answer_429(world: World, settings: Any) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    for n in range(3):
        assert _fail(Client(), f"tebakan{n}", "10.1.1.1").status_code == 400
    blocked = Client().post(
        "/akun/masuk/",
        {"username": world.reporter.username, "password": PASSWORD},
        REMOTE_ADDR="10.1.1.1",
    )
    assert blocked.status_code == 429
    ok = Client().post(
        "/akun/masuk/",
        {"username": world.reporter.username, "password": PASSWORD},
        REMOTE_ADDR="10.2.2.2",
    )
    assert ok.status_code == 302


def test_failures_below_the_limit_do_not_block(world: World, settings: Any) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        _fail(Client(), world.reporter.username)
    response = Client().post(
        "/akun/masuk/",
        {"username": world.reporter.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302


def test_profile_changes_details_with_the_same_rules(world: World) -> None:
    client = Client()
    client.force_login(world.reporter)
    page = html(client.get("/akun/profil/"))
    assert world.reporter.nik in page
    data = {
        "full_name": "Nama Baru",
        "nik": "6472011234560009",
        "phone": "",
        "email": "baru@contoh.id",
        "language": "en",
    }
    response = client.post("/akun/profil/", data)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    world.reporter.refresh_from_db()
    assert (world.reporter.full_name, world.reporter.phone, world.reporter.language) == (
        "Nama Baru",
        "",
        "en",
    )
    bad = client.post("/akun/profil/", {**data, "nik": "12", "email": ""})
    assert bad.status_code == 400
    field_errors(html(bad), "nik")
    field_errors(html(bad), "email")
    assert Client().get("/akun/profil/").status_code == 302


def test_password_change(world: World) -> None:
    client = Client()
    client.force_login(world.reporter)
    response = client.post(
        "/akun/kata-sandi/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/akun/kata-sandi/selesai/"
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(NEW_PASSWORD)


def test_password_reset_by_email(world: World) -> None:
    client = Client()
    response = client.post("/akun/lupa-kata-sandi/", {"email": world.reporter.email})
    assert response.status_code == 302
    assert response["Location"] == "/akun/lupa-kata-sandi/terkirim/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Atur ulang kata sandi LAPOR!"
    assert world.reporter.username in message.body
    link = re.search(r"http://testserver(/akun/atur-ulang/\S+/)", message.body)
    assert link, message.body
    form_page = client.get(link.group(1), follow=True)
    assert "Buat kata sandi baru" in html(form_page)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/akun/atur-ulang/selesai/"
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(NEW_PASSWORD)


def test_password_reset_with_an_unknown_email_says_the_same(db: None) -> None:
    response = Client().post("/akun/lupa-kata-sandi/", {"email": "tidak-ada@contoh.id"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_delete_needs_the_password(world: World) -> None:
    client = Client()
    client.force_login(world.reporter)
    response = client.post("/akun/hapus/", {"password": "salah"})
    assert response.status_code == 400
    field_errors(html(response), "password")
    world.reporter.refresh_from_db()
    assert world.reporter.erased_at is None


def test_delete_erases_personal_data_keeps_reports_and_logs_out(world: World) -> None:
    report, _ = submit(world)
    world.route(report)
    client = Client()
    client.force_login(world.reporter)
    page = html(client.get("/akun/hapus/"))
    assert "tetap tersimpan" in page
    response = client.post("/akun/hapus/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(pk=world.reporter.pk)
    assert user.erased_at is not None
    assert (user.full_name, user.nik, user.phone, user.email) == ("", "", "", "")
    assert not user.is_active
    assert Report.objects.filter(pk=report.pk, reporter=user).exists()
    assert client.get("/laporan-saya/").status_code == 302  # logged out
    public = html(Client().get(f"/laporan/{report.tracking_number}/"))
    assert "6472011234560001" not in public and "081234567890" not in public
    assert (
        Client()
        .post("/akun/masuk/", {"username": world.reporter.username, "password": PASSWORD})
        .status_code
        == 400
    )
