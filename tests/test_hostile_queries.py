"""No page or endpoint answers 500 to a hostile query string: dates no calendar can hold,
numbers too big for any column, NUL bytes, huge cursors. Each must be refused clearly or
ignored (a filter's default), as anonymous visitor and as national admin."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import World

HOSTILE: list[dict[str, str]] = [
    {"dari": "9999-12-31", "sampai": "9999-12-31"},
    {"dari": "0001-01-01", "sampai": "9999-12-31"},
    {"periode": "9999"},
    {"periode": "0000"},
    {"periode": "9999-12"},
    {"periode": "9999-q4"},
    {"periode": "2025-13"},
    {"from": "9999-12-31", "to": "9999-12-31"},
    {"from": "0001-01-01", "to": "0001-01-01"},
    {"page": "99999999999999999999"},
    {"page": "-1"},
    {"q": "\x00"},
    {"instansi": "99999999999999999999"},
    {"institution": "99999999999999999999"},
    {"updated_since": "9999-12-31T23:59:59Z"},
    {"cursor": "A" * 5000},
    {"start_date": "9999-12-31T23:59:59Z", "end_date": "9999-12-31T23:59:59Z"},
]
PAGES = [
    "/statistik/",
    "/laporan/",
    "/dasbor/",
    "/dasbor/nasional/",
    "/dasbor/peringkat/",
    "/dasbor/laporan/",
    "/dasbor/keputusan/",
    "/api/v1/reports",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
]


@pytest.mark.parametrize("page", PAGES)
def test_no_hostile_query_string_breaks_a_page(world: World, client: Any, page: str) -> None:
    broken = []
    for who in (None, world.national_admin):
        if who is not None:
            client.force_login(who)
        for params in HOSTILE:
            status = client.get(page, params).status_code
            if status >= 500:
                broken.append((who.username if who else "anonymous", params, status))
    assert broken == []
