from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings

from lapor.channels.models import Open311Client
from lapor.institutions.models import Category
from lapor.reports.models import Report
from tests.factories import World, submit


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # Submission counters live in the cache; one test's submissions must not limit the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(db: None) -> str:
    _, key = Open311Client.issue("Aplikasi warga uji")
    return key


@pytest.fixture
def roads(world: World) -> Category:
    parent = Category.objects.create(code="INFRA", name="Infrastruktur")
    return Category.objects.create(code="INFRA-JALAN", name="Jalan rusak", parent=parent)


def published(world: World, category: Category | None = None, **overrides: Any) -> Report:
    """A verified (routed) report: public unless confidential."""
    report, _ = submit(world, **overrides)
    return world.route(report, world.city, category=category or world.category)
