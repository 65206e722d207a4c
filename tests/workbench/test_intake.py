"""Manual intake of offline complaints and the printable receipt."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lapor.reports.models import Channel, Report, State
from tests.factories import World
from tests.workbench.conftest import NOT_STAFF, PERSONAS, client_for, png_bytes

INTAKE = reverse("workbench:intake")


def _letter(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "channel": "letter",
        "original_document": "Surat No. 123/RT-04/2026 tanggal 2 Maret 2026",
        "report_type": "pengaduan",
        "title": "Lampu jalan mati sebulan",
        "body": "Lampu jalan di Jalan Juanda mati sejak sebulan lalu dan belum diperbaiki.",
        "province": "64",
        "regency": "64.72",
        "category": world.category.pk,
        "suggested_institution": world.city.pk,
        "contact_name": "Pak Budi Santoso",
        "contact_phone": "0812 5550 1234",
        "submission_key": "kunci-formulir-1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_intake_form_opens_for_staff_who_take_in_reports(world: World, persona: str) -> None:
    response = client_for(getattr(world, persona)).get(INTAKE)
    takes_in = persona not in NOT_STAFF | {"auditor", "leader"}
    assert response.status_code == (200 if takes_in else 403)


def test_form_is_ready_for_a_letter_to_the_staffs_own_institution(world: World) -> None:
    html = client_for(world.officer).get(INTAKE).content.decode()
    for channel in ("letter", "walk_in", "phone", "suggestion_box"):
        assert f'value="{channel}"' in html
    assert 'value="letter" required id="id_channel_0" checked' in html
    assert f'<option value="{world.city.pk}" selected>' in html
    assert 'type="file" name="attachments" multiple' in html
    assert 'name="submission_key"' in html


def test_a_letter_gets_a_tracking_number_and_a_receipt(world: World) -> None:
    client = client_for(world.city_admin)
    scan = SimpleUploadedFile("surat.png", png_bytes(), content_type="image/png")
    response = client.post(INTAKE, {**_letter(world), "attachments": [scan]})
    assert response.status_code == 302
    report = Report.objects.get(title="Lampu jalan mati sebulan")
    assert response["Location"] == reverse("workbench:intake_done", args=[report.tracking_number])
    assert report.channel == Channel.LETTER and report.state == State.AWAITING_VERIFICATION
    assert report.intake_by == world.city_admin and report.reporter is None
    assert report.original_document.startswith("Surat No. 123")
    assert report.queue_institution == world.city
    assert report.contact_phone == "081255501234"
    assert [a.name for a in report.attachments.all()] == ["surat.png"]
    assert report.events.get().actor_role == "intake"

    done = client.get(response["Location"]).content.decode()
    assert f'class="tracking-number tracking-large" id="tracking">{report.tracking_number}<' in done
    receipt_url = reverse("workbench:receipt", args=[report.tracking_number])
    assert f'href="{receipt_url}"' in done
    receipt = client.get(receipt_url)
    html = receipt.content.decode()
    assert report.tracking_number in html and "Surat" in html and "Tanda terima" in html
    assert "Kode akses" in html and "?kunci=" in html  # the reporter's private link, on paper
    assert "no-store" in receipt["Cache-Control"]
    assert "akan dikirim" not in done + html  # no SMS/e-mail hook exists yet: no promise


def test_a_letter_needs_its_original_document(world: World) -> None:
    response = client_for(world.city_admin).post(INTAKE, _letter(world, original_document=""))
    assert response.status_code == 400
    assert "original_document" in response.context["form"].errors
    assert "surat asli wajib diisi" in response.content.decode()
    assert not Report.objects.exists()


def test_a_walk_in_needs_no_document(world: World) -> None:
    data = _letter(world, channel="walk_in", original_document="", contact_phone="")
    assert client_for(world.officer).post(INTAKE, data).status_code == 302
    assert Report.objects.get().channel == Channel.WALK_IN


@pytest.mark.parametrize(
    ("field", "value", "error_on", "message"),
    [
        ("contact_email", "bukan-surel", "contact_email", "Alamat surel tidak valid."),
        ("contact_phone", "12", "contact_phone", "Nomor telepon tidak valid."),
        ("province", "63", "regency", "Kabupaten/kota tidak berada di provinsi yang dipilih."),
        ("title", "abc", "title", "Judul terlalu pendek"),
    ],
)
def test_bad_input_comes_back_on_its_field(
    world: World, field: str, value: str, error_on: str, message: str
) -> None:
    response = client_for(world.city_admin).post(INTAKE, _letter(world, **{field: value}))
    assert response.status_code == 400
    assert message in response.context["form"].errors[error_on][0]
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_double_submit_creates_one_report(world: World) -> None:
    client = client_for(world.city_admin)
    first = client.post(INTAKE, _letter(world))
    second = client.post(INTAKE, _letter(world))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


def test_leadership_cannot_post_an_intake(world: World) -> None:
    response = client_for(world.leader).post(INTAKE, _letter(world))
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_receipt_is_only_for_its_taker_or_staff_in_scope(world: World) -> None:
    client_for(world.city_admin).post(INTAKE, _letter(world))
    report = Report.objects.get()
    url = reverse("workbench:receipt", args=[report.tracking_number])
    assert client_for(world.other_admin).get(url).status_code == 404
    # Staff in scope may print it again, without the private link (it lives in the session).
    html = client_for(world.province_admin).get(url).content.decode()
    assert report.tracking_number in html and "?kunci=" not in html


def test_a_letter_to_another_institution_still_gives_its_taker_the_receipt(world: World) -> None:
    client = client_for(world.city_admin)
    client.post(INTAKE, _letter(world, suggested_institution=world.ministry.pk))
    report = Report.objects.get()
    assert report.queue_institution == world.ministry
    assert client.get(reverse("workbench:report", args=[report.tracking_number])).status_code == 404
    receipt = client.get(reverse("workbench:receipt", args=[report.tracking_number]))
    assert receipt.status_code == 200 and report.tracking_number in receipt.content.decode()
