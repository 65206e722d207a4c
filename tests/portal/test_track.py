"""Following a report: the track form, the private link, the reporter's page, my reports."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lapor.lib import clock
from lapor.reports import services
from lapor.reports.actors import GuestActor
from lapor.reports.models import State
from tests.factories import PASSWORD, World, submit
from tests.portal.helpers import html, open_as_guest
from tests.reports.lifecycle import T0, T1, drive

pytestmark = pytest.mark.django_db

GENERIC = "Laporan tidak ditemukan, atau kunci rahasianya tidak cocok."


def _main(response: object) -> str:
    page = html(response)
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_track_form(world: World, guest: Client) -> None:
    page = html(guest.get("/lacak/"))
    assert '<label for="id_tracking_number">' in page and '<label for="id_secret">' in page


def test_the_right_number_and_secret_open_the_report(world: World, guest: Client) -> None:
    report, actor = submit(world, by="guest")
    assert isinstance(actor, GuestActor)
    response = guest.post(
        "/lacak/", {"tracking_number": report.tracking_number, "secret": actor.secret}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{report.tracking_number}/"
    page = html(guest.get(response["Location"]))
    assert report.title in page and "Laporan diterima" in page


def test_a_typed_number_is_forgiving(world: World, guest: Client) -> None:
    report, actor = submit(world, by="guest")
    assert isinstance(actor, GuestActor)
    typed = report.tracking_number.replace("-", " ").lower()
    response = guest.post("/lacak/", {"tracking_number": typed, "secret": actor.secret})
    assert response.status_code == 302


def test_wrong_secret_and_unknown_number_get_the_same_404(world: World, guest: Client) -> None:
    report, actor = submit(world, by="guest")
    assert isinstance(actor, GuestActor)
    wrong_secret = guest.post(
        "/lacak/", {"tracking_number": report.tracking_number, "secret": "salah"}
    )
    # A well-formed number that belongs to no report (same check symbol arithmetic).
    other = "26-0000-000" + _check_symbol("260000000")
    unknown = guest.post("/lacak/", {"tracking_number": other, "secret": actor.secret})
    assert wrong_secret.status_code == unknown.status_code == 404
    assert GENERIC in html(wrong_secret) and GENERIC in html(unknown)

    def without_inputs(response: object) -> str:
        return re.sub(r'value="[^"]*"', "", _main(response))

    assert without_inputs(wrong_secret) == without_inputs(unknown)


def _check_symbol(body: str) -> str:
    from lapor.lib.tracking import _check_symbol as check

    return check(body)


def test_a_malformed_number_is_a_field_error(world: World, guest: Client) -> None:
    response = guest.post("/lacak/", {"tracking_number": "26-XXXX", "secret": "apa saja"})
    assert response.status_code == 400
    assert 'id="id_tracking_number_error"' in html(response)


def test_the_private_link_is_remembered_and_dropped_from_the_address(
    world: World, guest: Client
) -> None:
    report, actor = submit(world, by="guest")
    assert isinstance(actor, GuestActor)
    open_as_guest(guest, report, actor.secret)
    assert guest.get(f"/lacak/{report.tracking_number}/").status_code == 200
    # Another browser without the secret, or with a wrong one, sees nothing.
    assert Client().get(f"/lacak/{report.tracking_number}/").status_code == 404
    wrong = Client().get(f"/lacak/{report.tracking_number}/", {"kunci": "salah"})
    assert wrong.status_code == 404
    assert "Halaman tidak ditemukan" in html(wrong)  # the site's 404 page


def test_logging_out_forgets_the_guest_access(world: World, guest: Client) -> None:
    report, actor = submit(world, by="guest")
    assert isinstance(actor, GuestActor)
    assert guest.login(username=world.citizen.username, password=PASSWORD)
    open_as_guest(guest, report, actor.secret)
    guest.post("/akun/keluar/")
    assert guest.get(f"/lacak/{report.tracking_number}/").status_code == 404


def test_an_account_reporter_sees_their_report_and_nobody_else_does(world: World) -> None:
    report, _ = submit(world)
    owner, other, staff = Client(), Client(), Client()
    owner.force_login(world.reporter)
    other.force_login(world.citizen)
    staff.force_login(world.national_admin)
    assert owner.get(f"/lacak/{report.tracking_number}/").status_code == 200
    assert other.get(f"/lacak/{report.tracking_number}/").status_code == 404
    # Staff handle reports in the workbench; this page is the reporter's.
    assert staff.get(f"/lacak/{report.tracking_number}/").status_code == 404
    assert Client().get(f"/lacak/{report.tracking_number}/").status_code == 404


def test_an_unknown_or_malformed_number_in_the_url_is_404(world: World) -> None:
    client = Client()
    client.force_login(world.reporter)
    assert client.get("/lacak/bukan-nomor/").status_code == 404
    assert client.get("/laporan/bukan-nomor/").status_code == 404


def test_the_reporters_page_shows_stage_due_date_and_only_public_events(world: World) -> None:
    report, _ = drive(world, State.IN_PROGRESS)
    with clock.at(T0):
        services.post_follow_up(
            actor=world.city_admin, report=report, message="Catatan internal.", is_public=False
        )
    client = Client()
    client.force_login(world.reporter)
    with clock.at(T1):
        page = html(client.get(f"/lacak/{report.tracking_number}/"))
    assert "Penyelesaian oleh instansi" in page
    # 14 working days from Monday 2 March 2026 (WITA) ends on a Friday, 23:59 in WITA.
    # Shown in the institution's zone (WITA), not the server's (WIB): the end of a day.
    assert "14 hari kerja" in page and "23:59 WITA" in page
    assert "Sedang kami periksa." in page  # the public follow-up
    assert "Catatan internal." not in page  # the internal one
    assert "Diverifikasi dan didisposisikan" in page and "Pemerintah Kota Samarinda" in page


def test_my_reports_lists_only_mine_and_needs_login(world: World) -> None:
    mine, _ = submit(world, title="Laporan milik saya sendiri")
    theirs, _ = submit(world, by=world.citizen, title="Laporan milik warga lain")
    response = Client().get("/laporan-saya/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    client = Client()
    client.force_login(world.reporter)
    page = html(client.get("/laporan-saya/"))
    assert mine.tracking_number in page and theirs.tracking_number not in page
