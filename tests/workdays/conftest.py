from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lapor.institutions.models import WIB, WITA, Region
from lapor.workdays.services import clear_calendar_cache
from lapor.workdays.signals import calendar_changed


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # Each test's database is rolled back; calendars cached by an earlier test must not leak.
    clear_calendar_cache()
    yield
    clear_calendar_cache()


# get_or_create: the institutions migrations load every Kemendagri region, but these tests must
# not depend on that data being present.
def _province(code: str, name: str, tz: str) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": "province", "timezone": tz}
    )
    return region


@pytest.fixture
def kaltim(db: None) -> Region:
    return _province("64", "Kalimantan Timur", WITA)


@pytest.fixture
def kalsel(db: None) -> Region:
    return _province("63", "Kalimantan Selatan", WITA)


@pytest.fixture
def jakarta(db: None) -> Region:
    return _province("31", "Daerah Khusus Ibukota Jakarta", WIB)


@pytest.fixture
def samarinda(kaltim: Region) -> Region:
    region, _ = Region.objects.get_or_create(
        code="64.72",
        defaults={"name": "Kota Samarinda", "level": "city", "province": kaltim, "timezone": WITA},
    )
    return region


@pytest.fixture
def calendar_signals() -> Iterator[list[dict[str, Any]]]:
    """Every calendar_changed sent during the test, as the kwargs received."""
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append({"sender": sender, **kwargs})

    calendar_changed.connect(receiver, weak=False)
    try:
        yield received
    finally:
        calendar_changed.disconnect(receiver)
