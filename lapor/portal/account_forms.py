"""Forms of the account pages: register, log in, change details, delete."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import User, nik_validator
from lapor.notifications.models import Channel
from lapor.notifications.services import preference_for, reachable_channels

NIK_HELP = _("Nomor Induk Kependudukan: 16 angka, tertera di KTP.")
CONTACT_HELP = _("Isi nomor telepon, surel, atau keduanya.")


def clean_phone(value: str) -> str:
    phone = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if value.strip() and not 8 <= len(phone.lstrip("+")) <= 15:
        raise forms.ValidationError(_("Nomor telepon tidak valid."))
    return phone


class ContactMixin:
    """NIK exactly 16 digits; a phone number and/or an e-mail address."""

    cleaned_data: dict[str, Any]

    def clean_nik(self) -> str:
        nik = "".join(self.cleaned_data.get("nik", "").split())
        nik_validator(nik)
        return nik

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def check_contact(self) -> None:
        if not self.cleaned_data.get("phone") and not self.cleaned_data.get("email"):
            message = _("Isi minimal salah satu: nomor telepon atau surel.")
            self.add_error("phone", message)  # type: ignore[attr-defined]
            self.add_error("email", message)  # type: ignore[attr-defined]


class RegisterForm(ContactMixin, UserCreationForm):  # type: ignore[type-arg]
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=NIK_HELP,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Nomor telepon"),
        required=False,
        max_length=20,
        help_text=CONTACT_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Surel"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("full_name", "nik", "phone", "email", "username")
        labels = {"username": _("Nama pengguna")}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self.check_contact()
        return cleaned


class ProfileForm(ContactMixin, forms.ModelForm):  # type: ignore[type-arg]
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    nik = forms.CharField(label=_("NIK"), max_length=24, help_text=NIK_HELP)
    phone = forms.CharField(
        label=_("Nomor telepon"),
        required=False,
        max_length=20,
        help_text=CONTACT_HELP,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.EmailField(label=_("Surel"), required=False)

    class Meta:
        model = User
        fields = ("full_name", "nik", "phone", "email", "language")
        labels = {"language": _("Bahasa tampilan")}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self.check_contact()
        return cleaned


NO_EMAIL = _(
    "Anda belum mengisi alamat surel, jadi pemberitahuan lewat surel tidak dapat dipilih. "
    "Isi alamat surel pada data akun di atas terlebih dahulu."
)
NO_PHONE = _(
    "Anda belum mengisi nomor telepon, jadi pemberitahuan lewat SMS tidak dapat dipilih. "
    "Isi nomor telepon pada data akun di atas terlebih dahulu."
)
NO_CHANNEL = _("Pilih minimal satu cara pemberitahuan: surel, SMS, atau keduanya.")


class NotificationChoiceForm(forms.Form):
    """How a reporter is told about their reports: e-mail and/or SMS, among the channels they
    gave an address for. The language of messages is the account's language."""

    prefix = "notif"

    email = forms.BooleanField(label=_("Kirim pemberitahuan lewat surel"), required=False)
    sms = forms.BooleanField(label=_("Kirim pemberitahuan lewat SMS"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        self.reachable = reachable_channels(user)
        pref = preference_for(user)
        kwargs.setdefault(
            "initial",
            {
                "email": pref.email and Channel.EMAIL in self.reachable,
                "sms": pref.sms and Channel.SMS in self.reachable,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = (
            _("Ke %(address)s") % {"address": user.email}
            if user.email
            else _("Belum ada alamat surel pada akun Anda.")
        )
        self.fields["sms"].help_text = (
            _("Ke %(address)s") % {"address": user.phone}
            if user.phone
            else _("Belum ada nomor telepon pada akun Anda.")
        )
        for name in ("email", "sms"):
            if name not in self.reachable:
                # Shown but not selectable in the browser; the server checks it anyway.
                self.fields[name].widget.attrs["disabled"] = True

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("email") and Channel.EMAIL not in self.reachable:
            self.add_error("email", NO_EMAIL)
        if cleaned.get("sms") and Channel.SMS not in self.reachable:
            self.add_error("sms", NO_PHONE)
        if not cleaned.get("email") and not cleaned.get("sms"):
            self.add_error(None, NO_CHANNEL)
        return cleaned


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Kata sandi salah."))
        return str(password)


__all__ = [
    "DeleteAccountForm",
    "LoginForm",
    "NotificationChoiceForm",
    "ProfileForm",
    "RegisterForm",
]
