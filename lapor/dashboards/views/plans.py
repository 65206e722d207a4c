"""Action plan pages: create a plan, then targets, activities, their status and progress notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from lapor.dashboards import plans
from lapor.dashboards.access import Viewer
from lapor.dashboards.models import ActionPlan, ActionPlanActivity, Indicator
from lapor.dashboards.plan_tables import activities_table, targets_table
from lapor.dashboards.tables import Chart, Table
from lapor.dashboards.tree import Tree
from lapor.dashboards.views.common import (
    AnyResponse,
    dashboard_view,
    export_or_render,
    node_or_404,
)

DATE = forms.DateInput(attrs={"type": "date"})


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PlanForm(Form):
    title = forms.CharField(label=_lazy("Judul"), max_length=200)
    period_start = forms.DateField(label=_lazy("Mulai"), widget=DATE)
    period_end = forms.DateField(label=_lazy("Selesai"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class TargetForm(Form):
    indicator = forms.ChoiceField(label=_lazy("Indikator"), choices=Indicator.choices)
    target = forms.DecimalField(
        label=_lazy("Target"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        help_text=_lazy("Persen untuk persentase, 1–5 untuk kepuasan, hari kerja untuk median."),
    )


class ActivityForm(Form):
    description = forms.CharField(label=_lazy("Kegiatan"), max_length=300)
    owner = forms.CharField(label=_lazy("Penanggung jawab"), max_length=200)
    due_on = forms.DateField(label=_lazy("Tenggat"), widget=DATE)


class StatusForm(Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_lazy("Status"), choices=ActionPlanActivity.Status.choices)


class NoteForm(Form):
    text = forms.CharField(
        label=_lazy("Catatan kemajuan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


@require_http_methods(["GET", "POST"])
@dashboard_view
def plan_new(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    tree = Tree.load()
    node = node_or_404(viewer, tree, pk)
    if not viewer.can_edit_plans(node):
        return render(
            request,
            "dashboards/error.html",
            {"message": _("Hanya admin instansi yang dapat menyusun rencana aksi.")},
            status=403,
        )
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = plans.create_plan(
            user=viewer.user,
            institution_id=node.id,
            title=form.cleaned_data["title"],
            start=form.cleaned_data["period_start"],
            end=form.cleaned_data["period_end"],
        )
        return HttpResponseRedirect(reverse("dashboards:plan", args=[plan.pk]))
    context = {"viewer": viewer, "node": node, "form": form}
    return render(request, "dashboards/plan_form.html", context)


@require_http_methods(["GET", "POST"])
@dashboard_view
def plan_detail(request: HttpRequest, viewer: Viewer, pk: int) -> AnyResponse:
    tree = Tree.load()
    plan = get_object_or_404(ActionPlan.objects.select_related("institution"), pk=pk)
    node = tree.get(plan.institution_id)
    if node is None or not viewer.can_view(node):
        raise Http404
    editable = viewer.can_edit_plans(node)
    forms_ = {
        "target": TargetForm(prefix="target"),
        "activity": ActivityForm(prefix="activity"),
        "note": NoteForm(prefix="note"),
    }
    if request.method == "POST":
        if not editable:
            return HttpResponse(status=403)
        done = _apply(request, viewer, plan, forms_)
        if done:
            messages.success(request, _("Rencana aksi diperbarui."))
            return HttpResponseRedirect(reverse("dashboards:plan", args=[plan.pk]))
    progress = plans.plan_progress(plan, tree, timezone.localdate())
    targets, activities = targets_table(progress, "target"), activities_table(progress)
    context = {
        "viewer": viewer,
        "node": node,
        "progress": progress,
        "targets": targets,
        "activities": activities,
        "editable": editable,
        "forms": forms_,
        "statuses": ActionPlanActivity.Status.choices,
    }
    tables: list[Table | Chart] = [targets, activities]
    return export_or_render(
        request, "dashboards/plan.html", context, tables, f"rencana-aksi-{plan.pk}"
    )


def _apply(request: HttpRequest, viewer: Viewer, plan: ActionPlan, forms_: dict[str, Form]) -> bool:
    action = request.POST.get("aksi", "")
    if action == "target":
        form: Form = TargetForm(request.POST, prefix="target")
        if form.is_valid():
            plans.set_target(plan=plan, **form.cleaned_data)
            return True
    elif action == "activity":
        form = ActivityForm(request.POST, prefix="activity")
        if form.is_valid():
            plans.add_activity(plan=plan, **form.cleaned_data)
            return True
    elif action == "status":
        form = StatusForm(request.POST)
        if form.is_valid():
            activity = get_object_or_404(plan.activities, pk=form.cleaned_data["activity"])
            plans.set_activity_status(
                activity=activity, status=form.cleaned_data["status"], today=timezone.localdate()
            )
            return True
    elif action == "note":
        form = NoteForm(request.POST, prefix="note")
        if form.is_valid():
            plans.add_note(plan=plan, user=viewer.user, text=form.cleaned_data["text"])
            return True
    else:
        raise Http404
    if action in forms_:
        forms_[action] = form
    return False
