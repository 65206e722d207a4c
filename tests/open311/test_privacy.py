"""Confidential and unverified reports and personal data never reach any Open311 output."""

from __future__ import annotations

import pytest

from lapor.channels.models import Open311Client
from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import World, submit
from tests.open311.conftest import published

pytestmark = pytest.mark.django_db

NIK = "6472011234560001"
PHONE = "0812-3456-7890"
EMAIL = "siti.rahma@contoh.id"
PERSONAL_BODY = (
    f"Saya Siti, NIK {NIK}, hubungi {PHONE} atau {EMAIL}. Kepala sekolah meminta uang seragam."
)


def all_outputs(client, numbers: list[str]) -> bytes:  # type: ignore[no-untyped-def]
    """Every Open311 read, both formats, with and without filters."""
    chunks = []
    for fmt in ("xml", "json"):
        paths = [
            f"/open311/v2/requests.{fmt}",
            f"/open311/v2/requests.{fmt}?status=open,closed",
            f"/open311/v2/requests.{fmt}?service_request_id={','.join(numbers)}",
            f"/open311/v2/services.{fmt}",
            f"/open311/v2/discovery.{fmt}",
        ]
        paths += [f"/open311/v2/requests/{n}.{fmt}" for n in numbers]
        paths += [f"/open311/v2/tokens/{n}.{fmt}" for n in numbers]
        chunks += [client.get(p).content for p in paths]
    return b"\n".join(chunks)


def test_confidential_reports_never_appear(client, world: World) -> None:  # type: ignore[no-untyped-def]
    secret = published(world, is_confidential=True, title="Rahasia: suap di dinas")
    visible = published(world)
    out = all_outputs(client, [secret.tracking_number, visible.tracking_number])
    assert secret.tracking_number.encode() not in out
    assert b"suap di dinas" not in out
    assert visible.tracking_number.encode() in out
    response = client.get(f"/open311/v2/requests/{secret.tracking_number}.json")
    assert response.status_code == 404


def test_unverified_held_and_archived_reports_never_appear(client, world: World) -> None:  # type: ignore[no-untyped-def]
    waiting, _ = submit(world)
    held, _ = submit(world)
    services.hold_report(actor=world.national_admin, report=held, question="Lokasinya di mana?")
    archived, _ = submit(world)
    services.archive_report(actor=world.national_admin, report=archived, reason_code="spam")
    numbers = [waiting.tracking_number, held.tracking_number, archived.tracking_number]
    out = all_outputs(client, numbers)
    for number in numbers:
        assert number.encode() not in out


def test_a_request_posted_through_open311_is_404_until_verified(client, world: World) -> None:  # type: ignore[no-untyped-def]
    _, key = Open311Client.issue("Aplikasi")
    number = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": world.category.code, "description": PERSONAL_BODY},
    ).json()[0]["service_request_id"]
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
    assert number.encode() not in all_outputs(client, [number])
    world.route(Report.objects.get(tracking_number=number), world.city)
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 200


def test_personal_data_in_text_is_masked_and_contacts_never_shown(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = published(
        world,
        body=PERSONAL_BODY,
        title=f"Pungli, hubungi {PHONE}",
        address=f"Rumah Siti, telp {PHONE}",
        contact_name="Siti Rahmawati",
        contact_email=EMAIL,
        contact_phone="081234567890",
    )
    out = all_outputs(client, [report.tracking_number])
    assert report.tracking_number.encode() in out
    for secret in (NIK, PHONE, EMAIL, "081234567890", "Rahmawati", world.reporter.username):
        assert secret.encode() not in out, secret
    assert b"[NIK disembunyikan]" in out
    assert b"[nomor telepon disembunyikan]" in out


def test_anonymous_reporter_leaves_no_trace(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = published(world, is_anonymous=True)
    out = all_outputs(client, [report.tracking_number])
    assert report.tracking_number.encode() in out
    reporter = world.reporter
    for value in (reporter.full_name, reporter.username, reporter.email, reporter.nik):
        assert value.encode() not in out


def test_open311_media_url_and_device_are_never_published(client, world: World) -> None:  # type: ignore[no-untyped-def]
    _, key = Open311Client.issue("Aplikasi")
    number = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": world.category.code,
            "description": "Jalan berlubang di depan pasar.",
            "media_url": "https://foto.contoh.id/rumah-saya.jpg",
            "device_id": "device-123456",
            "first_name": "Budi",
            "last_name": "Santoso",
        },
    ).json()[0]["service_request_id"]
    world.route(Report.objects.get(tracking_number=number), world.city)
    out = all_outputs(client, [number])
    assert number.encode() in out
    for value in (b"rumah-saya", b"device-123456", b"Santoso"):
        assert value not in out
