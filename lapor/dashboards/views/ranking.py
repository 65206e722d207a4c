"""The ranking of institutions by kind, and the national admin's award/sanction decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from lapor.dashboards.access import Viewer
from lapor.dashboards.models import Decision, StatsRefresh
from lapor.dashboards.periods import Period
from lapor.dashboards.plan_tables import decisions_table
from lapor.dashboards.presenters import ranking_table
from lapor.dashboards.ranking import (
    COMPONENTS,
    DEFAULT_GROUP,
    GROUPS,
    RankRow,
    StaleRanking,
    build_ranking,
    current_ranking_policy,
    ranking_version,
    record_decision,
)
from lapor.dashboards.tables import Column, Row, Table
from lapor.dashboards.tree import Tree
from lapor.dashboards.views.common import (
    AnyResponse,
    dashboard_view,
    export_or_render,
    institution_urls,
    period_of,
)
from lapor.institutions.models import Institution


class FastSelect(forms.Select):
    """A select whose options are joined in Python: the decision form offers every ranked
    institution (500 regencies and cities), which Django's option templates render slowly."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = str(value) if value is not None else ""
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), options)


class DecisionForm(forms.Form):
    institution = forms.TypedChoiceField(label=_lazy("Instansi"), coerce=int, widget=FastSelect)
    kind = forms.ChoiceField(label=_lazy("Keputusan"), choices=Decision.Kind.choices)
    reason = forms.CharField(
        label=_lazy("Pertimbangan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    # The version of the ranking shown (ranking.ranking_version): the snapshot must be it.
    version = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: object, rows: list[RankRow], **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["institution"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(r.node.id, r.node.name) for r in rows]


def group_of_request(request: HttpRequest) -> str:
    group = request.GET.get("kelompok", DEFAULT_GROUP)
    return group if group in GROUPS else DEFAULT_GROUP


@require_http_methods(["GET", "POST"])
@dashboard_view
def ranking(request: HttpRequest, viewer: Viewer) -> AnyResponse:
    if not viewer.sees_everything:
        raise Http404
    tree, period, now = Tree.load(), period_of(request), timezone.now()
    group = group_of_request(request)
    policy = current_ranking_policy()
    rows = build_ranking(tree, group, period, now, policy)
    form, status = None, 200
    if viewer.can_decide:
        handled = _decision_form(request, viewer, rows, ranking_version(tree, policy), period)
        if not isinstance(handled, tuple):
            return handled
        form, status = handled
    elif request.method == "POST":
        return HttpResponse(status=403)
    url_of = institution_urls(period)
    table = ranking_table(
        "peringkat",
        _("Peringkat %(group)s") % {"group": str(GROUPS[group][0]).lower()},
        rows,
        lambda r: url_of(r.node),
    )
    context = {
        "viewer": viewer,
        "period": period,
        "tables": [table],
        "title": _("Peringkat instansi"),
        "groups": [(key, label) for key, (label, _k) in GROUPS.items()],
        "group": group,
        "keep": [("kelompok", group)],
        "policy": policy,
        "components": COMPONENTS,
        "decision_form": form,
        "stale": status == 409,
        "scored": sum(1 for r in rows if r.score is not None),
        "unscored": sum(1 for r in rows if r.score is None),
    }
    response = export_or_render(
        request,
        "dashboards/ranking.html",
        context,
        [table],
        f"peringkat-{group}",
        tree=tree,
    )
    response.status_code = status
    return response


def _decision_form(
    request: HttpRequest, viewer: Viewer, rows: list[RankRow], version: str, period: Period
) -> tuple[DecisionForm, int] | AnyResponse:
    """The decision form (and the status of the page showing it), or the redirect to the
    recorded decision. A decision is recorded only on the ranking version the admin saw."""
    form = DecisionForm(request.POST or None, rows=rows, initial={"version": version})
    if request.method == "POST" and form.is_valid():
        try:
            return _decide(request, viewer, form, period)
        except StaleRanking:
            # Shown again on the ranking as it stands now, with what was typed.
            initial = {**form.cleaned_data, "version": version}
            return DecisionForm(initial=initial, rows=rows), 409
    return form, 200


def _decide(
    request: HttpRequest, viewer: Viewer, form: DecisionForm, period: Period
) -> AnyResponse:
    institution = get_object_or_404(Institution, pk=form.cleaned_data["institution"])
    decision = record_decision(
        actor=viewer.user,
        institution=institution,
        kind=form.cleaned_data["kind"],
        period=period,
        reason=form.cleaned_data["reason"],
        now=timezone.now(),
        seen_version=form.cleaned_data["version"],
    )
    messages.success(request, _("Keputusan dicatat bersama cuplikan peringkatnya."))
    return HttpResponseRedirect(reverse("dashboards:decision", args=[decision.pk]))


@require_GET
@dashboard_view
def decisions(request: HttpRequest, viewer: Viewer) -> AnyResponse:
    if not viewer.sees_everything:
        raise Http404
    items = Decision.objects.select_related("institution", "decided_by")[:200]
    table = decisions_table(items)
    context = {"viewer": viewer, "tables": [table], "title": _("Keputusan penghargaan dan sanksi")}
    return export_or_render(request, "dashboards/decisions.html", context, [table], "keputusan")


@require_GET
@dashboard_view
def decision(request: HttpRequest, viewer: Viewer, pk: int) -> AnyResponse:
    if not viewer.sees_everything:
        raise Http404
    item = get_object_or_404(
        Decision.objects.select_related("institution", "decided_by", "snapshot"), pk=pk
    )
    snapshot = item.snapshot
    columns = [
        Column("rank", _("Peringkat"), "int"),
        Column("institution", _("Instansi")),
        Column("score", _("Nilai"), "num"),
        Column("grade", _("Predikat")),
        Column("volume", _("Laporan didisposisikan"), "int"),
        *(Column(name, str(label), "pct") for name, label in COMPONENTS.items()),
    ]
    table = Table(
        key="cuplikan",
        title=_("Cuplikan peringkat yang menjadi dasar keputusan"),
        columns=columns,
        rows=[
            Row(
                [
                    r["rank"],
                    r["name"],
                    r["score"],
                    r["grade"] or _("Data belum cukup"),
                    r["counters"]["routed"],
                    *(r["components"].get(name) for name in COMPONENTS),
                ],
                css="highlight" if r["institution_id"] == item.institution_id else "",
            )
            for r in snapshot.rows
        ],
    )
    context = {
        "viewer": viewer,
        "decision": item,
        "snapshot": snapshot,
        "tables": [table],
        "data_as_of": StatsRefresh.objects.filter(token=snapshot.stats_token)
        .values_list("finished_at", flat=True)
        .first(),
    }
    return export_or_render(
        request, "dashboards/decision.html", context, [table], f"keputusan-{pk}"
    )
