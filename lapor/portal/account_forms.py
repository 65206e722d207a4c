"""Forms of the account pages: register, log in, change details, delete."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from lapor.accounts.models import User, nik_validator
from lapor.notifications.forms import ChannelChoiceForm

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


class NotificationChoiceForm(ChannelChoiceForm):
    """How a reporter is told about their reports: e-mail and/or SMS, among the channels they
    gave an address for. The language of messages is the account's language."""

    prefix = "notif"

    no_email = _("Belum ada alamat surel pada akun Anda.")
    no_phone = _("Belum ada nomor telepon pada akun Anda.")
    refused_email = _(
        "Anda belum mengisi alamat surel, jadi pemberitahuan lewat surel tidak dapat dipilih. "
        "Isi alamat surel pada data akun di atas terlebih dahulu."
    )
    refused_phone = _(
        "Anda belum mengisi nomor telepon, jadi pemberitahuan lewat SMS tidak dapat dipilih. "
        "Isi nomor telepon pada data akun di atas terlebih dahulu."
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["email"].label = _("Kirim pemberitahuan lewat surel")
        self.fields["sms"].label = _("Kirim pemberitahuan lewat SMS")


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
