"""The staff member's own page: how they are told (e-mail, SMS, daily digest) and in which
language. Each person edits only their own choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lapor.accounts.models import User
from lapor.notifications.forms import ChannelChoiceForm
from lapor.notifications.models import NotificationPreference
from lapor.workbench.views.common import Desk, staff_view

# The languages messages are written in (templates/notifications/<kind>.<language>.txt).
LANGUAGE_CHOICES = [("id", "Indonesia"), ("en", "English")]


class StaffNotificationForm(ChannelChoiceForm):
    daily_digest = forms.BooleanField(
        label=gettext_lazy("Ringkasan harian"),
        required=False,
        help_text=gettext_lazy(
            "Tugas baru, laporan yang dikembalikan, klarifikasi pelapor dan pengingat batas "
            "waktu dikirim sekali sehari dalam satu ringkasan, bukan satu per satu. Pesan "
            "keterlambatan tetap dikirim segera."
        ),
    )
    language = forms.ChoiceField(label=gettext_lazy("Bahasa pesan"), choices=LANGUAGE_CHOICES)

    refused_email = gettext_lazy(
        "Alamat surel Anda belum tercatat, jadi pemberitahuan lewat surel tidak dapat dipilih."
    )
    refused_phone = gettext_lazy(
        "Nomor telepon Anda belum tercatat, jadi pemberitahuan lewat SMS tidak dapat dipilih."
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["email"].label = _("Surel")
        self.fields["sms"].label = _("SMS")

    def more_initial(self, pref: NotificationPreference) -> dict[str, Any]:
        return {"daily_digest": pref.daily_digest, "language": self.user.language}


def _context(desk: Desk, form: StaffNotificationForm) -> dict[str, Any]:
    return {"desk": desk, "form": form, "nav": "profile"}


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def profile(request: HttpRequest, desk: Desk) -> HttpResponse:
    user = desk.user
    if request.method != "POST":
        form = StaffNotificationForm(user=user)
        return render(request, "workbench/profile.html", _context(desk, form))
    form = StaffNotificationForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "workbench/profile.html", _context(desk, form), status=400)
    data = form.cleaned_data
    choice = {key: data[key] for key in ("email", "sms", "daily_digest")}
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(user=user, defaults=choice)
        if user.language != data["language"]:
            user.language = data["language"]
            user.save(update_fields=["language"])
    messages.success(request, _("Pilihan pemberitahuan Anda telah disimpan."))
    return redirect("workbench:profile")
