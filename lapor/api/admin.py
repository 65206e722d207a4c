"""Admin for API tokens: issue (the full token is shown once, in a message) and revoke.

Nothing about a token can be changed after issue but its name: a leaked or unused token is
revoked (the row stays for the record) and a new one issued.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import Role, User
from lapor.api.auth import INTEGRATION_ROLES, issue_token, revoke_token
from lapor.api.models import ApiToken
from lapor.institutions.models import Institution


class IssueTokenForm(forms.ModelForm[ApiToken]):
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        label=_("Pengguna"),
        help_text=_("Token pribadi: bertindak sebagai pengguna ini."),
    )
    institution = forms.ModelChoiceField(
        queryset=Institution.objects.active(),
        required=False,
        label=_("Instansi"),
        help_text=_("Token integrasi: akun layanan khusus dengan keanggotaan di instansi ini."),
    )
    role = forms.ChoiceField(
        choices=[(r, Role(r).label) for r in INTEGRATION_ROLES],
        initial=Role.INSTITUTION_ADMIN,
        label=_("Peran integrasi"),
    )

    class Meta:
        model = ApiToken
        fields = ["name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("user") is None) == (data.get("institution") is None):
            raise forms.ValidationError(_("Pilih pengguna ATAU instansi (tepat satu)."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = (
        "name",
        "prefix",
        "user",
        "institution",
        "is_active",
        "last_used_at",
        "created_at",
        "revoked_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "prefix", "user__username", "institution__name")
    actions = ["revoke_tokens"]
    readonly_fields = (
        "prefix",
        "user",
        "institution",
        "is_active",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        if obj is None:
            kwargs["form"] = IssueTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        if obj is None:
            return ["name", "user", "institution", "role"]
        return ["name", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.readonly_fields if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the row is the record of who could call the API

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        token, raw = issue_token(
            name=data["name"],
            user=data.get("user"),
            institution=data.get("institution"),
            role=data.get("role") or Role.INSTITUTION_ADMIN,
            created_by=request.user if isinstance(request.user, User) else None,
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("Token baru: %(token)s — salin sekarang; token ini tidak akan ditampilkan lagi.")
            % {"token": raw},
        )

    @admin.action(description=_("Cabut token terpilih"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset:
            revoke_token(token)
            count += 1
        messages.success(request, _("%(count)d token dicabut.") % {"count": count})
