"""Template helpers of the dashboards."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from lapor.dashboards.tables import Chart, Table, display, render_html

register = template.Library()


@register.filter
def is_chart(item: Any) -> bool:
    return isinstance(item, Chart)


@register.filter
def pct(value: Any) -> str:
    return display(value, "pct")


@register.filter
def num(value: Any) -> str:
    return display(value, "num")


@register.simple_tag(takes_context=True)
def dash_table(context: Any, table: Table, in_section: bool = False) -> SafeString:
    """Render a dashboard table (see tables.render_html: every text is escaped there)."""
    html = render_html(table, in_section=in_section, export_query=context.get("export_query", ""))
    return mark_safe(html)  # noqa: S308 - built from escaped parts only
