"""The citizen portal in a real browser (Chromium through Playwright), on a 360 px phone.

Data is built with the services inside each test: the live server needs a transactional
database, so the shared `world` fixture (which uses a rolled-back transaction) is not used.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from lapor.reports.models import Report
from tests.browser.conftest import screenshot
from tests.factories import build_world, submit

pytestmark = pytest.mark.django_db(transaction=True)


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "jalan-rusak.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 90, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _regency_names(page: Any) -> list[str]:
    return page.locator("#id_regency option").all_inner_texts()  # type: ignore[no-any-return]


def test_a_guest_on_a_phone_submits_with_a_photo_and_follows_the_private_link(
    page: Any, new_page: Any, tmp_path: Path
) -> None:
    world = build_world()
    page.goto("/")
    assert page.locator("h1").inner_text() == "Laporkan masalah pelayanan publik"
    screenshot(page, "portal-home")
    page.get_by_role("link", name="Buat laporan").first.click()
    page.wait_for_url("**/lapor/")

    page.get_by_label("Pengaduan").check()
    page.get_by_label("Judul laporan").fill("Jalan berlubang di depan sekolah")
    page.get_by_label("Isi laporan").fill(
        "Lubang besar di Jalan Pahlawan membahayakan anak-anak yang berangkat sekolah."
    )
    page.get_by_label("Tanggal kejadian").fill("2026-03-02")
    # Without a province every regency is listed; choosing one narrows the list (htmx).
    assert "Kabupaten Aceh Selatan" in _regency_names(page)
    page.get_by_label("Provinsi").select_option("64")
    page.wait_for_function(
        "() => !document.querySelector('#id_regency').textContent.includes('Aceh')"
    )
    names = _regency_names(page)
    assert "Kota Samarinda" in names and "Kabupaten Aceh Selatan" not in names
    page.get_by_label("Kabupaten/kota").select_option("64.72")
    page.get_by_label("Kategori (opsional)").select_option(str(world.category.pk))
    page.set_input_files("#id_attachments", str(_photo(tmp_path)))
    page.get_by_label("Nama", exact=True).fill("Budi Santoso")
    screenshot(page, "portal-submit")
    page.get_by_role("button", name="Kirim laporan").click()

    page.wait_for_url(re.compile(r".*/lapor/terkirim/.+/$"))
    tracking = page.locator("#tracking-number").inner_text().strip()
    link = page.locator("#private-link").input_value()
    assert f"/lacak/{tracking}/?kunci=" in link
    assert "kunci" not in page.url  # the secret is not in the address bar
    screenshot(page, "portal-submitted")
    report = Report.objects.get(tracking_number=tracking)
    assert report.regency.code == "64.72"
    assert [a.name for a in report.attachments.all()] == ["jalan-rusak.jpg"]

    # Later, another browser (say the same phone after a restart) follows the saved link.
    follower = new_page(width=360, height=780)
    follower.goto(link)
    follower.wait_for_url(re.compile(rf".*/lacak/{tracking}/$"))  # the secret is dropped
    assert follower.locator("#timeline-title").is_visible()
    assert "Laporan diterima" in follower.locator(".timeline").inner_text()
    assert "Menunggu verifikasi" in follower.locator("#report-state").inner_text()
    assert "hari kerja" in follower.locator(".stage").inner_text()
    assert follower.get_by_role("link", name="jalan-rusak.jpg").is_visible()
    screenshot(follower, "portal-track")
    # The photo opens for its reporter (and the browser gets an image back).
    photo = follower.request.get(
        follower.get_by_role("link", name="jalan-rusak.jpg").get_attribute("href")
    )
    assert photo.status == 200 and photo.headers["content-type"] == "image/jpeg"


def test_the_public_list_hides_personal_data_and_confidential_reports(page: Any) -> None:
    world = build_world()
    world.reporter.full_name = "Siti Rahmawati"
    world.reporter.save()
    routed, _ = submit(
        world,
        title="Pungutan liar pendaftaran sekolah",
        body="Saya diminta membayar. Hubungi 0812-3456-7890 atau siti@contoh.id.",
    )
    world.route(routed)
    secret_one, _ = submit(
        world, title="Laporan rahasia tentang kepala dinas", is_confidential=True
    )
    world.route(secret_one)
    submit(world, title="Laporan yang belum diverifikasi")

    page.goto("/laporan/")
    body = page.locator("main").inner_text()
    assert "Pungutan liar pendaftaran sekolah" in body
    assert "rahasia tentang kepala dinas" not in body
    assert "belum diverifikasi" not in body
    assert "0812-3456-7890" not in body and "siti@contoh.id" not in body
    assert "Siti Rahmawati" not in body and "Siti R." in body
    screenshot(page, "portal-public-list")

    page.get_by_role("link", name="Pungutan liar pendaftaran sekolah").click()
    page.wait_for_url(f"**/laporan/{routed.tracking_number}/")
    detail = page.locator("main").inner_text()
    assert "[nomor telepon disembunyikan]" in detail and "[email disembunyikan]" in detail
    assert "0812-3456-7890" not in detail and "Siti Rahmawati" not in detail
    screenshot(page, "portal-public-detail")
    assert page.goto(f"/laporan/{secret_one.tracking_number}/").status == 404


def test_the_language_switch_to_english(page: Any) -> None:
    build_world()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator("#language-select").select_option("en")
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/lapor/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_submit_form_works_with_the_keyboard_and_shows_focus(page: Any) -> None:
    build_world()
    page.goto("/lapor/")
    focused: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        current = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.id || e.name || e.tagName) + '|' + (e.type || ''); }"
        )
        focused.append(current)
        if current.endswith("|submit") and page.evaluate(
            "() => document.activeElement.textContent.trim() === 'Kirim laporan'"
        ):
            break
    else:
        pytest.fail(f"the submit button was never reached with Tab: {focused[-10:]}")
    # The form's fields were on the way, in order.
    order = [f.split("|")[0] for f in focused]
    for earlier, later in (("id_title", "id_body"), ("id_province", "id_regency")):
        assert order.index(earlier) < order.index(later)
    assert page.evaluate("() => document.activeElement.matches(':focus-visible')")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline
    # Enter on the focused button submits: the browser's own check stops the empty form.
    page.keyboard.press("Enter")
    assert page.url.endswith("/lapor/")
