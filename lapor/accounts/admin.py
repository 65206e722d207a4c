"""Admin for accounts: the custom user with its profile fields and memberships."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("institution", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("institution",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Profil Lapor"), {"fields": ("full_name", "nik", "phone", "language", "erased_at")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Profil Lapor"), {"fields": ("full_name", "email", "nik", "phone", "language")}),
    )
    readonly_fields = ("erased_at", "last_login", "date_joined")
    list_display = ("username", "full_name", "email", "phone", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "language", "memberships__role")
    search_fields = ("username", "full_name", "first_name", "last_name", "email", "nik", "phone")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "role", "institution", "is_active", "created_at")
    list_filter = ("role", "is_active", "institution__kind")
    list_select_related = ("user", "institution")
    search_fields = ("user__username", "user__full_name", "institution__name", "institution__code")
    autocomplete_fields = ("user", "institution")
    readonly_fields = ("created_at",)
