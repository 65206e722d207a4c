"""Exports say what the page says, stream, and come as CSV and XLSX."""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from lapor.dashboards.exports import write_xlsx
from lapor.dashboards.tables import Column, Row, Table
from tests.dashboards.builders import known_city_set, refresh
from tests.dashboards.helpers import csv_rows, page_number, page_tables, xlsx_rows
from tests.factories import PASSWORD


@pytest.fixture
def logged_in(world, client):
    known_city_set(world)
    refresh()
    client.login(username=world.city_admin.username, password=PASSWORD)
    return client


def _same(page_cell: str, export_cell: object) -> bool:
    if export_cell in ("", None):
        return page_cell in ("–", "")
    if isinstance(export_cell, int | float) or _is_number(str(export_cell)):
        return page_number(page_cell) == pytest.approx(float(export_cell))  # type: ignore[arg-type]
    return page_cell == str(export_cell)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("key", ["indikator", "unit", "channel", "tren-bulanan", "aktivitas"])
def test_csv_and_xlsx_equal_the_page(world, logged_in, key):
    url = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    page = page_tables(logged_in.get(url).content.decode())[f"tabel-{key}"]
    csv_response = logged_in.get(f"{url}&ekspor={key}&format=csv")
    assert isinstance(csv_response, StreamingHttpResponse)
    assert csv_response["Content-Type"].startswith("text/csv")
    exported = csv_rows(csv_response)
    xlsx = xlsx_rows(logged_in.get(f"{url}&ekspor={key}&format=xlsx"))
    assert len(exported) == len(page) == len(xlsx)
    for page_row, csv_row, xlsx_row in zip(page[1:], exported[1:], xlsx[1:], strict=True):
        assert len(page_row) == len(csv_row)
        for p, c, x in zip(page_row, csv_row, xlsx_row, strict=True):
            assert _same(p, c), (key, page_row, csv_row)
            assert _same(p, x), (key, page_row, xlsx_row)


def test_indicator_numbers_in_the_export(world, logged_in):
    url = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    rows = {r[0]: r for r in csv_rows(logged_in.get(f"{url}&ekspor=indikator&format=csv"))}
    assert rows["Diterima"][1] == "4"
    assert rows["Selesai tepat waktu"][1:3] == ["1", "25.0"]
    assert rows["Dibuka kembali"][1:3] == ["1", "33.3"]
    assert rows["Persentil ke-90 ke penyelesaian"][3] == "17.2"


def test_the_list_behind_a_number_exports_the_same_reports(world, logged_in):
    base = reverse("dashboards:reports") + f"?periode=2025&instansi={world.city.pk}"
    page = logged_in.get(f"{base}&indikator=finished")
    listed = page_tables(page.content.decode())["tabel-laporan"]
    exported = csv_rows(logged_in.get(f"{base}&indikator=finished&ekspor=laporan&format=csv"))
    assert len(listed) - 1 == len(exported) - 1 == 3
    assert sorted(r[0] for r in listed[1:]) == sorted(r[0] for r in exported[1:])
    on_time = csv_rows(logged_in.get(f"{base}&indikator=finished_on_time&ekspor=laporan"))
    assert len(on_time) - 1 == 1


def test_unknown_table_or_format_is_404(world, logged_in):
    url = reverse("dashboards:institution", args=[world.city.pk])
    assert logged_in.get(f"{url}?ekspor=nope").status_code == 404
    assert logged_in.get(f"{url}?ekspor=indikator&format=pdf").status_code == 404


def test_csv_cells_cannot_become_formulas():
    table = Table("t", "T", [Column("a", "A")], [Row(["=HYPERLINK(1)"]), Row(["-2+3"])])
    from lapor.dashboards.exports import csv_lines

    lines = list(csv_lines(table))
    assert lines[1].startswith("'=") and lines[2].startswith("'-")


def test_xlsx_is_written_from_an_iterator(tmp_path):
    def rows():
        for i in range(5000):
            yield Row([f"baris {i}", i])

    table = Table("big", "Besar", [Column("a", "A"), Column("n", "N", "int")], rows())
    target = tmp_path / "out.xlsx"
    write_xlsx(table, target)
    from openpyxl import load_workbook

    sheet = load_workbook(target, read_only=True).worksheets[0]
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 5001
