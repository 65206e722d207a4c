"""WhatsApp and social media through the generic gateway webhook, with the same threading."""

from __future__ import annotations

import base64
import json

import pytest

from lapor.channels.models import InboundMessage
from lapor.reports import services
from lapor.reports.models import Channel, Report, ReportEvent, State
from tests.channels.conftest import payload, send
from tests.factories import World

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGM8ISfHAANMDEgAhQMAJtoBCkAAOw8"
    "AAAAASUVORK5CYII="
)


def whatsapp(client, **changes):  # type: ignore[no-untyped-def]
    body = json.loads(payload("whatsapp_message.json"))
    body.update(changes)
    return send(client, "whatsapp", json.dumps(body).encode()).json()


def test_a_whatsapp_message_becomes_a_report(client, world: World) -> None:  # type: ignore[no-untyped-def]
    data = whatsapp(client)
    assert data["status"] == "created"
    report = Report.objects.get(tracking_number=data["tracking_number"])
    assert report.channel == Channel.WHATSAPP
    assert report.contact_phone == "6281234567890"
    assert report.contact_name == "Siti Rahmawati"
    assert report.tracking_number in data["reply"]


def test_whatsapp_threads_by_number_and_by_hold(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = Report.objects.get(tracking_number=whatsapp(client)["tracking_number"])
    data = whatsapp(
        client,
        message_id="wamid.2",
        text=f"{report.tracking_number} ini fotonya",
        attachments=[{"filename": "antrean.png", "content_type": "image/png", "content": PNG}],
    )
    assert data["status"] == "threaded"
    event = ReportEvent.objects.get(report=report, action="add_information")
    assert event.message == "ini fotonya" and event.attachments.count() == 1
    services.hold_report(actor=world.national_admin, report=report, question="Tanggal berapa?")
    data = whatsapp(client, message_id="wamid.3", text="Tanggal 2 Maret, hari Senin.")
    assert data["status"] == "threaded"
    assert Report.objects.get(pk=report.pk).state == State.AWAITING_VERIFICATION


def test_a_picture_alone_is_a_message(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = Report.objects.get(tracking_number=whatsapp(client)["tracking_number"])
    services.hold_report(actor=world.national_admin, report=report, question="Ada foto?")
    data = whatsapp(
        client,
        message_id="wamid.pic",
        text="",
        attachments=[{"filename": "foto.png", "content": PNG}],
    )
    assert data["status"] == "threaded"


def test_status_callbacks_are_ignored(client, world: World) -> None:  # type: ignore[no-untyped-def]
    data = send(client, "whatsapp", payload("whatsapp_status.json")).json()
    assert data["status"] == "ignored"
    assert not Report.objects.exists()


def test_a_channel_field_that_disagrees_with_the_secret_is_unparseable(
    client, world: World
) -> None:  # type: ignore[no-untyped-def]
    data = send(client, "social_media", payload("whatsapp_message.json")).json()
    assert data["status"] == "unparseable"
    message = InboundMessage.objects.get()
    assert message.channel == "social_media" and "whatsapp" in message.error


def test_a_social_message_with_a_verified_email_threads(client, world: World) -> None:  # type: ignore[no-untyped-def]
    data = send(client, "social_media", payload("social_message.json")).json()
    assert data["status"] == "created"
    report = Report.objects.get(tracking_number=data["tracking_number"])
    assert report.channel == Channel.SOCIAL_MEDIA
    assert report.contact_email == "warga.samarinda@contoh.id"
    assert report.contact_name == "Warga Samarinda"
    body = json.loads(payload("social_message.json"))
    body.update(message_id="189604229731577", text=f"{report.tracking_number} sudah 4 bulan")
    data = send(client, "social_media", json.dumps(body).encode()).json()
    assert data["status"] == "threaded"


def test_a_bare_social_handle_cannot_thread(client, world: World) -> None:  # type: ignore[no-untyped-def]
    body = json.loads(payload("social_message.json"))
    del body["email"]
    data = send(client, "social_media", json.dumps(body).encode()).json()
    assert data["status"] == "created"
    number = data["tracking_number"]
    body.update(message_id="next", text=f"{number} tambahan info")
    again = send(client, "social_media", json.dumps(body).encode()).json()
    assert again["status"] == "failed"  # a handle proves no phone or address


def test_empty_whatsapp_message_is_unparseable(client, world: World) -> None:  # type: ignore[no-untyped-def]
    assert whatsapp(client, text="", message_id="empty")["status"] == "unparseable"


def test_bad_base64_attachment_is_noted(client, world: World) -> None:  # type: ignore[no-untyped-def]
    data = whatsapp(
        client,
        message_id="b64",
        attachments=[{"filename": "x.png", "content": base64.b64encode(b"xx").decode() + "!!"}],
    )
    assert data["status"] == "created"
    assert "x.png" in InboundMessage.objects.get().error
