"""E-mail through a provider's webhook: new reports with attachments, replies threaded by the
subject's tracking number or by Message-ID headers, auto-replies and bounces ignored."""

from __future__ import annotations

import base64
import json

import pytest

from lapor.channels.mailids import remember_outbound
from lapor.channels.models import InboundMessage, KnownMessageId
from lapor.reports import services
from lapor.reports.models import Attachment, Channel, Report, ReportEvent, State
from tests.channels.conftest import payload, send
from tests.factories import World

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


def new_mail_report(client) -> Report:  # type: ignore[no-untyped-def]
    data = send(client, "email", payload("email_new.json")).json()
    assert data["status"] == "created", data
    return Report.objects.get(tracking_number=data["tracking_number"])


def reply(client, in_reply_to: str, **changes):  # type: ignore[no-untyped-def]
    body = json.loads(payload("email_reply.json", in_reply_to=in_reply_to))
    body.update(changes)
    return send(client, "email", json.dumps(body).encode()).json()


def test_an_email_becomes_a_report_with_its_attachment(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_mail_report(client)
    assert report.channel == Channel.EMAIL
    assert report.title == "Pungutan liar di SMP Negeri 4 Samarinda"
    assert report.body.startswith("Yth. Admin LAPOR!,")
    assert report.contact_email == "budi.santoso@contoh.id"
    assert report.contact_name == "Budi Santoso"
    attachment = Attachment.objects.get(report=report)
    assert attachment.name == "surat-edaran.png" and attachment.kind == "image"
    message = InboundMessage.objects.get()
    assert message.external_id == "<CAF3k9ZQ1b2c3d4e5f6@mail.contoh.id>"
    assert message.headers["Authentication-Results"].startswith("mx.lapor.go.id")
    assert KnownMessageId.objects.get().report == report


def test_a_reply_to_our_message_id_threads_and_drops_the_quote(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_mail_report(client)
    remember_outbound("<ack-26-0001@lapor.go.id>", report)
    data = reply(client, "<ack-26-0001@lapor.go.id>")
    assert data["status"] == "threaded" and data["tracking_number"] == report.tracking_number
    event = ReportEvent.objects.get(report=report, action="add_information")
    assert event.message.startswith("Tambahan: rapat komite")
    assert "menulis:" not in event.message and ">" not in event.message


def test_a_reply_in_the_reporters_own_thread_threads(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_mail_report(client)
    # References carry the citizen's first message id (recorded when it became the report).
    data = reply(client, "<CAF3k9ZQ1b2c3d4e5f6@mail.contoh.id>")
    assert data["status"] == "threaded" and data["tracking_number"] == report.tracking_number


def test_a_reply_to_a_notification_email_threads(client, world: World) -> None:  # type: ignore[no-untyped-def]
    notifications = pytest.importorskip("lapor.notifications.tasks")
    from lapor.notifications.models import Notification

    report = new_mail_report(client)
    note = Notification.objects.create(
        report=report,
        audience="reporter",
        kind="submit",
        channel="email",
        address="budi.santoso@contoh.id",
        subject="Laporan diterima",
        body="...",
        idempotency_key=f"submit:{report.pk}:reporter",
    )
    data = reply(client, notifications.message_id(note.idempotency_key))
    assert data["status"] == "threaded" and data["tracking_number"] == report.tracking_number


def test_the_tracking_number_in_the_subject_threads(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_mail_report(client)
    world.route(report, world.city)
    services.post_answer(actor=world.city_admin, report=report, message="Sumbangan dibatalkan.")
    data = reply(
        client,
        "<unknown@elsewhere>",
        subject=f"Re: [LAPOR! {report.tracking_number}] Laporan Anda dijawab",
        text="Sumbangan masih ditagih sampai hari ini, jawaban itu tidak benar.",
    )
    assert data["status"] == "threaded"
    assert Report.objects.get(pk=report.pk).state == State.IN_PROGRESS
    assert ReportEvent.objects.filter(report=report, action="reopen").exists()


def test_a_hold_question_is_answered_by_email(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_mail_report(client)
    services.hold_report(actor=world.national_admin, report=report, question="Kelas berapa?")
    body = {
        "from": "budi.santoso@contoh.id",
        "subject": "Jawaban",
        "text": "Anak saya kelas 8B, wali kelas Ibu Ratna.",
        "headers": {"Message-ID": "<answer-1@mail.contoh.id>"},
    }
    data = send(client, "email", json.dumps(body).encode()).json()
    assert data["status"] == "threaded" and data["tracking_number"] == report.tracking_number
    assert Report.objects.get(pk=report.pk).state == State.AWAITING_VERIFICATION


@pytest.mark.parametrize("name", ["email_out_of_office.json", "email_bounce.json"])
def test_auto_replies_and_bounces_are_ignored_and_kept(client, world: World, name) -> None:  # type: ignore[no-untyped-def]
    data = send(client, "email", payload(name)).json()
    assert data["status"] == "ignored" and data["reply"] is None
    assert not Report.objects.exists()
    message = InboundMessage.objects.get()
    assert message.status == Status.IGNORED and message.error


@pytest.mark.parametrize(
    "headers",
    [
        {"Precedence": "bulk"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autorespond": "1"},
    ],
)
def test_each_auto_reply_marker_is_recognised(client, world: World, headers) -> None:  # type: ignore[no-untyped-def]
    body = {
        "from": "warga@contoh.id",
        "subject": "Pemberitahuan",
        "text": "Pesan otomatis dari sistem kami.",
        "headers": {**headers, "Message-ID": f"<{next(iter(headers))}@x>"},
    }
    assert send(client, "email", json.dumps(body).encode()).json()["status"] == "ignored"


def test_auto_submitted_no_is_a_person(client, world: World) -> None:  # type: ignore[no-untyped-def]
    body = {
        "from": "warga@contoh.id",
        "subject": "Trotoar rusak di Jl. Biawan",
        "text": "Trotoar di depan kantor pos rusak dan berlubang.",
        "headers": {"Auto-Submitted": "no", "Message-ID": "<person@x>"},
    }
    assert send(client, "email", json.dumps(body).encode()).json()["status"] == "created"


def test_a_sender_failing_dmarc_cannot_act_on_a_report(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = new_mail_report(client)
    data = send(
        client, "email", payload("email_spoofed_reply.json", tracking=report.tracking_number)
    ).json()
    assert data["status"] == "failed"
    assert not ReportEvent.objects.filter(report=report).exclude(action="submit").exists()
    assert (
        "SPF/DKIM/DMARC" in InboundMessage.objects.get(external_id="<spoof-001@evil.example>").error
    )


def test_a_refused_attachment_is_noted_and_the_words_still_count(client, world: World) -> None:  # type: ignore[no-untyped-def]
    body = json.loads(payload("email_new.json"))
    body["attachments"].append(
        {
            "filename": "virus.exe",
            "content_type": "application/octet-stream",
            "content": base64.b64encode(b"MZ\x90\x00 not really").decode(),
        }
    )
    body["attachments"].append({"filename": "rusak.png", "content": "%%% not base64 %%%"})
    data = send(client, "email", json.dumps(body).encode()).json()
    assert data["status"] == "created"
    report = Report.objects.get(tracking_number=data["tracking_number"])
    assert list(report.attachments.values_list("name", flat=True)) == ["surat-edaran.png"]
    error = InboundMessage.objects.get().error
    assert "virus.exe" in error and "rusak.png" in error


def test_html_only_mail_is_read_as_text(client, world: World) -> None:  # type: ignore[no-untyped-def]
    body = {
        "from": "Ani <ani@contoh.id>",
        "subject": "Sampah menumpuk",
        "html": "<html><style>p{}</style><p>Sampah menumpuk di TPS Jl. Lambung Mangkurat</p>"
        "<p>sudah dua minggu.</p></html>",
        "headers": {"Message-ID": "<html-1@contoh.id>"},
    }
    data = send(client, "email", json.dumps(body).encode()).json()
    report = Report.objects.get(tracking_number=data["tracking_number"])
    assert report.body == "Sampah menumpuk di TPS Jl. Lambung Mangkurat\nsudah dua minggu."


def test_a_resent_email_is_one_message(client, world: World) -> None:  # type: ignore[no-untyped-def]
    send(client, "email", payload("email_new.json"))
    assert send(client, "email", payload("email_new.json")).json()["status"] == "duplicate"
    assert Report.objects.count() == 1


def test_mail_without_a_sender_is_unparseable(client, world: World) -> None:  # type: ignore[no-untyped-def]
    body = {"subject": "Tanpa pengirim", "text": "Isi laporan yang cukup panjang.", "from": ""}
    data = send(client, "email", json.dumps(body).encode()).json()
    assert data["status"] in {"unparseable", "ignored"}
    assert InboundMessage.objects.get().status in {Status.UNPARSEABLE, Status.IGNORED}
