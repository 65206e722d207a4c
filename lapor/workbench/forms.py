"""Forms of the workbench. They parse input; the services decide what is allowed.

Field names match the names the services use in ValidationError.fields, so a service's message
lands on the right field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Category, Region
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports.models import (
    OFFLINE_CHANNELS,
    ArchiveReason,
    Channel,
    Report,
    ReportType,
    ResolutionClass,
    State,
)

Choices = list[tuple[Any, Any]]
EMPTY = ("", _("— pilih —"))


class Form(forms.Form):
    """Labels without a trailing colon (Pico puts them above their fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type=file multiple>`; a list, possibly empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [f for f in (single(item, initial) for item in items if item) if f]


def uploads_of(files: Iterable[UploadedFile]) -> list[tuple[str, bytes]]:
    """The services' upload format: (name, bytes)."""
    return [(f.name or "lampiran", f.read()) for f in files]


def institution_select(choices: Iterable[tuple[int, str]], *, blank: bool = True) -> forms.Select:
    options: Choices = [EMPTY] if blank else []
    return forms.Select(choices=options + list(choices))


def category_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.filter(is_active=True).select_related("parent__parent"),
        required=False,
        empty_label=_("— tanpa kategori —"),
    )


class TextArea(forms.Textarea):
    def __init__(self, rows: int = 4) -> None:
        super().__init__(attrs={"rows": rows})


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


# --- verification -----------------------------------------------------------------------


class RouteForm(Form):
    report_type = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportType.choices)
    resolution_class = forms.ChoiceField(
        label=_("Kelas penyelesaian"),
        choices=ResolutionClass.choices,
        widget=forms.RadioSelect,
        help_text=_("Pengaduan: 14 atau 60 hari kerja. Aspirasi dan permintaan informasi: 5."),
    )
    category = category_field()
    # Any id is accepted here: whether the actor may route there is the service's decision.
    institution = forms.IntegerField(label=_("Instansi tujuan"))
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, widget=TextArea(2))

    def __init__(self, *args: Any, targets: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["institution"].widget = institution_select(targets)


class HoldForm(Form):
    question = forms.CharField(
        label=_("Pertanyaan untuk pelapor"),
        widget=TextArea(3),
        help_text=_("Pelapor melihat pertanyaan ini. Laporan ditunda sampai pelapor menjawab."),
    )


ARCHIVE_CHOICES = [(c.value, c.label) for c in ArchiveReason if c != ArchiveReason.NO_CLARIFICATION]


class ArchiveForm(Form):
    reason_code = forms.ChoiceField(label=_("Alasan pengarsipan"), choices=ARCHIVE_CHOICES)
    duplicate_of = forms.CharField(
        label=_("Duplikat dari laporan nomor"),
        required=False,
        help_text=_("Isi nomor laporan asli bila alasannya duplikat, misalnya 26-ABCD-EFGH."),
    )
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, widget=TextArea(2))

    def __init__(self, *args: Any, reports: QuerySet[Report] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.reports = reports if reports is not None else Report.objects.none()

    def clean_duplicate_of(self) -> Report | None:
        text = (self.cleaned_data.get("duplicate_of") or "").strip()
        if not text:
            return None
        tracking = normalize_tracking_number(text)
        original = self.reports.filter(tracking_number=tracking).first() if tracking else None
        if original is None:
            raise forms.ValidationError(_("Laporan dengan nomor ini tidak ditemukan."))
        return original


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Alasan bukan wewenang"),
        widget=TextArea(3),
        help_text=_("Laporan kembali ke antrean verifikasi satu tingkat di atas."),
    )


# --- handling -----------------------------------------------------------------------------


class ForwardForm(Form):
    institution = forms.IntegerField(label=_("Unit tujuan"))
    note = forms.CharField(label=_("Catatan internal (opsional)"), required=False)

    def __init__(self, *args: Any, targets: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["institution"].widget = institution_select(targets)


VISIBILITY_CHOICES = [
    ("public", _("Publik: terlihat oleh pelapor")),
    ("internal", _("Catatan internal: hanya petugas")),
]


class FollowUpForm(Form):
    message = forms.CharField(label=_("Isi tindak lanjut"), widget=TextArea(5))
    visibility = forms.ChoiceField(
        label=_("Sifat"), choices=VISIBILITY_CHOICES, initial="public", widget=forms.RadioSelect
    )
    attachments = MultipleFileField(label=_("Lampiran (opsional)"))

    @property
    def is_public(self) -> bool:
        return self.cleaned_data["visibility"] == "public"


class AnswerForm(Form):
    message = forms.CharField(
        label=_("Isi jawaban akhir"),
        widget=TextArea(6),
        help_text=_("Pelapor dapat menerima atau menyanggah jawaban ini."),
    )
    attachments = MultipleFileField(label=_("Lampiran (opsional)"))


class ExtendForm(Form):
    days = forms.IntegerField(label=_("Tambahan hari kerja"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Alasan perpanjangan"), widget=TextArea(2))


class EscalateForm(Form):
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, widget=TextArea(2))


class RevealForm(Form):
    purpose = forms.CharField(
        label=_("Tujuan membuka identitas"),
        widget=TextArea(2),
        help_text=_("Wajib. Setiap akses dicatat beserta tujuannya."),
    )


# --- inbox --------------------------------------------------------------------------------

COLOUR_CHOICES = [
    ("", _("Semua")),
    ("green", _("Hijau: tepat waktu")),
    ("yellow", _("Kuning: mendekati tenggat")),
    ("red", _("Merah: lewat tenggat")),
]


class InboxFilterForm(Form):
    q = forms.CharField(label=_("Cari nomor atau judul"), required=False)
    state = forms.ChoiceField(label=_("Status"), required=False)
    report_type = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua")), *ReportType.choices]
    )
    resolution_class = forms.ChoiceField(
        label=_("Kelas"), required=False, choices=[("", _("Semua")), *ResolutionClass.choices]
    )
    colour = forms.ChoiceField(label=_("Tenggat"), required=False, choices=COLOUR_CHOICES)
    institution = forms.TypedChoiceField(label=_("Instansi"), required=False, coerce=int)

    def __init__(self, *args: Any, institutions: Sequence[tuple[int, str]] = (), **kw: Any):
        super().__init__(*args, **kw)
        _choice_field(self, "state").choices = [("", _("Semua")), *State.choices]
        field = self.fields["institution"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Semua")), *institutions]
        field.empty_value = None


# --- intake -------------------------------------------------------------------------------

OFFLINE_CHOICES = [(c.value, c.label) for c in Channel if c in OFFLINE_CHANNELS]


def region_choices() -> tuple[Choices, Choices]:
    """(provinces, regencies grouped by province), two queries."""
    regions = list(Region.objects.select_related("province").order_by("code"))
    provinces = [(r.code, r.name) for r in regions if r.level == Region.Level.PROVINCE]
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in regions:
        if region.province is not None:
            groups.setdefault(region.province.name, []).append((region.code, region.name))
    return [EMPTY, *provinces], [EMPTY, *groups.items()]


class IntakeForm(Form):
    channel = forms.ChoiceField(label=_("Kanal"), choices=OFFLINE_CHOICES, widget=forms.RadioSelect)
    original_document = forms.CharField(
        label=_("Dokumen asli"),
        required=False,
        max_length=255,
        help_text=_("Nomor dan tanggal surat, nomor buku tamu, dsb. Wajib untuk surat."),
    )
    report_type = forms.ChoiceField(label=_("Jenis laporan"), choices=ReportType.choices)
    title = forms.CharField(label=_("Judul"), max_length=200)
    body = forms.CharField(label=_("Isi laporan"), widget=TextArea(6))
    incident_date = forms.DateField(
        label=_("Tanggal kejadian (opsional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    category = category_field()
    suggested_institution = forms.TypedChoiceField(
        label=_("Instansi yang dituju (opsional)"), required=False, coerce=int, empty_value=None
    )
    contact_name = forms.CharField(label=_("Nama pelapor (opsional)"), required=False)
    contact_email = forms.CharField(
        label=_("Surel pelapor (opsional)"), required=False, widget=forms.EmailInput
    )
    contact_phone = forms.CharField(
        label=_("Telepon pelapor (opsional)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim: identitas pelapor disembunyikan dari instansi"), required=False
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: isi laporan tidak tampil untuk publik"), required=False
    )
    attachments = MultipleFileField(label=_("Lampiran (pindaian surat, foto)"))
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(
        self,
        *args: Any,
        institutions: Sequence[tuple[int, str]] = (),
        regions: tuple[Choices, Choices] = ([], []),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "province").choices = regions[0]
        _choice_field(self, "regency").choices = regions[1]
        field = self.fields["suggested_institution"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("— belum ditentukan (antrean nasional) —")), *institutions]
