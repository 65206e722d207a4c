"""The public statistics page: no login, no confidential content, no personal data."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

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


def _links(html):
    return {unescape(link) for link in re.findall(r'href="([^"]+)"', html)}


def test_drill_downs_go_to_the_public_list(public_data, client):
    html = client.get(reverse("dashboards:public") + "?periode=2025").content.decode()
    links = [urlsplit(link) for link in _links(html)]
    lists = [parse_qs(link.query) for link in links if link.path == "/laporan/"]
    assert any("institution" in q for q in lists)
    assert any("category" in q for q in lists)
    assert any("channel" in q for q in lists)
    # Every drill-down carries the page's period as submission dates.
    assert all(q.get("from") == ["2025-01-01"] and q.get("to") == ["2025-12-31"]
               for q in lists if "institution" in q or "category" in q)  # fmt: skip
    assert not any(link.path.startswith(("/dasbor/", "/ruang-kerja/laporan")) for link in links)


LISTED = re.compile(r'<p role="status">(\d+) laporan</p>')


def _listed(client, url):
    """How many reports the public list at `url` says it holds, and that it shows them."""
    html = client.get(url).content.decode()
    count = int(LISTED.search(html).group(1))
    assert html.count('class="report-card"') == min(count, 20)
    return count


@pytest.mark.parametrize("key", ["ringkasan", "channel", "type", "state", "category", "instansi",
                                 "tren-bulanan"])  # fmt: skip
def test_each_public_count_equals_its_public_list(public_data, client, key):
    """Every count on the statistics page links to the public list of exactly those reports
    (same submission dates, institution subtree, channel and measure)."""
    from tests.dashboards.builders import story as make_story

    # One more public report, late in the year through the SMS channel, answered and rated,
    # handled by a unit below the city: outside March, inside 2025.
    make_story(public_data, submitted=march(3).replace(month=11), to=public_data.unit,
               routed=march(3, 10).replace(month=11), answered=march(5).replace(month=11),
               confirmed=march(6).replace(month=11), rating=4, by="system",
               category=public_data.category)  # fmt: skip
    refresh()
    page = (
        reverse("dashboards:public") + "?kelompok=kabupaten-kota&dari=2025-03-04&sampai=2025-12-31"
    )
    html = client.get(page).content.decode()
    counts = []
    for row in _linked_cells(html, f"tabel-{key}"):
        for number, url in row:
            assert _listed(client, url) == number, (key, url)
            counts.append(number)
    assert counts and max(counts) >= 1
    if key == "ringkasan":
        # Public from 4 March: the anonymous report and November's (not the confidential or
        # unverified ones, nor 3 March's). Followed up: both (an answer is a first response);
        # finished on time: both (1 WD, 2 WD); rated: November's only.
        assert counts == [2, 2, 2, 2, 1]


def _linked_cells(html, table_id):
    """Rows of (count, link) for the integer cells with a link in one table."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]:
        cells = re.findall(r'<a href="([^"]+)">([0-9.]+)</a>', tr)
        yield [(int(text.replace(".", "")), unescape(url)) for url, text in cells]


def test_public_list_date_channel_and_measure_filters(public_data, client):
    """The statistics page's filters on the public list: submission dates (local, both days
    included), channel, measure; kept as hidden fields; invalid values ignored."""

    def count(params):
        html = client.get("/laporan/", params).content.decode()
        return int(LISTED.search(html).group(1)), html

    assert count({})[0] == 2  # the two public March reports (3 and 4 March)
    n, html = count({"from": "2025-03-04", "to": "2025-03-04"})
    assert n == 1
    assert '<input type="hidden" name="from" value="2025-03-04">' in html
    assert "Dari statistik: hanya laporan masuk 04-03-2025 s.d. 04-03-2025." in html
    assert count({"from": "2025-03-05"})[0] == 0
    assert count({"to": "2025-03-03"})[0] == 1
    assert count({"channel": "web"})[0] == 2 and count({"channel": "sms"})[0] == 0
    assert count({"measure": "followed_up"})[0] == 2
    assert count({"measure": "rated"})[0] == 0
    n, html = count({"from": "kemarin", "channel": "merpati", "measure": "semua"})
    assert n == 2 and "Dari statistik" not in html
    # Dates no submission can have are ignored too (the day after 9999-12-31 does not exist).
    n, html = count({"from": "0001-01-01", "to": "9999-12-31"})
    assert n == 2 and "Dari statistik" not in html
