"""Fixtures of the notification tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.notifications.gateway import FakeSmsGateway


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing() -> Iterator[None]:
    # Every world creates seventeen accounts; nothing here tests password hashing.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _notification_settings(settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://lapor.example.id"
    settings.SMS_BACKEND = "console"
    settings.NOTIFY_MAX_ATTEMPTS = 5
    settings.NOTIFY_RETRY_BASE_SECONDS = 60


@pytest.fixture
def gateway() -> Iterator[FakeSmsGateway]:
    fake = FakeSmsGateway()
    yield fake
    fake.close()
