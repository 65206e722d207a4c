"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest

from tests.factories import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> None:
    # Calendars are cached per process by revision; a test that writes holidays directly must
    # not see a calendar cached by an earlier test.
    from lapor.workdays.services import clear_calendar_cache

    clear_calendar_cache()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Uploads of one test never leak into another's or into the developer's var/.
    settings.MEDIA_ROOT = tmp_path / "media"
