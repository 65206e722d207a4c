"""Tables and charts as data: a page renders them, an export writes the same rows.

Each value keeps its type (int, a 0..1 rate, a float, a date); `display` formats it for the
page and `export_value` for CSV/XLSX, from the same number, so an export always says what the
page says. Every chart carries its table: the accessible table shown beside it, and exported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Kinds of column: text, int, pct (a 0..1 rate shown as a percentage), num (one decimal),
# date, datetime, bool.
NUMERIC_KINDS = frozenset({"int", "pct", "num"})
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # str or a lazy translation
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass
class Row:
    values: list[Any]
    links: dict[int, str] = field(default_factory=dict)  # column index -> URL
    css: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: Iterable[Row]
    note: str = ""
    exportable: bool = True
    row_header: int = 0  # the column that names the row (th scope=row)


def _separators() -> tuple[str, str]:
    """(thousands, decimal) for the active language: Indonesian 1.234,5; English 1,234.5."""
    return (",", ".") if (get_language() or "id").startswith("en") else (".", ",")


def format_number(
    value: float, decimals: int = 0, separators: tuple[str, str] | None = None
) -> str:
    thousands, decimal = separators or _separators()
    text = f"{value:,.{decimals}f}"
    if (thousands, decimal) == (",", "."):
        return text
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def display(value: Any, kind: str, separators: tuple[str, str] | None = None) -> str:
    if value is None or value == "":
        return "–"
    if kind == "int":
        return format_number(int(value), 0, separators)
    if kind == "pct":
        return format_number(round(float(value) * 100, 1), 1, separators) + " %"
    if kind == "num":
        return format_number(round(float(value), 1), 1, separators)
    if kind == "bool":
        return _("ya") if value else _("tidak")
    if kind == "datetime" and isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if kind == "date" and isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def export_value(value: Any, kind: str) -> Any:
    """The cell for CSV/XLSX: numbers stay numbers (a rate as a percentage, one decimal)."""
    if value is None:
        return ""
    if kind == "int":
        return int(value)
    if kind == "pct":
        return round(float(value) * 100, 1)
    if kind == "num":
        return round(float(value), 1)
    if kind in ("bool", "datetime", "date"):
        return display(value, kind)  # the page's text, so both say the same
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header(table: Table) -> list[str]:
    return [str(col.label) + (" (%)" if col.kind == "pct" else "") for col in table.columns]


@dataclass
class Chart:
    """A chart and the table that says the same in text."""

    table: Table
    kind: str  # line | bar | doughnut
    labels: list[str]
    series: list[tuple[str, Sequence[float | int | None]]]
    percent: bool = False

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def dom_id(self) -> str:
        return f"data-{self.table.key}"

    def config(self) -> dict[str, Any]:
        """Chart.js configuration (rendered with json_script, which escapes it for HTML)."""
        datasets = [
            {
                "label": label,
                "data": [
                    None if v is None else (round(v * 100, 1) if self.percent else v)
                    for v in values
                ],
            }
            for label, values in self.series
        ]
        return {
            "type": self.kind,
            "percent": self.percent,
            "labels": self.labels,
            "datasets": datasets,
        }


def render_html(table: Table, *, in_section: bool, export_query: str) -> str:
    """The table as HTML, built in Python: a ranking of 500 rows is 7,000 cells, which the
    template engine renders ten times slower. Every text is escaped here."""
    from html import escape

    caption = ' class="in-section"' if in_section else ""
    head = "".join(
        f'<th scope="col"{NUM_CLASS if col.numeric else ""}>{escape(str(col.label))}</th>'
        for col in table.columns
    )
    parts = [
        f'<div class="overflow-auto"><table class="dash-table" id="tabel-{escape(table.key)}">',
        f"<caption{caption}>{escape(str(table.title))}</caption>",
        f"<thead><tr>{head}</tr></thead><tbody>",
    ]
    empty = True
    separators = _separators()
    words = {True: escape(_("ya")), False: escape(_("tidak"))}
    for row in table.rows:
        empty = False
        cells = []
        for i, (col, value) in enumerate(zip(table.columns, row.values, strict=True)):
            if col.kind == "bool" and value is not None:
                text = words[bool(value)]
            else:
                text = escape(display(value, col.kind, separators))
            link = row.links.get(i)
            if link:
                text = f'<a href="{escape(link)}">{text}</a>'
            tag = "th" if i == table.row_header else "td"
            scope = ' scope="row"' if i == table.row_header else ""
            cells.append(f"<{tag}{scope}{NUM_CLASS if col.numeric else ''}>{text}</{tag}>")
        css = f' class="{escape(row.css)}"' if row.css else ""
        parts.append(f"<tr{css}>{''.join(cells)}</tr>")
    if empty:
        message = escape(_("Tidak ada data untuk periode ini."))
        parts.append(f'<tr><td colspan="{len(table.columns)}">{message}</td></tr>')
    parts.append("</tbody></table></div>")
    if table.note:
        parts.append(f'<p class="helptext">{escape(str(table.note))}</p>')
    if table.exportable:
        base = f"?{escape(export_query)}ekspor={escape(table.key)}&amp;format="
        parts.append(
            f'<p class="exports">{escape(_("Unduh tabel:"))} '
            f'<a href="{base}csv" download>CSV</a> <a href="{base}xlsx" download>XLSX</a></p>'
        )
    return "".join(parts)


NUM_CLASS = ' class="num"'
