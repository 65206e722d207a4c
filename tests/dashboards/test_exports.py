"""Exports say what the page says, stream, and come as CSV and XLSX."""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from lapor.dashboards.exports import write_xlsx
from lapor.dashboards.tables import Column, Row, Table
from tests.dashboards.helpers import csv_rows, page_number, page_tables, xlsx_rows
from tests.factories import PASSWORD


def _same(page_cell: str, export_cell: object) -> bool:
    if export_cell in ("", None):
        return page_cell in ("–", "")
    if isinstance(export_cell, int | float) or _is_number(str(export_cell)):
        return page_number(page_cell) == pytest.approx(float(export_cell))  # type: ignore[arg-type]
    text = str(export_cell)
    # A cell that would start a formula is exported behind an apostrophe.
    return page_cell == text or (text.startswith("'") and page_cell == text[1:])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_exports_equal_the_page(client, url, key):
    join = "&" if "?" in url else "?"
    page = page_tables(client.get(url).content.decode())[f"tabel-{key}"]
    csv_response = client.get(f"{url}{join}ekspor={key}&format=csv")
    assert isinstance(csv_response, StreamingHttpResponse)
    assert csv_response["Content-Type"].startswith("text/csv")
    exported = csv_rows(csv_response)
    xlsx = xlsx_rows(client.get(f"{url}{join}ekspor={key}&format=xlsx"))
    assert len(exported) == len(page) == len(xlsx) > 1, key
    for page_row, csv_row, xlsx_row in zip(page[1:], exported[1:], xlsx[1:], strict=True):
        assert len(page_row) == len(csv_row)
        for p, c, x in zip(page_row, csv_row, xlsx_row, strict=True):
            assert _same(p, c), (key, page_row, csv_row)
            assert _same(p, x), (key, page_row, xlsx_row)
    return page


@pytest.mark.parametrize("key", ["indikator", "unit", "channel", "tren-bulanan", "aktivitas"])
def test_csv_and_xlsx_equal_the_page(world, logged_in, key):
    url = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    assert_exports_equal_the_page(logged_in, url, key)


PAGES = [
    ("national", None, ["indikator", "kelompok", "tren-mingguan", "type", "state"]),
    ("province", "province", ["indikator", "kabupaten-kota", "tren-bulanan"]),
    ("ranking", None, ["peringkat"]),
    ("monthly", "city", ["indikator", "unit", "perbandingan-jumlah", "perbandingan-persentase",
                         "channel"]),
    ("public", None, ["ringkasan", "instansi", "peringkat", "channel", "tren-bulanan"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "place", "keys"), PAGES)
def test_every_page_exports_what_it_shows(world, logged_in, name, place, keys):
    logged_in.login(username=world.national_admin.username, password=PASSWORD)
    args = [getattr(world, place).pk] if place else []
    query = "?bulan=2025-03" if name == "monthly" else "?periode=2025&kelompok=kabupaten-kota"
    url = reverse(f"dashboards:{name}", args=args) + query
    for key in keys:
        assert_exports_equal_the_page(logged_in, url, key)


def test_province_export_has_the_grades(world, logged_in):
    logged_in.login(username=world.national_admin.username, password=PASSWORD)
    url = reverse("dashboards:province", args=[world.province.pk]) + "?periode=2025"
    page = assert_exports_equal_the_page(logged_in, url, "kabupaten-kota")
    assert page[0][-3:] == ["Peringkat nasional", "Nilai", "Predikat"]
    rows = {r[0]: r for r in csv_rows(logged_in.get(f"{url}&ekspor=kabupaten-kota"))}
    assert rows["Pemerintah Kota Samarinda"][1] == "4"
    assert rows["Pemerintah Kota Samarinda"][-1] == "Data belum cukup"


def test_plan_targets_activities_and_decisions_export(world, logged_in):
    from lapor.dashboards.models import Decision
    from lapor.dashboards.periods import year
    from lapor.dashboards.ranking import record_decision
    from tests.dashboards.builders import at

    plan_url = reverse("dashboards:plan_new", args=[world.city.pk])
    plan = logged_in.post(plan_url, {"title": "Rencana 2025", "period_start": "2025-01-01",
                                     "period_end": "2025-12-31"})["Location"]  # fmt: skip
    logged_in.post(plan, {"aksi": "target", "target-indicator": "on_time_rate",
                          "target-target": "50"})  # fmt: skip
    activity = {
        "aksi": "activity",
        "activity-description": "=Pelatihan",
        "activity-owner": "Sekretariat",
        "activity-due_on": "2025-02-01",
    }
    logged_in.post(plan, activity)
    targets = assert_exports_equal_the_page(logged_in, plan, "target")
    assert targets[1] == ["Persentase selesai tepat waktu", "50,0", "25,0", "%", "belum tercapai"]
    activities = assert_exports_equal_the_page(logged_in, plan, "kegiatan")
    assert activities[1][1:] == ["Sekretariat", "01-02-2025", "Direncanakan", "–", "ya"]
    exported = csv_rows(logged_in.get(f"{plan}?ekspor=kegiatan&format=csv"))
    assert exported[1][0] == "'=Pelatihan"  # never a formula
    # The dashboard and the monthly report export each plan's targets too.
    dashboard = reverse("dashboards:institution", args=[world.city.pk]) + "?periode=2025"
    plan_id = plan.rstrip("/").rsplit("/", 1)[1]
    assert_exports_equal_the_page(logged_in, dashboard, f"target-{plan_id}")
    monthly = reverse("dashboards:monthly", args=[world.city.pk]) + "?bulan=2025-03"
    assert_exports_equal_the_page(logged_in, monthly, f"target-{plan_id}")
    record_decision(actor=world.national_admin, institution=world.city, kind=Decision.Kind.AWARD,
                    period=year(2025), reason="Baik.", now=at(2026, 1, 5, 9))  # fmt: skip
    logged_in.login(username=world.national_admin.username, password=PASSWORD)
    decisions = assert_exports_equal_the_page(
        logged_in, reverse("dashboards:decisions"), "keputusan"
    )
    assert decisions[1][1:4] == ["Pemerintah Kota Samarinda", "Penghargaan", "01-01-2025"]


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
