"""Forms of the citizen pages. They parse and label input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lapor.lib.tracking import normalize_tracking_number
from lapor.portal import choices
from lapor.reports.models import ReportType
from lapor.reports.services import ReportInput

RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def read_uploads(files: list[UploadedFile], max_bytes: int) -> list[tuple[str, bytes]]:
    """(name, bytes) pairs for the services. At most max_bytes + 1 bytes are read from each
    file: enough for the service to refuse an oversized one, never a whole huge upload."""
    return [(f.name or "lampiran", f.read(max_bytes + 1)) for f in files]


ATTACHMENT_HELP = _(
    "Foto (JPEG, PNG, WebP, GIF), PDF, atau dokumen Office/OpenDocument; boleh beberapa. "
    "Metadata foto (misalnya lokasi GPS) dihapus otomatis."
)


class SubmitReportForm(forms.Form):
    report_type = forms.ChoiceField(
        label=_("Jenis laporan"), choices=ReportType.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Judul laporan"),
        max_length=200,
        help_text=_("Ringkas, misalnya: Pungutan liar pendaftaran sekolah."),
    )
    body = forms.CharField(
        label=_("Isi laporan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan kronologinya: apa, di mana, kapan, siapa yang terlibat."),
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    province = forms.CharField(label=_("Provinsi"), required=False, widget=forms.Select)
    regency = forms.CharField(label=_("Kabupaten/kota"), required=False, widget=forms.Select)
    address = forms.CharField(
        label=_("Alamat atau lokasi (opsional)"), required=False, max_length=255
    )
    latitude = forms.CharField(
        label=_("Lintang (opsional)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.CharField(
        label=_("Bujur (opsional)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    category = forms.ChoiceField(label=_("Kategori (opsional)"), required=False)
    suggested_institution = forms.ChoiceField(
        label=_("Instansi yang menurut Anda berwenang (opsional)"), required=False
    )
    attachments = MultipleFileField(
        label=_("Lampiran (opsional)"), required=False, help_text=ATTACHMENT_HELP
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim"),
        required=False,
        help_text=_(
            "Identitas Anda disembunyikan dari instansi dan publik; hanya admin nasional "
            "yang dapat melihatnya, dan setiap aksesnya dicatat."
        ),
        widget=forms.CheckboxInput(attrs={"role": "switch"}),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia"),
        required=False,
        help_text=_(
            "Isi laporan tidak ditampilkan di halaman publik; hanya petugas yang menanganinya "
            "yang dapat membacanya."
        ),
        widget=forms.CheckboxInput(attrs={"role": "switch"}),
    )
    contact_name = forms.CharField(label=_("Nama"), required=False, max_length=200)
    contact_email = forms.CharField(
        label=_("Surel"), required=False, max_length=254, widget=forms.EmailInput
    )
    contact_phone = forms.CharField(
        label=_("Nomor telepon"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args: Any, guest: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province_field: Any = self.fields["province"]
        province_field.widget.choices = [("", _("— Pilih provinsi —")), *choices.provinces()]
        # With htmx the regency list follows the province; without it the full list stays.
        province_field.widget.attrs.update(
            {
                "hx-get": reverse("portal:regencies"),
                "hx-target": "#id_regency",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        regency_field: Any = self.fields["regency"]
        regency_field.widget.choices = self.regency_choices()
        category: Any = self.fields["category"]
        category.choices = [("", _("— Pilih kategori —")), *choices.category_tree()]
        institution: Any = self.fields["suggested_institution"]
        institution.choices = [("", _("— Belum tahu —")), *choices.institutions()]
        if not guest:
            for name in ("contact_name", "contact_email", "contact_phone"):
                del self.fields[name]

    def regency_choices(self) -> list[Any]:
        """Only the chosen province's regencies; every one, grouped, when none is chosen (so
        that a browser without JavaScript can still pick one)."""
        province = self.data.get("province") if self.is_bound else self.initial.get("province")
        empty = ("", _("— Pilih kabupaten/kota —"))
        if province:
            return [empty, *choices.regencies_of(str(province))]
        return [empty, *choices.regencies_grouped()]

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            report_type=data["report_type"],
            title=data["title"],
            body=data["body"],
            incident_date=data.get("incident_date"),
            province_code=data.get("province", ""),
            regency_code=data.get("regency", ""),
            address=data.get("address", ""),
            latitude=data.get("latitude") or None,
            longitude=data.get("longitude") or None,
            category_id=int(data["category"]) if data.get("category") else None,
            suggested_institution_id=(
                int(data["suggested_institution"]) if data.get("suggested_institution") else None
            ),
            is_anonymous=bool(data.get("is_anonymous")),
            is_confidential=bool(data.get("is_confidential")),
            contact_name=data.get("contact_name", ""),
            contact_email=data.get("contact_email", ""),
            contact_phone=data.get("contact_phone", ""),
        )


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=32,
        help_text=_("Contoh: 26-7K3M-9Q2X"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("Kunci rahasia"),
        max_length=64,
        help_text=_("Bagian setelah ?kunci= pada tautan pribadi Anda."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_tracking_number(self) -> str:
        number = normalize_tracking_number(self.cleaned_data["tracking_number"])
        if number is None:
            raise forms.ValidationError(
                _("Nomor pelacakan tidak valid. Periksa kembali penulisannya.")
            )
        return number


class MessageForm(forms.Form):
    """Add information, clarify, or dispute the answer: a message with optional files."""

    message = forms.CharField(label=_("Pesan"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(
        label=_("Lampiran (opsional)"), required=False, help_text=ATTACHMENT_HELP
    )


class ConfirmForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Penilaian (opsional, 1 = buruk, 5 = sangat baik)"),
        choices=RATING_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar (opsional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Penilaian (1 = buruk, 5 = sangat baik)"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar (opsional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("Saya meminta dan menyetujui laporan ini dilimpahkan ke Ombudsman RI."),
    )


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Jenis"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    institution = forms.ChoiceField(label=_("Instansi"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        all_ = ("", _("Semua"))
        options: dict[str, list[Any]] = {
            "type": choices.report_types(),
            "status": choices.public_states(),
            "category": choices.category_tree(),
            "province": choices.provinces(),
            "institution": choices.institutions(),
        }
        province = self.data.get("province") if self.is_bound else None
        options["regency"] = (
            choices.regencies_of(str(province)) if province else choices.regencies_grouped()
        )
        for name, values in options.items():
            field: Any = self.fields[name]
            field.choices = [all_, *values]
        self.fields["province"].widget.attrs.update(
            {"hx-get": reverse("portal:regencies"), "hx-target": "#id_regency"}
        )

    def filters(self) -> dict[str, str]:
        """The valid filters given; an invalid one is ignored rather than an error."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
