"""Fixtures of the lifecycle-engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing() -> Iterator[None]:
    # Every world creates seventeen accounts; Django's default PBKDF2 takes ~0.15 s each, and
    # nothing here tests password hashing.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
