"""Accounts: register, log in (rate limited), change details, delete."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lapor.accounts.models import User
from lapor.notifications.models import NotificationPreference
from lapor.portal import ratelimit
from lapor.portal.account_forms import (
    DeleteAccountForm,
    LoginForm,
    NotificationChoiceForm,
    ProfileForm,
    RegisterForm,
)
from lapor.reports.services.erasure import erase_reporter_account


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:my_reports")
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Akun Anda telah dibuat. Selamat datang!"))
            return redirect("portal:my_reports")
        return render(request, "accounts/register.html", {"form": form}, status=400)
    return render(request, "accounts/register.html", {"form": form})


class RateLimitedLoginView(LoginView):
    """Django's login, refused with 429 after too many failures for the username or address."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if ratelimit.is_blocked(request, username):
            # An unbound form: a bound one would try the password once more.
            form = self.form_class(request, initial={"username": username})
            minutes = max(1, int(settings.LOGIN_FAILURE_WINDOW) // 60)
            message = _(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)s menit."
            ) % {"minutes": minutes}
            context = self.get_context_data(form=form, blocked_message=message)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        ratelimit.record_failure(self.request, self.request.POST.get("username", ""))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: Any) -> HttpResponse:
        ratelimit.clear_username(self.request, self.request.POST.get("username", ""))
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


def _profile_page(
    request: HttpRequest,
    user: User,
    *,
    form: ProfileForm | None = None,
    notice_form: NotificationChoiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    # The stored details, not what an invalid post of the other form put on `user`.
    stored = User.objects.get(pk=user.pk)
    context = {
        "form": form or ProfileForm(instance=stored),
        "notice_form": notice_form or NotificationChoiceForm(user=stored),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Data akun Anda telah diperbarui."))
            response = redirect("accounts:profile")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
        return _profile_page(request, user, form=form, status=400)
    return _profile_page(request, user)


@login_required
@require_http_methods(["POST"])
def notification_choice(request: HttpRequest) -> HttpResponse:
    """Save how the signed-in person is told (their own preference only)."""
    user: User = request.user  # type: ignore[assignment]
    form = NotificationChoiceForm(request.POST, user=user)
    if not form.is_valid():
        return _profile_page(request, user, notice_form=form, status=400)
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": form.cleaned_data["email"], "sms": form.cleaned_data["sms"]}
    )
    messages.success(request, _("Pilihan pemberitahuan Anda telah disimpan."))
    return redirect("accounts:profile")


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            erase_reporter_account(user=user)
            logout(request)
            messages.success(
                request,
                _("Akun Anda telah dihapus. Laporan Anda tetap tersimpan tanpa data pribadi Anda."),
            )
            return redirect("portal:home")
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    return render(request, "accounts/delete.html", {"form": form})
