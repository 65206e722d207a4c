"""Admin for the reports app: the deadline policy (editable) and read-only views of reports,
their events and identity accesses.

Only lapor.reports.services changes a report, so the admin shows reports and never writes them:
no add, no change, no delete. An anonymous reporter's identity is not shown here either; it is
revealed only through services.reveal_reporter_identity, which logs the access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.lib.redaction import ANONYMOUS_LABEL
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports.models import DeadlinePolicy, IdentityAccess, Report, ReportEvent

IDENTITY_FIELDS = ("reporter", "contact_name", "contact_email", "contact_phone")
NEVER_SHOWN = ("guest_secret_hash",)
DAY_FIELDS = (
    "verification_days",
    "first_response_days",
    "completion_short_days",
    "completion_standard_days",
    "completion_investigation_days",
    "reporter_window_days",
    "clarification_days",
    "max_extension_days",
)


class ReadOnlyAdminMixin:
    """View permission only: nothing can be added, changed or deleted from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _actor_label(event: ReportEvent) -> str:
    if event.actor_role == "reporter" and event.report.is_anonymous:
        return ANONYMOUS_LABEL
    if event.actor is not None:
        return event.actor.username
    return str(event.data.get("actor", "")) if isinstance(event.data, dict) else ""


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin[DeadlinePolicy]):
    """The single policy row: no second row, never deleted; who changed it last is kept."""

    list_display = ("__str__", "verification_days", "completion_standard_days", "updated_at")
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not DeadlinePolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: DeadlinePolicy,
        form: ModelForm[DeadlinePolicy],
        change: bool,
    ) -> None:
        if not change:
            obj.pk = 1  # the row current_policy() reads
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & set(DAY_FIELDS):
            # Open reports' stored deadlines follow the new numbers, as after a calendar change.
            from lapor.reports.tasks import recompute_deadlines_task

            reason = f"Kebijakan tenggat diubah oleh {request.user}."
            transaction.on_commit(lambda: recompute_deadlines_task.enqueue(reason=reason))


class ReportEventInline(ReadOnlyAdminMixin, admin.TabularInline[ReportEvent, Report]):
    model = ReportEvent
    extra = 0
    can_delete = False
    ordering = ("sequence",)
    fields = (
        "sequence",
        "created_at",
        "action",
        "actor_label",
        "actor_role",
        "from_state",
        "to_state",
        "reason",
        "message",
        "is_public",
        "data",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportEvent]:
        return super().get_queryset(request).select_related("report", "actor")

    @admin.display(description=_("pelaku"))
    def actor_label(self, obj: ReportEvent) -> str:
        return _actor_label(obj)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Report]):
    """Reports, read-only. Every move goes through the services (the workbench pages)."""

    list_display = (
        "tracking_number",
        "title",
        "state",
        "report_type",
        "responsible_institution",
        "channel",
        "submitted_at",
    )
    list_filter = ("state", "report_type", "channel", "is_anonymous", "is_confidential")
    list_select_related = ("responsible_institution",)
    search_fields = ("tracking_number",)
    search_help_text = _("Cari dengan nomor pelacakan, mis. 26-7K3M-9Q2X.")
    date_hierarchy = "submitted_at"
    inlines = (ReportEventInline,)

    def get_fields(self, request: HttpRequest, obj: Report | None = None) -> tuple[str, ...]:
        hidden = set(NEVER_SHOWN)
        if obj is not None and obj.is_anonymous:
            hidden |= set(IDENTITY_FIELDS)
        names = [f.name for f in Report._meta.concrete_fields if f.name not in hidden]
        if obj is not None and obj.is_anonymous:
            names.insert(names.index("is_confidential") + 1, "reporter_identity")
        return tuple(names)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Report | None = None
    ) -> tuple[str, ...]:
        return self.get_fields(request, obj)

    @admin.display(description=_("identitas pelapor"))
    def reporter_identity(self, obj: Report) -> str:
        return str(
            _("Disembunyikan (laporan anonim). Buka hanya melalui akses identitas yang tercatat.")
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Report], search_term: str
    ) -> tuple[QuerySet[Report], bool]:
        # Tracking numbers are typed in every way (lower case, no dashes, O for 0).
        normalized = normalize_tracking_number(search_term) if search_term else None
        return super().get_search_results(request, queryset, normalized or search_term)


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ReportEvent]):
    list_display = (
        "report",
        "sequence",
        "action",
        "actor_label",
        "actor_role",
        "from_state",
        "to_state",
        "is_public",
        "created_at",
    )
    list_filter = ("action", "actor_role", "is_public")
    list_select_related = ("report", "actor")
    search_fields = ("report__tracking_number",)
    date_hierarchy = "created_at"

    @admin.display(description=_("pelaku"))
    def actor_label(self, obj: ReportEvent) -> str:
        return _actor_label(obj)

    def get_fields(self, request: HttpRequest, obj: ReportEvent | None = None) -> tuple[str, ...]:
        names = [f.name for f in ReportEvent._meta.concrete_fields if f.name not in ("id", "actor")]
        return (*names[:3], "actor_label", *names[3:])

    def get_readonly_fields(
        self, request: HttpRequest, obj: ReportEvent | None = None
    ) -> tuple[str, ...]:
        return self.get_fields(request, obj)


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[IdentityAccess]):
    """Who looked at which anonymous reporter's identity, and why. Kept forever."""

    list_display = ("accessed_at", "user", "report", "purpose")
    list_select_related = ("user", "report")
    search_fields = ("report__tracking_number", "user__username")
    date_hierarchy = "accessed_at"
    readonly_fields = ("report", "user", "purpose", "accessed_at")
