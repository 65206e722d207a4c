"""Reading dashboard pages and exports back in tests."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

from openpyxl import load_workbook


class _Tables(HTMLParser):
    """Collect <table id=...> cells as text (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._current: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._current = dict(attrs).get("id") or f"t{len(self.tables)}"
            self.tables[self._current] = []
        elif tag == "tr" and self._current:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._current:
            self.tables[self._current].append(self._row)
            self._row = None
        elif tag == "table":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def csv_rows(response: Any) -> list[list[str]]:
    text = body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response: Any) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(body(response)), read_only=True)
    sheet = book.worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def page_number(text: str) -> float | None:
    """ "1.234" -> 1234, "75,0 %" -> 75.0, "–" -> None (Indonesian formatting)."""
    text = text.replace("%", "").strip()
    if text in ("–", ""):
        return None
    return float(text.replace(".", "").replace(",", "."))
