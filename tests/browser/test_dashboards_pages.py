"""Dashboards in a real browser: the public statistics page on a phone, and an institution's
dashboard on a desktop, with their charts drawn by the vendored Chart.js."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, screenshot
from tests.dashboards.builders import known_city_set, march, refresh, story
from tests.factories import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data() -> Any:
    world = build_world()
    known_city_set(world)
    for day in (10, 11, 12):
        story(world, to=world.other_city, submitted=march(day), routed=march(day, 10),
              responded=march(day + 1), answered=march(day + 3), confirmed=march(day + 4),
              rating=4)  # fmt: skip
    refresh()
    return world


def _charts_drawn(page: Any) -> int:
    page.wait_for_function("() => window.Chart !== undefined")
    return page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(c => window.Chart.getChart(c) !== undefined).length"
    )


def test_public_statistics_page(data: Any, page: Any) -> None:
    page.goto("/statistik/?periode=2025")
    page.wait_for_selector("h1:has-text('Statistik pengaduan')")
    assert _charts_drawn(page) >= 3
    summary = page.locator("#tabel-ringkasan")
    assert summary.locator("caption").inner_text() == "Ringkasan"
    assert page.locator("#tabel-peringkat").is_visible()
    # Every chart has its table beside it, and the canvas is hidden from screen readers.
    for canvas in page.locator("canvas[data-chart]").all():
        assert canvas.get_attribute("aria-hidden") == "true"
    screenshot(page, "dashboard-public")
    page.get_by_role("link", name="Pemerintah Kota Samarinda").first.click()
    page.wait_for_url("**/laporan/?institution=*")


def test_institution_dashboard(data: Any, desk_page: Any) -> None:
    login(desk_page, data.city_admin.username, PASSWORD)
    desk_page.goto(f"/dasbor/instansi/{data.city.pk}/?periode=2025")
    desk_page.wait_for_selector("h1:has-text('Pemerintah Kota Samarinda')")
    assert _charts_drawn(desk_page) >= 5
    indicators = desk_page.locator("#tabel-indikator")
    assert "Selesai tepat waktu" in indicators.inner_text()
    screenshot(desk_page, "dashboard-institution")
    # The number behind "Selesai" opens its list.
    desk_page.locator("#tabel-indikator tr:has(th:text-is('Selesai')) a").first.click()
    desk_page.wait_for_selector("h1:has-text('Selesai')")
    assert desk_page.locator("#tabel-laporan tbody tr").count() == 3
