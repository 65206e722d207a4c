"""Receiver URLs in production defaults: https only, public addresses only; a delivery to a
URL that is (or has become) unsafe is refused before connecting, and recorded."""

from __future__ import annotations

from typing import Any

import pytest

from lapor.channels.models import WebhookAttempt, WebhookDelivery
from lapor.channels.webhooks import safety
from lapor.channels.webhooks.delivery import deliver
from lapor.channels.webhooks.events import create_deliveries
from lapor.channels.webhooks.safety import UnsafeUrl, check_url
from tests.channels.receiver import Receiver
from tests.channels.test_webhooks_out import routed_event, subscribe
from tests.factories import World

Status = WebhookDelivery.Status


@pytest.fixture
def production(settings: Any) -> None:
    settings.DEBUG = False
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",
        "https://127.0.0.1/hook",
        "https://127.1.2.3:8443/hook",
        "https://10.0.0.1/",
        "https://172.16.5.4/",
        "https://192.168.1.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/",
        "https://[fe80::1]/",
        "https://[fd00::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://0.0.0.0/",
        "https://localhost/",
    ],
)
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_url(url)


@pytest.mark.usefixtures("production")
def test_a_public_https_url_passes() -> None:
    assert check_url("https://93.184.216.34/hook") == "https://93.184.216.34/hook"


def test_the_switches_allow_http_and_private_addresses(settings: Any) -> None:
    settings.DEBUG = False
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert check_url("http://127.0.0.1:9000/x") == "http://127.0.0.1:9000/x"


@pytest.mark.django_db
def test_a_delivery_to_a_private_address_is_refused_and_recorded(
    world: World, settings: Any
) -> None:
    server = Receiver([(200, 0)]).start()
    try:
        # Subscribed while allowed (as the test settings do), then production rules apply.
        subscribe(world, server.url, ["routed"])
        delivery = create_deliveries(routed_event(world).pk)[0]
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        assert deliver(delivery.pk) == Status.PENDING
        delivery.refresh_from_db()
        assert server.received == []  # never connected
        assert delivery.attempts == 1 and delivery.last_status_code is None
        assert "Ditolak sebelum dikirim" in delivery.last_error
        assert "127.0.0.1" in WebhookAttempt.objects.get(delivery=delivery).error
    finally:
        server.stop()


@pytest.mark.django_db
def test_a_name_that_now_resolves_privately_is_refused(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(safety, "resolve", lambda host, port: ["10.9.8.7"])
    subscribe(world, "https://hooks.example.id/x", ["routed"])
    delivery = create_deliveries(routed_event(world).pk)[0]
    assert deliver(delivery.pk) == Status.PENDING
    delivery.refresh_from_db()
    assert "10.9.8.7" in delivery.last_error
