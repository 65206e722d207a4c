"""CSV and XLSX exports of any table, streamed.

CSV goes out row by row through StreamingHttpResponse: the rows come from an iterator (a
database cursor for the report lists), so memory stays flat whatever the size. XLSX is written
with openpyxl's write-only mode, which spools rows to a temporary file as they come; the file
is then streamed in chunks. A spreadsheet holds at most 1,048,576 rows: a longer export stops
there with a last row saying so (the CSV has no such limit).
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from lapor.dashboards.tables import Table, export_value, header

XLSX_MAX_ROWS = 1_048_576
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def table_rows(table: Table) -> Iterator[list[Any]]:
    kinds = [col.kind for col in table.columns]
    for row in table.rows:
        yield [export_value(v, k) for v, k in zip(row.values, kinds, strict=True)]


def safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "ekspor"


def csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark: spreadsheet programs then read the UTF-8 names right.
    yield "\ufeff" + writer.writerow(header(table))
    for values in table_rows(table):
        yield writer.writerow(values)


def csv_response(table: Table, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.csv"'
    return response


def write_xlsx(table: Table, target: Any) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31] or "Data")
    sheet.append(header(table))
    written = 1
    for values in table_rows(table):
        if written >= XLSX_MAX_ROWS - 1:
            sheet.append([_("Data terpotong pada batas baris XLSX; gunakan ekspor CSV.")])
            break
        sheet.append(values)
        written += 1
    workbook.save(target)


def xlsx_response(table: Table, filename: str) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(table, spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{safe_filename(filename)}.xlsx",
        content_type=XLSX_TYPE,
    )


def export_response(table: Table, fmt: str, filename: str) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        return xlsx_response(table, filename)
    return csv_response(table, filename)
