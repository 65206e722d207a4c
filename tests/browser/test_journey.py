"""One report's whole life through the real UI, in a real browser (Chromium via Playwright).

A guest on a phone submits a complaint with a photo and keeps the private link; the city admin
verifies and routes it from the workbench; the department's officer follows up and answers;
the guest disputes the answer; the officer answers again; the guest confirms and rates; the
public list shows the report without the guest's contact details; the language switch turns
the pages English and back. Only the world (institutions, staff) is built with the services:
every step after that is a click in a browser, and each step asserts what the page shows.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from lapor.reports.models import Report, ResolutionClass, State
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)

GUEST_NAME = "Dewi Lestari"
GUEST_EMAIL = "dewi.lestari@contoh.id"
GUEST_PHONE = "081377772222"
TITLE = "Pungutan uang seragam di SD Negeri 001"
FOLLOW_UP = "Tim kami sudah memanggil kepala sekolah untuk dimintai keterangan."
ANSWER = "Pungutan seragam telah dihentikan oleh Dinas Pendidikan."
DISPUTE = "Pungutan memang dihentikan, tetapi uang yang sudah dibayar belum dikembalikan."
SECOND_ANSWER = "Uang seragam telah dikembalikan kepada seluruh wali murid pada 10 Maret 2026."
RATING_COMMENT = "Ditangani dengan baik, walau perlu keberatan dulu."


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "kuitansi-seragam.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (480, 360), (200, 180, 140)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _state(page: Any, selector: str) -> str:
    return page.locator(selector).inner_text().strip()  # type: ignore[no-any-return]


def _guest_state(page: Any) -> str:
    return _state(page, "#report-state")


def _staff_state(page: Any) -> str:
    return _state(page, ".badge-state")


def _assert_no_contact_details(page: Any) -> None:
    """Neither the visible text nor the HTML source carries the guest's contact details."""
    text, html = page.locator("body").inner_text(), page.content()
    for personal in (GUEST_NAME, "Lestari", GUEST_EMAIL, "dewi.lestari"):
        assert personal not in text and personal not in html, (personal, page.url)
    # The phone number in any spelling (0813-7777-2222, +62 813 7777 2222...).
    for source in (text, html):
        assert GUEST_PHONE[1:] not in re.sub(r"\D", "", source), page.url


def _open_report_from_inbox(page: Any, tracking: str) -> None:
    page.goto("/ruang-kerja/")
    page.get_by_role("link", name=tracking).click()
    page.wait_for_url(f"**/ruang-kerja/laporan/{tracking}/")


def _answer(officer: Any, text: str) -> None:
    answer = officer.locator("#move-answer")
    if answer.get_attribute("open") is None:
        answer.locator("summary").first.click()
    answer.get_by_label("Isi jawaban akhir").fill(text)
    answer.get_by_role("button", name="Kirim jawaban akhir").click()
    officer.wait_for_selector(".messages:has-text('Jawaban akhir disimpan.')")


def _respond(guest: Any, slug: str, summary: str) -> Any:
    """Open the guest's action `slug` (a <details>) and return it."""
    action = guest.locator(f"#aksi-{slug}")
    assert action.locator("summary").inner_text().strip() == summary
    if action.get_attribute("open") is None:
        action.locator("summary").click()
    return action


def _send(guest: Any, action: Any) -> None:
    action.get_by_role("button", name="Kirim").click()
    guest.wait_for_selector(".messages:has-text('Terima kasih, tanggapan Anda telah disimpan.')")


