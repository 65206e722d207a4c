"""What every dashboard page shares: the login and scope checks, the period, exports, links."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.models import User
from lapor.dashboards.access import Viewer
from lapor.dashboards.exports import FORMATS, export_response
from lapor.dashboards.periods import Period, parse_period, period_choices
from lapor.dashboards.tables import Chart, Table
from lapor.dashboards.tree import Node, Tree

AnyResponse = HttpResponse | StreamingHttpResponse


def dashboard_view(view: Callable[..., AnyResponse]) -> Callable[..., AnyResponse]:
    """Login (else the login page) and a staff membership (else 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> AnyResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        assert isinstance(user, User)
        viewer = Viewer.of(user)
        if not viewer.is_staff:
            message = _("Dasbor hanya untuk petugas pengelola pengaduan dan pimpinan.")
            return render(request, "dashboards/error.html", {"message": message}, status=403)
        return view(request, viewer, *args, **kwargs)

    return wrapper


def node_or_404(viewer: Viewer, tree: Tree, pk: int) -> Node:
    node = tree.get(pk)
    if node is None or not viewer.can_view(node):
        raise Http404
    return node


def period_of(request: HttpRequest) -> Period:
    return parse_period(request.GET, timezone.localdate())


def list_url(
    node: Node | None,
    period: Period,
    indicator: str,
    *,
    dimension: str = "",
    value: str = "",
) -> str:
    params: dict[str, str] = {"indikator": indicator}
    if node is not None:
        params["instansi"] = str(node.id)
    if dimension:
        params["dimensi"], params["nilai"] = dimension, value
    return f"{reverse('dashboards:reports')}?{urlencode(params)}&{period.query}"


def link_maker(node: Node | None, period: Period) -> Callable[[str], str]:
    return lambda indicator: list_url(node, period, indicator)


def dashboard_url(node: Node | None, period: Period) -> str:
    if node is None:
        return f"{reverse('dashboards:national')}?{period.query}"
    return institution_urls(period)(node)


def institution_urls(period: Period) -> Callable[[Node], str]:
    """node -> its dashboard URL, reversing once (a ranking links 500 institutions)."""
    marker = 987654321
    template = reverse("dashboards:institution", args=[marker]).replace(str(marker), "{}")
    return lambda node: template.format(node.id) + f"?{period.query}"


def exportable(items: Mapping[str, Table | Chart] | list[Table | Chart]) -> dict[str, Table]:
    values = items.values() if isinstance(items, Mapping) else items
    return {
        (t.table if isinstance(t, Chart) else t).key: (t.table if isinstance(t, Chart) else t)
        for t in values
    }


def export_or_render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    tables: list[Table | Chart],
    filename: str,
    tree: Tree | None = None,
) -> AnyResponse:
    """The export asked for by ?ekspor=<table>&format=csv|xlsx, else the page."""
    wanted = request.GET.get("ekspor")
    if wanted:
        table = exportable(tables).get(wanted)
        fmt = request.GET.get("format", "csv")
        if table is None or not table.exportable or fmt not in FORMATS:
            raise Http404
        return export_response(table, fmt, f"{filename}-{wanted}")
    context["has_charts"] = any(isinstance(t, Chart) for t in tables)
    context["refreshed_at"] = tree.version.finished_at if tree is not None else None
    context.setdefault("period_choices", period_choices(timezone.localdate()))
    context["export_query"] = _export_query(request)
    return render(request, template, context)


def _export_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in ("ekspor", "format", "page"):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""
