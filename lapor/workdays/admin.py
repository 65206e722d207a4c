"""Admin for holidays. Every save and delete goes through lapor.workdays.services, so the
calendar revision is bumped and `calendar_changed` is sent exactly as for any other change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.workdays.models import CalendarRevision, Holiday
from lapor.workdays.services import add_holiday, remove_holiday, update_holiday

_EDITABLE = ("date", "name", "kind", "province", "note", "is_removed")


class YearFilter(admin.SimpleListFilter):
    title = _("tahun")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> QuerySet[Holiday]:
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    list_display = ("date", "name", "kind", "province", "source", "is_removed")
    # RelatedOnlyFieldListFilter: only provinces that have a holiday, not all 550 regions.
    list_filter = (
        YearFilter,
        "kind",
        ("province", admin.RelatedOnlyFieldListFilter),
        "source",
        "is_removed",
    )
    list_select_related = ("province",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    ordering = ("-date", "kind")
    fields = (*_EDITABLE, "source", "created_at", "updated_at")
    readonly_fields = ("source", "created_at", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: Holiday, form: ModelForm[Holiday], change: bool
    ) -> None:
        if change:
            changes = {f: form.cleaned_data[f] for f in form.changed_data if f in _EDITABLE}
            result = update_holiday(actor=request.user, holiday=obj, **changes)
        else:
            result = add_holiday(
                actor=request.user,
                date=obj.date,
                name=obj.name,
                kind=obj.kind,
                province=obj.province,
                note=obj.note,
            )
            if obj.is_removed:
                result = remove_holiday(actor=request.user, holiday=result)
        # The admin goes on with `obj` (messages, log entry, redirect): point it at the row the
        # service wrote, which is a new one when a seeded holiday was moved.
        obj.pk = result.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        remove_holiday(actor=request.user, holiday=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        for holiday in queryset:
            remove_holiday(actor=request.user, holiday=holiday)


@admin.register(CalendarRevision)
class CalendarRevisionAdmin(admin.ModelAdmin[CalendarRevision]):
    list_display = ("value", "updated_at")
    readonly_fields = ("value", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
