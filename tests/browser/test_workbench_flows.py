"""The staff workbench in a real browser (Chromium through Playwright), on a desktop screen.

Data is built inside each test with the services (the live server needs a transactional
database). Staff log in through the portal's login page.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from lapor.lib import clock
from lapor.reports import services
from lapor.reports.models import Channel, Report, ReportType, ResolutionClass, State
from lapor.workbench.models import ReplyTemplate
from tests.browser.conftest import login, screenshot
from tests.factories import PASSWORD, World, build_world, submit

pytestmark = pytest.mark.django_db(transaction=True)


def _staff_page(new_page: Any, user: Any, width: int = 1280) -> Any:
    page = new_page(width=width, height=900)
    login(page, user.username, PASSWORD)
    page.goto("/ruang-kerja/")
    page.wait_for_selector("h1:has-text('Kotak masuk')")
    return page


def _scan(tmp_path: Path) -> Path:
    path = tmp_path / "surat-warga.png"
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), (250, 250, 245)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _waiting_report(world: World) -> Report:
    report, _ = submit(
        world,
        suggested_institution_id=world.city.pk,
        title="Pungutan uang seragam di SD Negeri 001",
    )
    return report


def _routed_to_department(world: World) -> Report:
    report = _waiting_report(world)
    services.route_report(
        actor=world.city_admin,
        report=report,
        institution=world.department,
        report_type=ReportType.COMPLAINT,
        resolution_class=ResolutionClass.STANDARD,
    )
    return report


def test_city_admin_verifies_and_routes_to_the_department(new_page: Any) -> None:
    world = build_world()
    report = _waiting_report(world)
    for index in range(3):  # some company in the inbox
        submit(world, suggested_institution_id=world.city.pk, title=f"Laporan lain nomor {index}")
    for days_ago, title in ((40, "Jalan rusak di Sempaja"), (18, "Antrean panjang di puskesmas")):
        with clock.at(timezone.now() - timedelta(days=days_ago)):
            services.route_report(
                actor=world.city_admin,
                report=submit(world, suggested_institution_id=world.city.pk, title=title)[0],
                institution=world.department,
                report_type=ReportType.COMPLAINT,
                resolution_class=ResolutionClass.STANDARD,
            )
    page = _staff_page(new_page, world.city_admin)

    row = page.locator("tr", has=page.get_by_role("link", name=report.tracking_number))
    assert "deadline-green" in (row.get_attribute("class") or "")
    first = page.locator("tbody tr").first
    assert "deadline-red" in (first.get_attribute("class") or "")  # the overdue one leads
    assert "Jalan rusak di Sempaja" in first.inner_text()
    assert (
        page.locator(".count-card", has_text="Menunggu verifikasi").locator("strong").inner_text()
        == "4"
    )
    screenshot(page, "workbench-inbox")

    page.get_by_role("link", name=report.tracking_number).click()
    page.wait_for_url(f"**/laporan/{report.tracking_number}/")
    page.get_by_role("button", name="Verifikasi dan disposisikan").click()
    page.wait_for_url("**/disposisi/")

    page.get_by_label("Jenis laporan").select_option("pengaduan")
    page.get_by_label("14 hari kerja (pengaduan tanpa pemeriksaan)").check()
    page.get_by_label("Kategori").select_option(str(world.category.pk))
    # The searchable tree: typing narrows the select to matching institutions (htmx).
    select = page.get_by_label("Instansi tujuan", exact=True)
    assert select.locator("option").count() == 4  # "pilih" + city, its Dinas, the school
    page.get_by_label("Cari instansi tujuan").fill("Pendidikan")
    page.wait_for_function(
        "() => document.querySelector('#id_route-institution').options.length === 2"
    )
    label = select.locator("option:checked").inner_text()
    assert label == (
        "Pemerintah Provinsi Kalimantan Timur › Pemerintah Kota Samarinda › "
        "Dinas Pendidikan Kota Samarinda"
    )
    screenshot(page, "workbench-route")
    page.get_by_role("button", name="Disposisikan").click()

    page.wait_for_url(f"**/laporan/{report.tracking_number}/")
    assert page.locator(".badge-state").inner_text() == "Didisposisikan"
    assert "Laporan diverifikasi dan didisposisikan." in page.locator(".messages").inner_text()
    assert "Penyelesaian" in page.locator(".clock-card").inner_text()
    screenshot(page, "workbench-report")
    routed = Report.objects.get(pk=report.pk)
    assert routed.state == State.ROUTED and routed.queue_institution == world.department
    assert routed.resolution_class == ResolutionClass.STANDARD


def test_officer_follows_up_and_answers_with_a_reply_template(new_page: Any) -> None:
    world = build_world()
    report = _routed_to_department(world)
    ReplyTemplate.objects.create(
        institution=world.city,
        kind=ReplyTemplate.Kind.GREETING,
        title="Salam pembuka Pemkot",
        body="Terima kasih atas laporan Anda kepada Pemerintah Kota Samarinda.",
    )
    page = _staff_page(new_page, world.officer)
    page.get_by_role("link", name=report.tracking_number).click()
    page.wait_for_url(f"**/laporan/{report.tracking_number}/")

    follow_up = page.locator("#move-follow_up")
    follow_up.get_by_label("Isi tindak lanjut").fill("Kami sedang memeriksa sekolah tersebut.")
    follow_up.get_by_role("button", name="Simpan tindak lanjut").click()
    page.wait_for_selector(".messages:has-text('Tindak lanjut disimpan.')")
    assert page.locator(".badge-state").inner_text() == "Ditindaklanjuti"

    answer = page.locator("#move-answer")
    answer.locator("summary").first.click()
    answer.locator(".reply-templates summary").click()
    answer.get_by_role("button", name="Sisipkan “Salam pembuka Pemkot”").click()
    box = answer.get_by_label("Isi jawaban akhir")
    assert box.input_value().startswith("Terima kasih atas laporan Anda")
    box.press("End")
    box.type("\n\nPungutan seragam telah dihentikan dan uang dikembalikan.")
    answer.get_by_role("button", name="Kirim jawaban akhir").click()
    page.wait_for_selector(".messages:has-text('Jawaban akhir disimpan.')")
    assert page.locator(".badge-state").inner_text() == "Dijawab"

    done = Report.objects.get(pk=report.pk)
    assert done.state == State.ANSWERED
    message = done.events.filter(action="answer").get().message
    assert message.startswith("Terima kasih atas laporan Anda kepada Pemerintah Kota Samarinda.")
    assert message.endswith("Pungutan seragam telah dihentikan dan uang dikembalikan.")


def test_admin_takes_in_a_letter_and_prints_a_receipt(new_page: Any, tmp_path: Path) -> None:
    world = build_world()
    page = _staff_page(new_page, world.city_admin)
    page.get_by_role("link", name="Pengaduan luring").click()
    page.wait_for_url("**/pengaduan-luring/")

    page.get_by_label("Surat", exact=True).check()
    page.get_by_label("Dokumen asli").fill("Surat No. 045/RT-07/III/2026")
    page.set_input_files("#id_attachments", str(_scan(tmp_path)))
    page.get_by_label("Nama pelapor (opsional)").fill("Ibu Ratna")
    page.get_by_label("Telepon pelapor (opsional)").fill("0812 5550 7788")
    page.get_by_label("Jenis laporan").select_option("pengaduan")
    page.get_by_label("Judul", exact=True).fill("Drainase tersumbat di Jalan Pahlawan")
    page.get_by_label("Isi laporan", exact=True).fill(
        "Saluran air di depan rumah warga tersumbat sampah sejak dua minggu, banjir saat hujan."
    )
    page.get_by_label("Provinsi").select_option("64")
    page.get_by_label("Kabupaten/kota").select_option("64.72")
    screenshot(page, "workbench-intake")
    page.get_by_role("button", name="Simpan dan beri nomor laporan").click()

    page.wait_for_url(re.compile(r".*/pengaduan-luring/[0-9A-Z-]+/$"))
    tracking = page.locator("#tracking").inner_text().strip()
    report = Report.objects.get(tracking_number=tracking)
    assert report.channel == Channel.LETTER and report.intake_by == world.city_admin
    assert report.original_document == "Surat No. 045/RT-07/III/2026"
    assert [a.name for a in report.attachments.all()] == ["surat-warga.png"]

    page.get_by_role("button", name="Cetak tanda terima").click()
    page.wait_for_url(f"**/pengaduan-luring/{tracking}/tanda-terima/")
    receipt = page.locator(".receipt")
    assert tracking in receipt.inner_text()
    assert "Surat" in receipt.inner_text() and "Kode akses" in receipt.inner_text()
    assert page.get_by_role("button", name="Cetak").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()  # the printout is the receipt alone
    page.emulate_media(media="screen")
    screenshot(page, "workbench-receipt")


def test_the_workbench_fits_a_360_px_phone(page: Any) -> None:
    world = build_world()
    report = _routed_to_department(world)
    login(page, world.officer.username, PASSWORD)
    page.goto("/ruang-kerja/")
    overflow = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(overflow)  # the table scrolls inside its own box, not the page
    page.get_by_role("link", name=report.tracking_number).click()
    page.wait_for_url(f"**/laporan/{report.tracking_number}/")
    assert page.evaluate(overflow)
    # Keyboard only: tab to the follow-up box and type.
    page.locator("#id_follow_up-message").focus()
    page.keyboard.type("Diperiksa dari ponsel.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "follow_up-visibility"
    screenshot(page, "workbench-report-phone")
