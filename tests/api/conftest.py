from __future__ import annotations

from collections.abc import Iterator

import pytest

from lapor.institutions.models import WITA, Region
from lapor.workdays.services import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # Each test's database is rolled back; calendars cached by an earlier test must not leak.
    clear_calendar_cache()
    yield
    clear_calendar_cache()


# get_or_create: the institutions migrations load every Kemendagri region, but these tests must
# not depend on that data being present.
@pytest.fixture
def kaltim(db: None) -> Region:
    region, _ = Region.objects.get_or_create(
        code="64", defaults={"name": "Kalimantan Timur", "level": "province", "timezone": WITA}
    )
    return region


@pytest.fixture
def kalsel(db: None) -> Region:
    region, _ = Region.objects.get_or_create(
        code="63", defaults={"name": "Kalimantan Selatan", "level": "province", "timezone": WITA}
    )
    return region


@pytest.fixture
def samarinda(kaltim: Region) -> Region:
    region, _ = Region.objects.get_or_create(
        code="64.72",
        defaults={"name": "Kota Samarinda", "level": "city", "province": kaltim, "timezone": WITA},
    )
    return region
