"""The monthly report of an institution: its month, the month before, the same month a year
earlier (known answers)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from lapor.dashboards.views.monthly import month_of
from tests.dashboards.builders import at, known_city_set, refresh, story
from tests.dashboards.helpers import page_tables
from tests.factories import PASSWORD


@pytest.fixture
def three_months(world, client):
    """March 2025: the known city set (4 city reports: 3 followed up, 3 finished, 1 on time,
    1 reopened). February 2025: one answered on time and finished, one never handled. March
    2024: one answered on time and finished."""
    known_city_set(world)
    story(
        world,
        submitted=at(2025, 2, 3, 9),
        routed=at(2025, 2, 3, 10),
        responded=at(2025, 2, 4, 9),
        answered=at(2025, 2, 5, 9),
        confirmed=at(2025, 2, 6, 9),
    )
    story(world, submitted=at(2025, 2, 4, 9), routed=at(2025, 2, 4, 10))
    story(
        world,
        submitted=at(2024, 3, 4, 9),
        routed=at(2024, 3, 4, 10),
        responded=at(2024, 3, 5, 9),
        answered=at(2024, 3, 6, 9),
        confirmed=at(2024, 3, 7, 9),
    )
    refresh()
    client.login(username=world.city_admin.username, password=PASSWORD)
    return client


def monthly_tables(world, client, month="2025-03"):
    url = reverse("dashboards:monthly", args=[world.city.pk]) + f"?bulan={month}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), page_tables(response.content.decode())


def test_counts_compared_with_last_month_and_last_year(world, three_months):
    html, tables = monthly_tables(world, three_months)
    counts = tables["tabel-perbandingan-jumlah"]
    assert counts[0] == ["Ukuran", "Maret 2025", "Februari 2025", "Maret 2024"]
    assert counts[1:] == [
        ["Diterima", "4", "2", "1"],
        ["Didisposisikan", "4", "2", "1"],
        ["Ditindaklanjuti", "3", "1", "1"],
        ["Selesai", "3", "1", "1"],
        ["Selesai tepat waktu", "1", "1", "1"],
        ["Dibuka kembali", "1", "0", "0"],
    ]
    rates = tables["tabel-perbandingan-persentase"]
    assert rates[1:] == [
        ["Ditindaklanjuti", "75,0 %", "50,0 %", "100,0 %"],
        ["Selesai", "75,0 %", "50,0 %", "100,0 %"],
        ["Selesai tepat waktu", "25,0 %", "50,0 %", "100,0 %"],
        ["Dibuka kembali", "33,3 %", "0,0 %", "0,0 %"],
    ]
    indicators = {r[0]: r for r in tables["tabel-indikator"]}
    assert indicators["Diterima"][1] == "4"
    assert "?bulan=2025-02" in html and "?bulan=2025-04" in html


def test_the_previous_month_report_compares_with_january_and_a_year_before(world, three_months):
    _html, tables = monthly_tables(world, three_months, "2025-02")
    counts = tables["tabel-perbandingan-jumlah"]
    assert counts[0] == ["Ukuran", "Februari 2025", "Januari 2025", "Februari 2024"]
    assert counts[1] == ["Diterima", "2", "0", "0"]


def test_default_month_is_the_last_complete_one():
    request = RequestFactory().get("/")
    assert month_of(request, date(2025, 4, 15)).key == "2025-03"
    assert month_of(request, date(2025, 1, 2)).key == "2024-12"
    assert month_of(RequestFactory().get("/?bulan=2025-13"), date(2025, 4, 15)).key == "2025-03"
