"""The inbox: what needs my action, earliest deadline first, coloured by deadline."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lapor.accounts.models import Role
from lapor.institutions.models import Institution
from lapor.lib import clock
from lapor.reports.models import State
from lapor.reports.policy import current_policy
from lapor.workbench import presenters, queries
from lapor.workbench.forms import InboxFilterForm
from lapor.workbench.views.common import Desk, staff_view

PAGE_SIZE = 25


def _filter_from(form: InboxFilterForm) -> tuple[queries.InboxFilter, str]:
    if not form.is_valid():
        return queries.InboxFilter(), ""
    d = form.cleaned_data
    colour = d["colour"] or ""
    institution = None
    if d["institution"] is not None:
        institution = Institution.objects.filter(pk=d["institution"]).first()
    return (
        queries.InboxFilter(
            state=d["state"] or "",
            report_type=d["report_type"] or "",
            resolution_class=d["resolution_class"] or "",
            overdue={"red": True, "yellow": False, "green": False}.get(colour),
            institution=institution,
            search=(d["q"] or "").strip(),
        ),
        colour,
    )


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
@staff_view
def inbox(request: HttpRequest, desk: Desk) -> HttpResponse:
    now = clock.now()
    policy = current_policy()
    scope = list(queries.scope_institutions(desk.memberships))
    labels = [(inst.pk, f"{'— ' * inst.depth}{inst.name}") for inst in scope]
    form = InboxFilterForm(request.GET or None, institutions=labels)
    chosen, colour = _filter_from(form)
    desk_reports = queries.inbox(desk.user, desk.memberships, now)
    counts = queries.state_counts(desk_reports)
    listed = queries.filtered(desk_reports, chosen, now)
    if colour in ("green", "yellow"):
        # Yellow depends on working days elapsed, which only stage_clock knows: filter here.
        rows: Any = [r for r in presenters.rows(listed, policy, now) if _colour(r) == colour]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page_rows = list(page.object_list)
    else:
        page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
        page_rows = presenters.rows(page.object_list, policy, now)
    context = {
        "desk": desk,
        "form": form,
        "page": page,
        "rows": page_rows,
        "counts": [(s.value, s.label, counts[s.value]) for s in State if counts.get(s.value)],
        "total": sum(counts.values()),
        "overdue": queries.overdue(desk_reports, now).count(),
        "query": _query_string(request),
        "read_only": not desk.has_role(
            Role.NATIONAL_ADMIN, Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER
        ),
        "filtered": form.is_bound and form.has_changed(),
    }
    return render(request, "workbench/inbox.html", context)


def _colour(row: presenters.Row) -> str:
    return row.clock.colour if row.clock else ""