def test_a_complaint_from_a_phone_to_a_rated_answer(
    page: Any, new_page: Any, tmp_path: Path
) -> None:
    world = build_world()

    # --- 1. A guest on a 360 px phone submits a complaint with a photo ---------------------
    guest = page
    guest.goto("/")
    assert guest.locator("html").get_attribute("lang") == "id"
    screenshot(guest, "journey-01-home")
    guest.get_by_role("link", name="Buat laporan").first.click()
    guest.wait_for_url("**/lapor/")
    guest.get_by_label("Pengaduan").check()
    guest.get_by_label("Judul laporan").fill(TITLE)
    guest.get_by_label("Isi laporan").fill(
        "Kepala sekolah meminta Rp 500.000 untuk seragam dari setiap wali murid, tanpa kuitansi"
        " resmi. Foto kuitansi tulisan tangan terlampir."
    )
    guest.get_by_label("Tanggal kejadian").fill("2026-03-02")
    guest.get_by_label("Provinsi").select_option("64")
    guest.wait_for_function(
        "() => !document.querySelector('#id_regency').textContent.includes('Aceh')"
    )
    guest.get_by_label("Kabupaten/kota").select_option("64.72")
    guest.get_by_label("Kategori (opsional)").select_option(str(world.category.pk))
    guest.get_by_label("Instansi yang menurut Anda berwenang (opsional)").select_option(
        str(world.city.pk)
    )
    guest.set_input_files("#id_attachments", str(_photo(tmp_path)))
    guest.get_by_label("Nama", exact=True).fill(GUEST_NAME)
    guest.get_by_label("Surel").fill(GUEST_EMAIL)
    guest.get_by_label("Nomor telepon").fill(GUEST_PHONE)
    screenshot(guest, "journey-02-submit-form")
    guest.get_by_role("button", name="Kirim laporan").click()

    guest.wait_for_url(re.compile(r".*/lapor/terkirim/.+/$"))
    assert "Laporan Anda telah terkirim" in guest.locator("h1").inner_text()
    tracking = guest.locator("#tracking-number").inner_text().strip()
    private_link = guest.locator("#private-link").input_value()  # what the guest saves
    assert f"/lacak/{tracking}/?kunci=" in private_link
    screenshot(guest, "journey-03-submitted")

    # Later, on the same phone after a restart (a fresh browser), the saved link opens it.
    guest.context.clear_cookies()
    guest.goto(private_link)
    guest.wait_for_url(re.compile(rf".*/lacak/{tracking}/$"))  # the secret left the address bar
    assert _guest_state(guest) == "Menunggu verifikasi"
    assert guest.get_by_role("link", name="kuitansi-seragam.jpg").is_visible()
    assert "Laporan diterima" in guest.locator(".timeline").inner_text()

    # --- 2. The city admin verifies and routes it to the department, class 14 -------------
    admin = new_page(width=1280, height=900)
    login(admin, world.city_admin.username, PASSWORD)
    admin.goto("/ruang-kerja/")
    assert admin.locator("h1").inner_text().strip() == "Kotak masuk"
    row = admin.locator("tr", has=admin.get_by_role("link", name=tracking))
    assert TITLE in row.inner_text() and "Menunggu verifikasi" in row.inner_text()
    screenshot(admin, "journey-04-admin-inbox")
    admin.get_by_role("link", name=tracking).click()
    admin.wait_for_url(f"**/ruang-kerja/laporan/{tracking}/")
    assert _staff_state(admin) == "Menunggu verifikasi"
    assert admin.get_by_role("link", name="kuitansi-seragam.jpg").first.is_visible()
    admin.get_by_role("button", name="Verifikasi dan disposisikan").click()
    admin.wait_for_url("**/disposisi/")
    admin.get_by_label("Jenis laporan").select_option("pengaduan")
    admin.get_by_label("14 hari kerja (pengaduan tanpa pemeriksaan)").check()
    admin.get_by_label("Kategori").select_option(str(world.category.pk))
    admin.get_by_label("Cari instansi tujuan").fill("Pendidikan")
    admin.wait_for_function(
        "() => document.querySelector('#id_route-institution').options.length === 2"
    )
    admin.get_by_label("Instansi tujuan", exact=True).select_option(str(world.department.pk))
    screenshot(admin, "journey-05-route")
    admin.get_by_role("button", name="Disposisikan").click()
    admin.wait_for_url(f"**/ruang-kerja/laporan/{tracking}/")
    assert _staff_state(admin) == "Didisposisikan"
    assert "Laporan diverifikasi dan didisposisikan." in admin.locator(".messages").inner_text()
    assert "Dinas Pendidikan Kota Samarinda" in admin.locator("main").inner_text()

    guest.reload()
    assert _guest_state(guest) == "Didisposisikan"
    assert "hari kerja" in guest.locator(".stage").inner_text()
    # The guest sees the accountable K/L/D (the city), which owns the completion clock.
    assert "Pemerintah Kota Samarinda" in guest.locator(".facts").inner_text()

    # --- 3. The officer posts a follow-up and the final answer ----------------------------
    officer = new_page(width=1280, height=900)
    login(officer, world.officer.username, PASSWORD)
    _open_report_from_inbox(officer, tracking)
    assert _staff_state(officer) == "Didisposisikan"
    follow_up = officer.locator("#move-follow_up")
    follow_up.get_by_label("Isi tindak lanjut").fill(FOLLOW_UP)
    follow_up.get_by_role("button", name="Simpan tindak lanjut").click()
    officer.wait_for_selector(".messages:has-text('Tindak lanjut disimpan.')")
    assert _staff_state(officer) == "Ditindaklanjuti"

    guest.reload()
    assert _guest_state(guest) == "Ditindaklanjuti"
    assert FOLLOW_UP in guest.locator(".timeline").inner_text()
    screenshot(guest, "journey-06-guest-follow-up")

    _answer(officer, ANSWER)
    assert _staff_state(officer) == "Dijawab"
    screenshot(officer, "journey-07-officer-answered")

    # --- 4. The guest reads the answer and disputes it (the report reopens) ---------------
    guest.reload()
    assert _guest_state(guest) == "Dijawab"
    assert ANSWER in guest.locator(".answer").inner_text()
    dispute = _respond(guest, "keberatan", "Ajukan keberatan atas jawaban")
    dispute.get_by_label("Pesan").fill(DISPUTE)
    screenshot(guest, "journey-08-guest-disputes")
    _send(guest, dispute)
    assert _guest_state(guest) == "Ditindaklanjuti"
    assert DISPUTE in guest.locator(".timeline").inner_text()
    assert guest.locator("#aksi-konfirmasi").count() == 0  # nothing to confirm any more

    # --- 5. The officer sees the dispute and answers again --------------------------------
    officer.reload()
    assert _staff_state(officer) == "Ditindaklanjuti"
    assert DISPUTE in officer.locator(".timeline").inner_text()
    _answer(officer, SECOND_ANSWER)
    assert _staff_state(officer) == "Dijawab"

    # --- 6. The guest confirms, then rates the handling -----------------------------------
    guest.reload()
    assert _guest_state(guest) == "Dijawab"
    assert SECOND_ANSWER in guest.locator(".answer").inner_text()
    _send(guest, _respond(guest, "konfirmasi", "Konfirmasi: masalah sudah selesai"))
    assert _guest_state(guest) == "Selesai"
    assert guest.locator("#aksi-keberatan").count() == 0  # a finished report is not disputed

    rate = _respond(guest, "nilai", "Beri penilaian")
    rate.get_by_label("4", exact=True).check()
    rate.get_by_label("Komentar (opsional)").fill(RATING_COMMENT)
    _send(guest, rate)
    assert _guest_state(guest) == "Selesai"
    assert "Penilaian Anda: 4 dari 5." in guest.locator("main").inner_text()
    assert guest.locator("#aksi-nilai").count() == 0  # rated once
    screenshot(guest, "journey-09-guest-rated")

    done = Report.objects.get(tracking_number=tracking)
    assert done.state == State.FINISHED and done.satisfaction_rating == 4
    assert done.queue_institution == world.department
    assert done.responsible_institution == world.city
    assert done.resolution_class == ResolutionClass.STANDARD
    assert list(done.events.filter(action="answer").values_list("message", flat=True)) == [
        ANSWER,
        SECOND_ANSWER,
    ]
    officer.reload()
    assert _staff_state(officer) == "Selesai"

    # --- 7. The public list shows it, without the guest's contact details -----------------
    public = new_page(width=360, height=780)  # anyone, not the guest
    public.goto("/laporan/")
    card = public.locator(".report-card", has=public.get_by_role("link", name=TITLE))
    assert "Selesai" in card.inner_text()
    assert "Dewi L." in card.inner_text()  # the name is shortened for the public
    _assert_no_contact_details(public)
    screenshot(public, "journey-10-public-list")
    public.get_by_role("link", name=TITLE).click()
    public.wait_for_url(f"**/laporan/{tracking}/")
    assert SECOND_ANSWER in public.locator("main").inner_text()
    _assert_no_contact_details(public)
    # The guest's own photo is not public either.
    assert public.get_by_role("link", name="kuitansi-seragam.jpg").count() == 0
    screenshot(public, "journey-11-public-detail")

    # --- 8. Both languages: switch to English with the footer form, and back --------------
    public.goto("/laporan/")
    nav = public.locator("header nav")
    assert "Buat laporan" in nav.inner_text()
    public.locator("#language-select").select_option("en")
    public.get_by_role("button", name="Ganti bahasa").click()
    public.wait_for_load_state()
    assert public.locator("html").get_attribute("lang") == "en"
    assert public.url.endswith("/laporan/")  # back on the same page
    assert nav.get_by_role("link", name="Submit a report").is_visible()
    assert nav.get_by_role("link", name="Track", exact=True).is_visible()
    assert public.locator("h1").inner_text().strip() == "Public reports"
    assert "Completed" in public.locator(".report-card", has_text=TITLE).inner_text()
    assert "Buat laporan" not in nav.inner_text()
    screenshot(public, "journey-12-public-list-en")

    public.locator("#language-select").select_option("id")
    public.get_by_role("button", name="Change language").click()
    public.wait_for_load_state()
    assert public.locator("html").get_attribute("lang") == "id"
    assert nav.get_by_role("link", name="Buat laporan").is_visible()
    assert public.locator("h1").inner_text().strip() == "Laporan publik"
    assert "Submit a report" not in nav.inner_text()
