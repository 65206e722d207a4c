"""Only a gateway holding the channel's secret is heard; nothing else is stored."""

from __future__ import annotations

import pytest

from lapor.channels.models import InboundMessage
from lapor.channels.signing import sign_body
from lapor.reports.models import Report
from tests.channels.conftest import SECRETS, payload, send

pytestmark = pytest.mark.django_db


def test_missing_signature_is_401_and_nothing_is_stored(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/channels/sms/", data=payload("sms_new_report.json"), content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signature_missing"
    assert not InboundMessage.objects.exists() and not Report.objects.exists()


@pytest.mark.parametrize(
    "signature",
    [
        "sha256=" + "0" * 64,
        "sha256=deadbeef",
        "not-a-signature",
        sign_body(SECRETS["email"], b"other body"),
    ],
)
def test_wrong_signature_is_403_and_nothing_is_stored(client, signature) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/channels/sms/",
        data=payload("sms_new_report.json"),
        content_type="application/json",
        HTTP_X_LAPOR_SIGNATURE=signature,
    )
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_another_channels_secret_does_not_open_this_channel(client) -> None:  # type: ignore[no-untyped-def]
    response = send(client, "sms", payload("sms_new_report.json"), secret=SECRETS["email"])
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_the_signature_covers_the_exact_body(client) -> None:  # type: ignore[no-untyped-def]
    body = payload("sms_new_report.json")
    response = client.post(
        "/channels/sms/",
        data=body + b" ",
        content_type="application/json",
        HTTP_X_LAPOR_SIGNATURE=sign_body(SECRETS["sms"], body),
    )
    assert response.status_code == 403


def test_signature_header_is_case_insensitive_hex_with_or_without_prefix(client, world) -> None:  # type: ignore[no-untyped-def]
    body = payload("sms_new_report.json")
    bare = sign_body(SECRETS["sms"], body).removeprefix("sha256=").upper()
    response = client.post(
        "/channels/sms/", data=body, content_type="application/json", HTTP_X_LAPOR_SIGNATURE=bare
    )
    assert response.status_code == 200


def test_a_disabled_channel_is_404(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHANNELS_ENABLED = ["email"]
    assert send(client, "sms", payload("sms_new_report.json")).status_code == 404
    assert not InboundMessage.objects.exists()


def test_an_oversized_body_is_413(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHANNEL_MAX_BODY_BYTES = 100
    assert send(client, "sms", payload("sms_new_report.json")).status_code == 413
    assert not InboundMessage.objects.exists()


def test_only_post(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/channels/sms/").status_code == 405


def test_the_gateway_secret_decides_whatsapp_or_social_media(client, world) -> None:  # type: ignore[no-untyped-def]
    whatsapp = send(client, "whatsapp", payload("whatsapp_message.json"))
    social = send(client, "social_media", payload("social_message.json"))
    assert whatsapp.status_code == social.status_code == 200
    assert set(InboundMessage.objects.values_list("channel", flat=True)) == {
        "whatsapp",
        "social_media",
    }


@pytest.mark.parametrize("length", ["abc", "-1", "12x", "1e3", "٣"])
def test_a_malformed_content_length_is_400_and_nothing_is_stored(client, length) -> None:  # type: ignore[no-untyped-def]
    body = payload("sms_new_report.json")
    response = client.post(
        "/channels/sms/",
        data=body,
        content_type="application/json",
        CONTENT_LENGTH=length,
        HTTP_X_LAPOR_SIGNATURE=sign_body(SECRETS["sms"], body),
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_content_length"
    assert not InboundMessage.objects.exists()
