"""Admins see every inbound message and can process failed ones again."""

from __future__ import annotations

import pytest

from lapor.accounts.models import User
from lapor.channels import conversation
from lapor.channels.inbound import process_message
from lapor.channels.models import InboundMessage
from lapor.reports.models import Report
from tests.channels.conftest import payload, send

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


@pytest.fixture
def admin_client(client):  # type: ignore[no-untyped-def]
    user = User.objects.create_superuser("root", "root@contoh.id", "sandi-Uji-123456")
    client.force_login(user)
    return client


def test_a_service_crash_is_kept_as_failed_then_processed_again(
    client, admin_client, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database sedang pemeliharaan")

    monkeypatch.setattr(conversation.services, "submit_report", broken)
    data = send(client, "sms", payload("sms_new_report.json")).json()
    assert data["status"] == "failed"
    assert "diperiksa petugas" in data["reply"]
    message = InboundMessage.objects.get()
    assert message.status == Status.FAILED and "RuntimeError" in message.error
    assert not Report.objects.exists()
    monkeypatch.undo()

    response = admin_client.post(
        "/admin/channels/inboundmessage/",
        {"action": "process_again", "_selected_action": [message.pk]},
        follow=True,
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.CREATED and message.attempts == 2
    assert message.report is not None
    # Processing a finished message again changes nothing.
    assert process_message(message.pk).message.report == message.report
    assert Report.objects.count() == 1


def test_changelist_filters_and_detail_pages_work(client, admin_client, world) -> None:  # type: ignore[no-untyped-def]
    send(client, "sms", payload("sms_new_report.json"))
    send(client, "sms", payload("garbage.txt"), content_type="text/plain")
    page = admin_client.get("/admin/channels/inboundmessage/?status__exact=unparseable")
    assert page.status_code == 200
    assert b"Tidak dapat dibaca" in page.content
    message = InboundMessage.objects.get(status=Status.UNPARSEABLE)
    detail = admin_client.get(f"/admin/channels/inboundmessage/{message.pk}/change/")
    assert detail.status_code == 200 and b"this is not json" in detail.content


def test_an_anonymous_reports_sender_is_hidden_in_the_admin(client, admin_client, world) -> None:  # type: ignore[no-untyped-def]
    from lapor.reports import services
    from tests.factories import report_input

    result = services.submit_report(
        actor=None,
        data=report_input(is_anonymous=True, contact_phone="+6281234567890"),
    )
    body = payload("sms_follow_up.json", tracking=result.report.tracking_number)
    assert send(client, "sms", body).json()["status"] == "threaded"
    message = InboundMessage.objects.get()
    page = admin_client.get("/admin/channels/inboundmessage/")
    assert b"6281234567890" not in page.content
    detail = admin_client.get(f"/admin/channels/inboundmessage/{message.pk}/change/")
    assert b"6281234567890" not in detail.content


def test_adding_an_open311_client_shows_its_key_once(admin_client, world) -> None:  # type: ignore[no-untyped-def]
    from lapor.channels.models import Open311Client, hash_key

    response = admin_client.post(
        "/admin/channels/open311client/add/",
        {"name": "Aplikasi Kota", "institution": world.city.pk, "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    client = Open311Client.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    key = next(m.split(": ", 1)[1] for m in shown if "o311_" in m)
    assert client.key_hash == hash_key(key) and client.institution == world.city
    assert client.is_active


def test_a_subscription_form_offers_a_fresh_secret(admin_client, world) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/admin/channels/webhooksubscription/add/")
    assert page.status_code == 200 and b"whsec_" in page.content
    listing = admin_client.get("/admin/channels/webhookdelivery/")
    assert listing.status_code == 200
