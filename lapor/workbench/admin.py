"""Reply templates are master data: managed here, used on the workbench."""

from __future__ import annotations

from django.contrib import admin

from lapor.workbench.models import ReplyTemplate


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin[ReplyTemplate]):
    list_display = ("title", "kind", "institution", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    list_select_related = ("institution",)
    search_fields = ("title", "body", "institution__name")
    autocomplete_fields = ("institution",)
    ordering = ("institution__path", "kind", "title")
