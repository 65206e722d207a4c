"""Admin: the ranking policy (editable, one row), decisions and snapshots (read-only records),
action plans, and the refresh log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lapor.dashboards.models import (
    ActionPlan,
    ActionPlanActivity,
    ActionPlanNote,
    ActionPlanTarget,
    Decision,
    RankingPolicy,
    RankingSnapshot,
    StatsRefresh,
)


class ReadOnly:
    """View only: these are records, never edited after the fact."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RankingPolicy)
class RankingPolicyAdmin(admin.ModelAdmin[RankingPolicy]):
    list_display = ("__str__", "min_volume", "grade_good_min", "grade_fair_min", "updated_at")
    readonly_fields = ("updated_at", "updated_by")
    fieldsets = (
        (None, {"fields": ("min_volume", "confidence_z", "satisfied_rating", "active_admin_days")}),
        (
            "Bobot",
            {
                "fields": (
                    "weight_follow_up",
                    "weight_first_response",
                    "weight_on_time",
                    "weight_no_reopen",
                    "weight_satisfaction",
                    "weight_compliance",
                )
            },
        ),
        ("Predikat", {"fields": ("grade_good_min", "grade_fair_min")}),
        (None, {"fields": ("updated_at", "updated_by")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One policy: the row is created on first use (ranking.current_ranking_policy).
        return not RankingPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RankingPolicy, form: Any, change: bool) -> None:
        obj.pk = 1
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnly, admin.ModelAdmin[RankingSnapshot]):
    list_display = ("group", "period_start", "period_end", "computed_at", "created_by")
    list_filter = ("group",)


@admin.register(Decision)
class DecisionAdmin(ReadOnly, admin.ModelAdmin[Decision]):
    list_display = ("institution", "kind", "period_start", "period_end", "decided_at", "decided_by")
    list_filter = ("kind",)
    search_fields = ("institution__name",)


class TargetInline(admin.TabularInline[ActionPlanTarget, ActionPlan]):
    model = ActionPlanTarget
    extra = 0


class ActivityInline(admin.TabularInline[ActionPlanActivity, ActionPlan]):
    model = ActionPlanActivity
    extra = 0


class NoteInline(ReadOnly, admin.TabularInline[ActionPlanNote, ActionPlan]):
    model = ActionPlanNote
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin[ActionPlan]):
    list_display = ("title", "institution", "period_start", "period_end")
    search_fields = ("title", "institution__name")
    raw_id_fields = ("institution",)
    inlines = (TargetInline, ActivityInline, NoteInline)


@admin.register(StatsRefresh)
class StatsRefreshAdmin(ReadOnly, admin.ModelAdmin[StatsRefresh]):
    list_display = ("started_at", "finished_at", "since", "reports", "months")
