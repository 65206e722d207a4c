"""Small template helpers for the portal's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from lapor.reports.models import State

register = template.Library()

STATE_BADGES = {
    State.AWAITING_VERIFICATION: "badge",
    State.ON_HOLD: "badge badge-yellow",
    State.ARCHIVED: "badge",
    State.ROUTED: "badge",
    State.IN_PROGRESS: "badge badge-yellow",
    State.ANSWERED: "badge badge-green",
    State.FINISHED: "badge badge-green",
    State.ESCALATED: "badge badge-red",
}


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "badge")  # type: ignore[call-overload]


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(n).1f MB") % {"n": size / (1024 * 1024)}
    return _("%(n)d KB") % {"n": max(1, round(size / 1024))}


@register.simple_tag
def page_url(query: str, number: int) -> str:
    return f"?{query}&page={number}" if query else f"?page={number}"
