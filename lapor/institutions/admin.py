"""Admin for master data: regions (read-only), the institution tree, decrees and categories.

Institutions are saved through lapor.institutions.services so that the materialised path of the
institution and of its whole subtree stays right when it is added or moved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import (
    Category,
    ComplaintTeamDecree,
    ComplaintTeamMember,
    Institution,
    Region,
)
from lapor.institutions.services import save_institution


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    """Kemendagri regions are loaded by a migration and never edited by hand."""

    list_display = ("code", "name", "level", "province", "timezone")
    list_filter = ("level", "timezone")
    list_select_related = ("province",)
    search_fields = ("code", "name")
    ordering = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InstitutionForm(forms.ModelForm[Institution]):
    class Meta:
        model = Institution
        fields = ("code", "name", "kind", "parent", "region", "timezone", "is_active")

    def clean_parent(self) -> Institution | None:
        parent: Institution | None = self.cleaned_data.get("parent")
        own_path = self.instance.path if self.instance.pk else ""
        if parent is not None and own_path and parent.path.startswith(own_path):
            raise ValidationError(_("Induk tidak boleh berada di bawah instansi ini sendiri."))
        return parent


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin[Institution]):
    form = InstitutionForm
    list_display = ("name", "code", "kind", "parent", "region", "effective_timezone", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("parent", "region__province")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent", "region")
    fields = (
        "code",
        "name",
        "kind",
        "parent",
        "region",
        "timezone",
        "effective_timezone",
        "is_active",
        "path",
        "depth",
    )
    readonly_fields = ("effective_timezone", "path", "depth")
    ordering = ("path",)

    @admin.display(description=_("zona waktu berlaku"))
    def effective_timezone(self, obj: Institution) -> str:
        return obj.effective_timezone

    def save_model(
        self, request: HttpRequest, obj: Institution, form: ModelForm[Institution], change: bool
    ) -> None:
        save_institution(obj)


class ComplaintTeamMemberInline(admin.TabularInline[ComplaintTeamMember, ComplaintTeamDecree]):
    model = ComplaintTeamMember
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(ComplaintTeamDecree)
class ComplaintTeamDecreeAdmin(admin.ModelAdmin[ComplaintTeamDecree]):
    list_display = ("number", "institution", "issued_on", "valid_until", "member_count")
    list_filter = ("issued_on",)
    list_select_related = ("institution",)
    search_fields = ("number", "institution__name", "members__name")
    autocomplete_fields = ("institution",)
    date_hierarchy = "issued_on"
    inlines = (ComplaintTeamMemberInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ComplaintTeamDecree]:
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("anggota"), ordering="member_total")
    def member_count(self, obj: ComplaintTeamDecree) -> int:
        return int(getattr(obj, "member_total", 0))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active", ("parent", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)
