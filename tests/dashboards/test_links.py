"""The period form, and the list behind every number one click away (staff dashboards)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from lapor.lib import clock
from lapor.reports import services
from tests.dashboards.builders import march, refresh, story
from tests.dashboards.helpers import page_number, page_tables
from tests.factories import PASSWORD


def cell_links(html: str, table: str) -> dict[str, dict[int, str]]:
    """Per row (its first cell's text): column index -> link."""
    body = html.split(f'id="tabel-{table}"', 1)[1].split("</table>", 1)[0]
    result = {}
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        name = unescape(re.sub(r"<[^>]+>", "", cells[0]))
        result[name] = {
            i: unescape(m.group(1))
            for i, cell in enumerate(cells)
            if (m := re.search(r'<a href="([^"]+)"', cell))
        }
    return result


def listed(client, url: str) -> int:
    """The number of rows of a dashboard list (all pages: the CSV export)."""
    html = client.get(url).content.decode()
    rows = page_tables(html)["tabel-laporan"][1:]
    return 0 if rows and len(rows[0]) == 1 else len(rows)


def test_typed_dates_win_over_the_quick_choice(world, logged_in):
    # The page's two forms: the quick choice, and the dates (which submit no `periode`).
    url = reverse("dashboards:institution", args=[world.city.pk])
    html = logged_in.get(f"{url}?periode=2025").content.decode()
    forms = re.findall(r"<form method=\"get\".*?</form>", html, re.S)
    assert [('name="periode"' in f, 'name="dari"' in f) for f in forms] == [
        (True, False),
        (False, True),
    ]
    # Only 3 March: a, b and c (d came on the 4th). Even with a stale `periode` beside them.
    page = logged_in.get(f"{url}?periode=2025&dari=2025-03-03&sampai=2025-03-03")
    text = page.content.decode()
    assert "Periode: 03-03-2025 – 03-03-2025." in text
    rows = {r[0]: r for r in page_tables(text)["tabel-indikator"]}
    assert page_number(rows["Diterima"][1]) == 3
    assert page_number(rows["Ditindaklanjuti"][1]) == 3
    assert 'value="2025-03-03"' in text
    # The quick choice alone still works, and a half-typed range falls back to it.
    for query in ("periode=2025-04", "periode=2025-04&dari=2025-03-03"):
        rows = {r[0]: r for r in page_tables(logged_in.get(f"{url}?{query}").content.decode())[
            "tabel-indikator"]}  # fmt: skip
        assert page_number(rows["Diterima"][1]) == 0, query


def test_every_rate_and_duration_links_to_its_reports(world, logged_in):
    url = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    html = logged_in.get(url).content.decode()
    indicators = cell_links(html, "indikator")
    expected_lists = {
        # row: (linked columns, number of reports in the list)
        "Selesai tepat waktu": ({1, 2}, 1),
        "Dibuka kembali": ({1, 2}, 1),
        # f, declined by the city, sits in the province's queue now: out of the city
        # admin's sight (privacy.visible_to), so the list is empty for them.
        "Langkah 'bukan wewenang'": ({1}, 0),
        "Median ke respons pertama": ({3}, 3),
        "Persentil ke-90 ke penyelesaian": ({3}, 3),
        "Rata-rata kepuasan pelapor": ({3}, 2),
        "Langkah 'dibuka kembali' (semua)": ({1}, 1),
    }
    for row, (columns, n) in expected_lists.items():
        assert set(indicators[row]) == columns, row
        assert listed(logged_in, indicators[row][min(columns)]) == n, row
    # The per-unit table: the department row (its subtree) links every rate to its numerator.
    units = cell_links(html, "unit")
    department = units["Dinas Pendidikan Kota Samarinda"]
    assert set(department) == {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
    numerators = {3: "followed_up", 5: "finished_on_time", 8: "rated",
                  10: "timed_first_response", 11: "timed_completion"}  # fmt: skip
    for column, indicator in numerators.items():
        assert parse_qs(urlsplit(department[column]).query)["indikator"] == [indicator]


def test_trend_points_link_to_their_weeks_and_months(world, logged_in):
    base = reverse("dashboards:institution", args=[world.city.pk])
    html = logged_in.get(f"{base}?dari=2025-03-01&sampai=2025-03-31").content.decode()
    march_row = cell_links(html, "tren-bulanan")["Mar 2025"]
    query = parse_qs(urlsplit(march_row[1]).query)
    assert (query["dari"], query["sampai"], query["indikator"]) == (
        ["2025-03-01"], ["2025-03-31"], ["received"])  # fmt: skip
    assert listed(logged_in, march_row[1]) == 4
    assert listed(logged_in, march_row[3]) == 3  # finished
    week = cell_links(html, "tren-mingguan")["03-03-2025"]
    query = parse_qs(urlsplit(week[2]).query)
    assert (query["dari"], query["sampai"], query["indikator"]) == (
        ["2025-03-03"], ["2025-03-09"], ["followed_up"])  # fmt: skip
    assert listed(logged_in, week[2]) == 3
    # The last week stops where the counting stopped: the end of the period.
    last = cell_links(html, "tren-mingguan")["31-03-2025"]
    assert parse_qs(urlsplit(last[1]).query)["sampai"] == ["2025-03-31"]


def test_bounces_are_moves_and_the_list_shows_each_move(world, client):
    """A report the city declines twice counts two bounces, and its list has two rows."""
    report = story(world, submitted=march(3), routed=march(3, 10), declined=march(4))
    with clock.at(march(5)):
        world.route(report, world.city)
    with clock.at(march(6)):
        report.refresh_from_db()
        services.decline_report(actor=world.city_admin, report=report, reason="Tetap bukan.")
    refresh()
    client.login(username=world.national_admin.username, password=PASSWORD)
    url = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    html = client.get(url).content.decode()
    rows = {r[0]: r for r in page_tables(html)["tabel-indikator"]}
    assert page_number(rows["Langkah 'bukan wewenang'"][1]) == 2
    link = cell_links(html, "indikator")["Langkah 'bukan wewenang'"][1]
    page = client.get(link).content.decode()
    moves = page_tables(page)["tabel-laporan"]
    assert moves[0][-1] == "Dikembalikan oleh"
    assert [r[0] for r in moves[1:]] == [report.tracking_number] * 2
    assert {r[-1] for r in moves[1:]} == {"Pemerintah Kota Samarinda"}
    assert "2 langkah" in page
