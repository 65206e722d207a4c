"""Submitting a report on the web: the form, every error the services give, the result page,
double submission, and the regency list that follows the province."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lapor.institutions.models import Category
from lapor.reports.models import Attachment, Report, State
from lapor.reports.permissions import guest_secret_matches
from tests.factories import PASSWORD, World
from tests.portal.conftest import jpeg_bytes
from tests.portal.helpers import (
    form_token,
    html,
    post_report,
    private_link,
    report_data,
    submitted_report,
)

pytestmark = pytest.mark.django_db


def test_the_form_has_every_field_labelled(world: World, guest: Client) -> None:
    page = html(guest.get("/lapor/"))
    for name in (
        "title",
        "body",
        "incident_date",
        "province",
        "regency",
        "address",
        "latitude",
        "longitude",
        "category",
        "suggested_institution",
        "attachments",
        "is_anonymous",
        "is_confidential",
        "contact_name",
        "contact_email",
        "contact_phone",
    ):
        assert f'<label for="id_{name}">' in page, name
    assert 'type="file" name="attachments" multiple' in page
    assert page.count('role="switch"') == 2
    # The province list asks for its regencies; without JS the full list is grouped.
    assert 'hx-get="/wilayah/kabupaten-kota/"' in page
    assert '<optgroup label="Kalimantan Timur">' in page
    assert "Kota Samarinda" in page and "Kabupaten Aceh Selatan" in page


def test_categories_are_shown_as_an_indented_tree(world: World, guest: Client) -> None:
    Category.objects.create(code="C-SEK", name="Sekolah", parent=world.category)
    page = html(guest.get("/lapor/"))
    assert f'<option value="{world.category.pk}">Pendidikan</option>' in page
    assert "\u2003› Sekolah</option>" in page


def test_a_guest_submits_and_gets_the_tracking_number_and_private_link(
    world: World, guest: Client
) -> None:
    response = post_report(
        guest,
        contact_name="Budi Santoso",
        contact_email="budi@contoh.id",
        contact_phone="0812 3456 7890",
        incident_date="2026-03-01",
        latitude="-0.502106",
        longitude="117.153709",
        address="Jl. Pahlawan 3",
        category=str(world.category.pk),
        suggested_institution=str(world.city.pk),
    )
    report = submitted_report(response)
    # Post/Redirect/Get: the secret is not in the redirect's URL.
    assert "kunci" not in response["Location"]
    assert report.state == State.AWAITING_VERIFICATION
    assert report.reporter is None and report.contact_name == "Budi Santoso"
    assert report.contact_phone == "081234567890"
    assert (report.province.code, report.regency.code) == ("64", "64.72")
    assert str(report.latitude) == "-0.502106" and report.category == world.category
    assert report.suggested_institution == world.city
    page = html(guest.get(response["Location"]))
    assert report.tracking_number in page
    link = private_link(guest, report)
    secret = link.split("kunci=", 1)[1]
    assert link.startswith(f"http://testserver/lacak/{report.tracking_number}/?kunci=")
    assert guest_secret_matches(report, secret)
    assert "Jangan bagikan" in page


def test_a_logged_in_reporter_submits_under_their_account(world: World) -> None:
    client = Client()
    client.force_login(world.reporter)
    page = html(client.get("/lapor/"))
    assert 'name="contact_name"' not in page  # the account is the contact
    report = submitted_report(post_report(client))
    assert report.reporter == world.reporter and report.guest_secret_hash == ""
    result = html(client.get(f"/lapor/terkirim/{report.tracking_number}/"))
    assert report.tracking_number in result and "kunci=" not in result
    mine = html(client.get("/laporan-saya/"))
    assert mine.count(f'href="/lacak/{report.tracking_number}/"') == 1


def test_the_result_page_is_only_for_the_browser_that_submitted(
    world: World, guest: Client
) -> None:
    report = submitted_report(post_report(guest))
    assert Client().get(f"/lapor/terkirim/{report.tracking_number}/").status_code == 404
    stranger = Client()
    stranger.force_login(world.citizen)
    assert stranger.get(f"/lapor/terkirim/{report.tracking_number}/").status_code == 404


def test_a_double_submit_creates_one_report_and_shows_the_same_result(
    world: World, guest: Client
) -> None:
    token = form_token(guest)
    first = post_report(guest, token=token)
    second = post_report(guest, token=token)  # a double click, or the browser's resend
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1
    # Even from another browser state (the session lost), the resend answers the same report.
    again = Client()
    third = post_report(again, token=token, title="Judul yang lain sama sekali")
    assert third["Location"] == first["Location"]
    assert Report.objects.count() == 1


def test_each_form_load_gets_a_new_token(world: World, guest: Client) -> None:
    post_report(guest)
    post_report(guest)
    assert Report.objects.count() == 2


def test_a_forged_token_is_refused_and_the_typed_data_kept(world: World, guest: Client) -> None:
    response = post_report(guest, token="made-up", title="Judul yang saya ketik")
    assert response.status_code == 400
    page = html(response)
    assert "kedaluwarsa" in page and "Judul yang saya ketik" in page
    assert Report.objects.count() == 0
    # The re-rendered form carries a fresh, valid token: sending it again works.
    new_token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert submitted_report(post_report(guest, token=new_token))


def test_an_old_token_is_refused(world: World, guest: Client) -> None:
    token = form_token(guest)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = post_report(guest, token=token)
    assert response.status_code == 400 and "kedaluwarsa" in html(response)
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "Rusak"[:4]}, "title", "Judul terlalu pendek"),
        ({"body": "Pendek"}, "body", "Isi laporan terlalu pendek"),
        ({"province": "99"}, "province", "Provinsi tidak dikenal."),
        ({"province": "", "regency": "99.99"}, "regency", "Kabupaten/kota tidak dikenal."),
        # Without JavaScript the full list allows a regency of another province.
        ({"province": "11", "regency": "64.72"}, "regency", "tidak berada di provinsi"),
        ({"latitude": "abc", "longitude": "117"}, "latitude", "Koordinat harus berupa angka"),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "di luar wilayah Indonesia"),
        ({"incident_date": "2099-01-01"}, "incident_date", "tidak boleh di masa depan"),
        ({"contact_email": "bukan-surel"}, "contact_email", "Alamat surel tidak valid."),
        ({"contact_phone": "12"}, "contact_phone", "Nomor telepon tidak valid."),
    ],
)
def test_a_service_refusal_shows_on_its_field_with_400(
    world: World, guest: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = post_report(guest, **overrides)
    assert response.status_code == 400
    page = html(response)
    # The message sits in the field's own error list, which the input points at.
    assert f'id="id_{field}_error"' in page, page[:3000]
    error_list = page.split(f'id="id_{field}_error"', 1)[1].split("</ul>", 1)[0]
    assert message in error_list
    assert 'aria-invalid="true"' in page
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"report_type": ""}, "report_type"),
        ({"report_type": "gossip"}, "report_type"),
        ({"title": ""}, "title"),
        ({"category": "999999"}, "category"),
        ({"suggested_institution": "999999"}, "suggested_institution"),
        ({"incident_date": "kemarin"}, "incident_date"),
    ],
)
def test_a_malformed_field_is_a_form_error_with_400(
    world: World, guest: Client, overrides: dict[str, Any], field: str
) -> None:
    response = post_report(guest, **overrides)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html(response)
    assert Report.objects.count() == 0


def test_a_photo_is_stored_with_the_report(world: World, guest: Client) -> None:
    data = report_data()
    data["token"] = form_token(guest)
    data["attachments"] = [
        SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg"),
        SimpleUploadedFile("foto2.jpg", jpeg_bytes("blue"), content_type="image/jpeg"),
    ]
    report = submitted_report(guest.post("/lapor/", data))
    names = sorted(Attachment.objects.filter(report=report).values_list("name", flat=True))
    assert names == ["foto.jpg", "foto2.jpg"]


def test_a_refused_attachment_shows_the_services_message(world: World, guest: Client) -> None:
    data = report_data()
    data["token"] = form_token(guest)
    data["attachments"] = [SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 200)]
    response = guest.post("/lapor/", data)
    assert response.status_code == 400
    page = html(response)
    error_list = page.split('id="id_attachments_error"', 1)[1].split("</ul>", 1)[0]
    assert "virus.exe" in error_list
    assert "pilih ulang berkas" in page
    assert Report.objects.count() == 0


def test_too_many_attachments_are_refused(world: World, guest: Client, settings: Any) -> None:
    settings.LAPOR_MAX_ATTACHMENTS = 1
    data = report_data()
    data["token"] = form_token(guest)
    data["attachments"] = [
        SimpleUploadedFile(f"f{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(2)
    ]
    response = guest.post("/lapor/", data)
    assert response.status_code == 400 and "Maksimal 1 lampiran." in html(response)


def test_an_oversized_attachment_is_refused_without_reading_it_whole(
    world: World, guest: Client, settings: Any
) -> None:
    settings.LAPOR_MAX_ATTACHMENT_BYTES = 1000
    data = report_data()
    data["token"] = form_token(guest)
    data["attachments"] = [SimpleUploadedFile("besar.jpg", jpeg_bytes() + b"\x00" * 5000)]
    response = guest.post("/lapor/", data)
    assert response.status_code == 400
    assert "besar.jpg" in html(response).split('id="id_attachments_error"', 1)[1]


def test_the_anonymous_and_confidential_switches_are_stored(world: World, guest: Client) -> None:
    report = submitted_report(post_report(guest, is_anonymous="on", is_confidential="on"))
    assert report.is_anonymous and report.is_confidential


def test_regencies_follow_the_province(world: World, guest: Client) -> None:
    response = guest.get("/wilayah/kabupaten-kota/", {"province": "64"})
    assert response.status_code == 200
    options = html(response)
    assert '<option value="64.72">Kota Samarinda</option>' in options
    assert "Aceh" not in options and "<html" not in options
    # No province: the full grouped list again; an unknown one: nothing to choose.
    assert "<optgroup" in html(guest.get("/wilayah/kabupaten-kota/"))
    unknown = html(guest.get("/wilayah/kabupaten-kota/", {"province": "99"}))
    assert unknown.count("<option") == 1


def test_a_re_rendered_form_lists_only_the_chosen_provinces_regencies(
    world: World, guest: Client
) -> None:
    page = html(post_report(guest, title=""))
    regency_select = page.split('name="regency"', 1)[1].split("</select>", 1)[0]
    assert "Kota Samarinda" in regency_select and "Aceh" not in regency_select
    assert '<option value="64.72" selected>' in regency_select


def test_a_logged_in_user_session_still_submits_after_login_rotation(world: World) -> None:
    # The token is not bound to the session: logging in between loading and sending the form
    # (session key rotated) does not lose the report.
    client = Client()
    token = form_token(client)
    assert client.login(username=world.reporter.username, password=PASSWORD)
    report = submitted_report(post_report(client, token=token))
    assert report.reporter == world.reporter


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_form_create_one_report() -> None:
    # A real double click: both requests run at the same time, each on its own connection.
    import threading

    from django.db import connection

    from lapor.institutions.regions import ensure_regions

    ensure_regions()
    token = form_token(Client())
    barrier = threading.Barrier(2)
    locations: list[str] = []

    def send() -> None:
        try:
            client = Client()
            barrier.wait(timeout=10)
            response = post_report(client, token=token)
            locations.append(response["Location"] if response.status_code == 302 else "")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(locations) == 2 and locations[0] == locations[1] != ""
    assert Report.objects.count() == 1
