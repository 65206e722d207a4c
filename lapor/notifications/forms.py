"""The one rule of every notification-preference form: e-mail and/or SMS, only among the
channels the person gave an address for, and at least one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.accounts.models import User
from lapor.notifications.models import Channel, NotificationPreference
from lapor.notifications.services import preference_for, reachable_channels

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NO_CHANNEL = gettext_lazy("Pilih minimal satu cara pemberitahuan: surel, SMS, atau keduanya.")


class ChannelChoiceForm(forms.Form):
    email = forms.BooleanField(required=False)
    sms = forms.BooleanField(required=False)

    # Subclasses word these for their page.
    no_email: StrOrPromise = gettext_lazy("Belum ada alamat surel tercatat.")
    no_phone: StrOrPromise = gettext_lazy("Belum ada nomor telepon tercatat.")
    refused_email: StrOrPromise = no_email
    refused_phone: StrOrPromise = no_phone

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        self.reachable = reachable_channels(user)
        pref = preference_for(user)
        initial = {
            "email": pref.email and Channel.EMAIL in self.reachable,
            "sms": pref.sms and Channel.SMS in self.reachable,
            **self.more_initial(pref),
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name, address, missing in (
            ("email", user.email, self.no_email),
            ("sms", user.phone, self.no_phone),
        ):
            field = self.fields[name]
            field.help_text = _("Ke %(address)s") % {"address": address} if address else missing
            if name not in self.reachable:
                # Shown but not selectable in the browser; the server checks it anyway.
                field.widget.attrs["disabled"] = True

    def more_initial(self, pref: NotificationPreference) -> dict[str, Any]:
        return {}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("email") and Channel.EMAIL not in self.reachable:
            self.add_error("email", self.refused_email)
        if cleaned.get("sms") and Channel.SMS not in self.reachable:
            self.add_error("sms", self.refused_phone)
        if not cleaned.get("email") and not cleaned.get("sms"):
            self.add_error(None, NO_CHANNEL)
        return cleaned
