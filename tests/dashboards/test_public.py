"""The public statistics page: no login, no confidential content, no personal data."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lapor.institutions.models import Category
from tests.dashboards.builders import march, refresh, story
from tests.dashboards.helpers import body, csv_rows, page_number, page_tables
from tests.factories import make_user

SECRETS = (
    "Kontrak Fiktif Jembatan Rahasia",
    "Bendahara dinas menerima suap",
    "Kategori Khusus Rahasia",
    "Siti Rahmawati Anonim",
    "6472019876540002",
    "0812-9999-8888",
)


@pytest.fixture
def public_data(world):
    secret_category = Category.objects.create(code="RHS", name="Kategori Khusus Rahasia")
    anonymous = make_user("siti", full_name="Siti Rahmawati Anonim", nik="6472019876540002",
                          phone="0812-9999-8888")  # fmt: skip
    story(world, submitted=march(3), routed=march(3, 10), responded=march(4),
          category=world.category)  # fmt: skip
    story(world, submitted=march(4), routed=march(4, 10), answered=march(5), confirmed=march(6),
          by=anonymous, is_anonymous=True)  # fmt: skip
    story(
        world,
        submitted=march(5),
        routed=march(5, 10),
        responded=march(6),
        is_confidential=True,
        category=secret_category,
        title="Kontrak Fiktif Jembatan Rahasia",
        body="Bendahara dinas menerima suap.",
    )
    story(world, submitted=march(6))  # not verified: not public
    refresh()
    return world


def test_no_login_needed_and_no_secret_anywhere(public_data, client):
    url = reverse("dashboards:public") + "?periode=2025"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    keys = re.findall(r"ekspor=([a-z-]+)&amp;format=csv", html)
    assert {"ringkasan", "category", "instansi", "peringkat", "tren-bulanan"} <= set(keys)
    documents = [html] + [
        body(client.get(f"{url}&ekspor={key}&format={fmt}")).decode("utf-8", "replace")
        for key in keys
        for fmt in ("csv",)
    ]
    for text in documents:
        for secret in SECRETS:
            assert secret not in text


def test_public_figures_count_only_public_reports(public_data, client):
    url = reverse("dashboards:public") + "?periode=2025&kelompok=kabupaten-kota"
    tables = page_tables(client.get(url).content.decode())
    summary = {row[0]: row for row in tables["tabel-ringkasan"]}
    assert page_number(summary["Laporan publik terverifikasi"][1]) == 2  # not 3 (confidential)
    cities = {row[0]: row for row in tables["tabel-instansi"]}
    assert page_number(cities["Pemerintah Kota Samarinda"][1]) == 2
    categories = {row[0] for row in tables["tabel-category"][1:]}
    assert "Pendidikan" in categories and "Kategori Khusus Rahasia" not in categories
    exported = csv_rows(client.get(f"{url}&ekspor=ringkasan&format=csv"))
    assert exported[1][1] == "2"


def test_drill_downs_go_to_the_public_list(public_data, client):
    html = client.get(reverse("dashboards:public") + "?periode=2025").content.decode()
    links = set(re.findall(r'href="([^"]+)"', html))
    assert any(link.startswith("/laporan/?institution=") for link in links)
    assert any(link.startswith("/laporan/?category=") for link in links)
    assert not any(link.startswith(("/dasbor/", "/ruang-kerja/laporan")) for link in links)
