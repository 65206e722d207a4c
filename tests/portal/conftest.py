"""Fixtures of the portal's view tests."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from PIL import Image


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Login failures are counted in the cache; one test's count must not block another.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing() -> Iterator[None]:
    # The shared world creates many accounts; nothing here tests password hashing itself.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def guest() -> Client:
    return Client()


def jpeg_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, "JPEG")
    return buffer.getvalue()
