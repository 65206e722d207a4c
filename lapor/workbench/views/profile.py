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
from lapor.notifications.models import Channel, NotificationPreference
from lapor.notifications.services import preference_for, reachable_channels
from lapor.workbench.views.common import Desk, staff_view

# The languages messages are written in (templates/notifications/<kind>.<language>.txt).
LANGUAGE_CHOICES = [("id", "Indonesia"), ("en", "English")]

NO_EMAIL = gettext_lazy(
    "Alamat surel Anda belum tercatat, jadi pemberitahuan lewat surel tidak dapat dipilih."
)
NO_PHONE = gettext_lazy(
    "Nomor telepon Anda belum tercatat, jadi pemberitahuan lewat SMS tidak dapat dipilih."
)
NO_CHANNEL = gettext_lazy("Pilih minimal satu cara pemberitahuan: surel, SMS, atau keduanya.")


class StaffNotificationForm(forms.Form):
    email = forms.BooleanField(label=gettext_lazy("Surel"), required=False)
    sms = forms.BooleanField(label=gettext_lazy("SMS"), required=False)
    daily_digest = forms.BooleanField(
        label=gettext_lazy("Ringkasan harian"),
        required=False,
        help_text=gettext_lazy(
            "Tugas baru, laporan yang dikembalikan, klarifikasi pelapor dan pengingat batas "
            "waktu dikirim sekali sehari dalam satu ringkasan, bukan satu per satu. Pesan "
            "keterlambatan tetap dikirim segera."
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Bahasa pesan"),
        choices=LANGUAGE_CHOICES,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        self.reachable = reachable_channels(user)
        pref = preference_for(user)
        kwargs.setdefault(
            "initial",
            {
                "email": pref.email and Channel.EMAIL in self.reachable,
                "sms": pref.sms and Channel.SMS in self.reachable,
                "daily_digest": pref.daily_digest,
                "language": user.language,
            },
        )
        super().__init__(*args, **kwargs)
        for name, address, missing in (
            ("email", user.email, _("Belum ada alamat surel tercatat.")),
            ("sms", user.phone, _("Belum ada nomor telepon tercatat.")),
        ):
            field = self.fields[name]
            field.help_text = _("Ke %(address)s") % {"address": address} if address else missing
            if not address:
                # Shown but not selectable in the browser; the server checks it anyway.
                field.widget.attrs["disabled"] = True

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("email") and Channel.EMAIL not in self.reachable:
            self.add_error("email", NO_EMAIL)
        if cleaned.get("sms") and Channel.SMS not in self.reachable:
            self.add_error("sms", NO_PHONE)
        if not cleaned.get("email") and not cleaned.get("sms"):
            self.add_error(None, NO_CHANNEL)
        return cleaned


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
