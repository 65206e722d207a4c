"""SMS 1708: a text becomes a report; later texts from the same number thread into it."""

from __future__ import annotations

import json

import pytest

from lapor.channels.models import InboundMessage
from lapor.reports import services
from lapor.reports.models import Channel, Report, ReportEvent, State
from tests.channels.conftest import payload, send
from tests.factories import World

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


def new_sms_report(client) -> Report:  # type: ignore[no-untyped-def]
    response = send(client, "sms", payload("sms_new_report.json"))
    assert response.status_code == 200, response.content
    return Report.objects.get(tracking_number=response.json()["tracking_number"])


def follow_up(client, tracking: str, message_id: str = "1708-x-1", **kw: str):  # type: ignore[no-untyped-def]
    body = json.loads(payload("sms_follow_up.json", tracking=tracking))
    body["message_id"] = message_id
    body.update(kw)
    return send(client, "sms", json.dumps(body).encode())


def test_a_text_becomes_a_report_and_the_reply_carries_its_number(client, world: World) -> None:  # type: ignore[no-untyped-def]
    response = send(client, "sms", payload("sms_new_report.json"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "created"
    report = Report.objects.get(tracking_number=data["tracking_number"])
    assert report.tracking_number in data["reply"]
    assert "/lacak/" in data["reply"] and "kunci=" in data["reply"]
    assert data["reply_to"] == "+6281234567890"
    assert report.channel == Channel.SMS
    assert report.report_type == "pengaduan"
    assert report.state == State.AWAITING_VERIFICATION
    assert report.title == "Jalan di depan SDN 001 Samarinda rusak parah,…"
    assert report.body.startswith("Jalan di depan SDN 001 Samarinda rusak parah")
    assert report.contact_phone == "+6281234567890"
    event = ReportEvent.objects.get(report=report)
    assert event.actor_role == "channel" and event.data["actor"] == "channel:sms"
    message = InboundMessage.objects.get()
    assert message.status == Status.CREATED and message.report == report
    assert message.external_id == "1708-20260302-091522-000123"
    assert message.action == "submit"
    # The stored reply never keeps the secret of the private link.
    assert "kunci=…" in message.reply and data["reply"] not in message.reply


def test_a_text_starting_with_the_number_adds_information(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_sms_report(client)
    response = follow_up(client, report.tracking_number)
    data = response.json()
    assert data["status"] == "threaded" and data["tracking_number"] == report.tracking_number
    assert report.tracking_number in data["reply"]
    event = ReportEvent.objects.get(report=report, action="add_information")
    assert event.message.startswith("Tambahan: lubangnya makin besar")
    assert event.actor_role == "channel"
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "prefix",
    ["{n}", "#{n}:", "Lapor {n},", "{lower}", "{compact}", "No. {n} -"],
)
def test_the_number_is_read_in_the_ways_people_type_it(client, world: World, prefix) -> None:  # type: ignore[no-untyped-def]
    report = new_sms_report(client)
    number = report.tracking_number
    typed = prefix.format(n=number, lower=number.lower(), compact=number.replace("-", ""))
    body = json.loads(payload("sms_follow_up.json", tracking=typed))
    body["message_id"] = "m-2"
    data = send(client, "sms", json.dumps(body).encode()).json()
    assert data["status"] == "threaded", (prefix, data)
    event = ReportEvent.objects.get(report=report, action="add_information")
    assert event.message.startswith("Tambahan")


def test_an_answer_to_an_open_hold_question_clarifies(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_sms_report(client)
    services.hold_report(actor=world.national_admin, report=report, question="Di jalan apa?")
    # The answer comes without a number, and the number is written another way (0812...).
    data = send(client, "sms", payload("sms_hold_answer.json")).json()
    assert data["status"] == "threaded" and data["tracking_number"] == report.tracking_number
    refreshed = Report.objects.get(pk=report.pk)
    assert refreshed.state == State.AWAITING_VERIFICATION
    event = ReportEvent.objects.get(report=report, action="clarify")
    assert event.message.startswith("Lokasinya di Jl. Juanda")
    assert InboundMessage.objects.get(external_id__endswith="001204").action == "clarify"


def test_without_a_number_or_hold_a_second_text_is_a_new_report(client, world: World) -> None:  # type: ignore[no-untyped-def]
    first = new_sms_report(client)
    data = send(client, "sms", payload("sms_hold_answer.json")).json()
    assert data["status"] == "created" and data["tracking_number"] != first.tracking_number


def test_after_the_answer_a_text_reopens_but_thanks_do_not(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_sms_report(client)
    world.route(report, world.city)
    services.post_answer(actor=world.city_admin, report=report, message="Sudah diperbaiki.")
    thanks = follow_up(
        client, report.tracking_number, "m-thanks", text=f"{report.tracking_number} terima kasih"
    )
    assert thanks.json()["status"] == "ignored"
    assert Report.objects.get(pk=report.pk).state == State.ANSWERED
    reopened = follow_up(client, report.tracking_number, "m-reopen")
    assert reopened.json()["status"] == "threaded"
    assert Report.objects.get(pk=report.pk).state == State.IN_PROGRESS
    assert ReportEvent.objects.filter(report=report, action="reopen").count() == 1


def test_the_number_alone_asks_for_the_status(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_sms_report(client)
    data = follow_up(client, report.tracking_number, "m-status", text=report.tracking_number).json()
    assert data["status"] == "threaded"
    assert "Menunggu verifikasi" in data["reply"]
    assert not ReportEvent.objects.filter(report=report, action="add_information").exists()


def test_someone_elses_number_is_refused_and_kept(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_sms_report(client)
    data = follow_up(client, report.tracking_number, "m-other", **{"from": "+6285200000000"}).json()
    assert data["status"] == "failed" and data["tracking_number"] is None
    assert "tidak ditemukan" in data["reply"]
    assert not ReportEvent.objects.filter(report=report, action="add_information").exists()
    message = InboundMessage.objects.get(external_id="m-other")
    assert message.status == Status.FAILED and "bukan milik" in message.error
    # The same answer for a number that exists nowhere: nothing tells them apart.
    unknown = follow_up(client, "26-0000-0000", "m-unknown").json()
    assert unknown["status"] in {"created", "failed"}


def test_a_closed_report_gets_a_new_one(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_sms_report(client)
    services.archive_report(actor=world.national_admin, report=report, reason_code="spam")
    data = follow_up(client, report.tracking_number, "m-after-close").json()
    assert data["status"] == "created" and data["tracking_number"] != report.tracking_number
    assert f"Laporan {report.tracking_number} sudah ditutup" in data["reply"]


def test_a_resent_message_is_recognised_and_not_processed_twice(client, world: World) -> None:  # type: ignore[no-untyped-def]
    first = send(client, "sms", payload("sms_new_report.json")).json()
    again = send(client, "sms", payload("sms_new_report.json"))
    assert again.status_code == 200
    data = again.json()
    assert data["status"] == "duplicate"
    assert data["tracking_number"] == first["tracking_number"]
    assert Report.objects.count() == 1 and InboundMessage.objects.count() == 1
    assert data["reply"] == InboundMessage.objects.get().reply


def test_delivery_reports_and_operator_messages_are_ignored(client, world: World) -> None:  # type: ignore[no-untyped-def]
    for name in ("sms_delivery_report.json", "sms_operator_promo.json"):
        data = send(client, "sms", payload(name)).json()
        assert data["status"] == "ignored" and data["reply"] is None
    assert not Report.objects.exists()
    assert InboundMessage.objects.filter(status=Status.IGNORED).count() == 2


def test_garbage_is_kept_as_unparseable_and_acknowledged(client, world: World) -> None:  # type: ignore[no-untyped-def]
    response = send(client, "sms", payload("garbage.txt"), content_type="text/plain")
    assert response.status_code == 200
    assert response.json()["status"] == "unparseable"
    message = InboundMessage.objects.get()
    assert message.status == Status.UNPARSEABLE
    assert message.payload["raw"].startswith("this is not json")
    assert message.error


def test_too_short_a_text_fails_with_a_reply_and_is_kept(client, world: World) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps({"message_id": "short-1", "from": "+6281234567890", "text": "halo"})
    data = send(client, "sms", body.encode()).json()
    assert data["status"] == "failed"
    assert "belum dapat diproses" in data["reply"]
    assert InboundMessage.objects.get().error


def test_a_twilio_style_form_post_is_understood(client, world: World) -> None:  # type: ignore[no-untyped-def]
    response = send(
        client,
        "sms",
        payload("sms_twilio_form.txt"),
        content_type="application/x-www-form-urlencoded",
    )
    data = response.json()
    assert data["status"] == "created"
    report = Report.objects.get(tracking_number=data["tracking_number"])
    assert report.contact_phone == "+6285298765432"
    assert report.body.startswith("Lampu penerangan jalan di Jl. Pahlawan Balikpapan")
    assert InboundMessage.objects.get().external_id == "SM9f3b2c1e0d4a5b6c7d8e9f0a1b2c3d4e"


def test_nul_characters_from_a_gateway_are_stored_without_them(client, world: World) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(
        {
            "message_id": "nul-1",
            "from": "+6281234567890",
            "text": "Jalan\u0000 rusak parah di Sempaja.",
        }
    )
    data = send(client, "sms", body.encode()).json()
    assert data["status"] == "created"
    assert "\x00" not in InboundMessage.objects.get().text
