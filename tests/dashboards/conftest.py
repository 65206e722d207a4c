"""Fixtures of the dashboard tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing() -> Iterator[None]:
    # Every world creates many accounts; nothing here tests password hashing.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Dashboard figures are cached under the summary's version; every test starts cold.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def logged_in(world: Any, client: Any) -> Any:
    """The client of the city's admin, on the known city data set with fresh summaries."""
    from tests.dashboards.builders import known_city_set, refresh
    from tests.factories import PASSWORD

    known_city_set(world)
    refresh()
    client.login(username=world.city_admin.username, password=PASSWORD)
    return client
