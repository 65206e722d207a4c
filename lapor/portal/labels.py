"""Indonesian labels for what the domain stores as codes: event actions, roles, stages."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import TIMEZONE_CHOICES
from lapor.reports import workflow

EVENT_LABELS: dict[str, Promise] = {
    "submit": _("Laporan diterima"),
    "hold": _("Pelapor diminta memberi klarifikasi"),
    "clarify": _("Pelapor memberi klarifikasi"),
    "archive": _("Laporan diarsipkan"),
    "expire_hold": _("Diarsipkan: tidak ada klarifikasi"),
    "route": _("Diverifikasi dan didisposisikan"),
    "decline": _("Dikembalikan: bukan wewenang instansi"),
    "forward": _("Diteruskan ke unit kerja"),
    "follow_up": _("Tindak lanjut"),
    "answer": _("Jawaban akhir"),
    "extend": _("Batas waktu diperpanjang"),
    "add_information": _("Pelapor menambahkan informasi"),
    "reopen": _("Pelapor mengajukan keberatan"),
    "confirm": _("Pelapor mengonfirmasi penyelesaian"),
    "close_after_window": _("Selesai: masa tanggapan pelapor berakhir"),
    "rate": _("Pelapor memberi penilaian"),
    "consent_ombudsman": _("Pelapor meminta pelimpahan ke Ombudsman"),
    "escalate": _("Dilimpahkan ke Ombudsman"),
    "reporter_erased": _("Data pribadi pelapor dihapus"),
    "deadlines_recomputed": _("Batas waktu dihitung ulang"),
}

ROLE_LABELS: dict[str, Promise] = {
    workflow.REPORTER: _("Pelapor"),
    workflow.INTAKE: _("Petugas penerima pengaduan"),
    workflow.CHANNEL: _("Kanal pengaduan"),
    workflow.SYSTEM: _("Sistem"),
    workflow.NATIONAL_ADMIN: _("Admin nasional"),
    workflow.INSTITUTION_ADMIN: _("Admin instansi"),
    workflow.UNIT_OFFICER: _("Petugas unit"),
}

STAGE_LABELS: dict[str, Promise] = {
    "verification": _("Verifikasi dan disposisi"),
    "clarification": _("Menunggu klarifikasi dari pelapor"),
    "completion": _("Penyelesaian oleh instansi"),
    "reporter_window": _("Menunggu tanggapan pelapor atas jawaban"),
}

ZONE_LABELS = {zone: label.split(" ")[0] for zone, label in TIMEZONE_CHOICES}


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action


def role_label(role: str) -> str:
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else ""
