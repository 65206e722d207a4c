"""Display names of indicators and breakdown values (Indonesian through gettext)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import Category
from lapor.reports.models import Channel, ReportType, ResolutionClass, State

INDICATOR_LABELS: dict[str, Any] = {
    "received": _("Diterima"),
    "verified": _("Terverifikasi"),
    "routed": _("Didisposisikan"),
    "followed_up": _("Ditindaklanjuti"),
    "not_followed_up": _("Belum ditindaklanjuti"),
    "first_response_on_time": _("Respons pertama tepat waktu"),
    "answered": _("Dijawab"),
    "finished": _("Selesai"),
    "finished_on_time": _("Selesai tepat waktu"),
    "finished_late": _("Selesai terlambat"),
    "reopened": _("Dibuka kembali"),
    "escalated": _("Dilimpahkan ke Ombudsman"),
    "archived": _("Diarsipkan"),
    "rated": _("Dinilai pelapor"),
    "bounced": _("Langkah 'bukan wewenang'"),
    "timed_first_response": _("Laporan dengan lama respons pertama (dasar median dan P90)"),
    "timed_completion": _("Laporan dengan lama penyelesaian (dasar median dan P90)"),
    "overdue": _("Melewati tenggat saat ini"),
}
DIMENSION_LABELS: dict[str, Any] = {
    "channel": _("Kanal"),
    "type": _("Jenis laporan"),
    "class": _("Kelas penyelesaian"),
    "category": _("Kategori"),
    "state": _("Status"),
}
_CLASS_SHORT = {
    ResolutionClass.SHORT: _("5 HK"),
    ResolutionClass.STANDARD: _("14 HK"),
    ResolutionClass.INVESTIGATION: _("60 HK"),
}


def value_labels(dimension: str, values: list[str]) -> dict[str, str]:
    """Readable names for breakdown values (one query for categories)."""
    if dimension == "channel":
        known: dict[str, Any] = dict(Channel.choices)
    elif dimension == "type":
        known = dict(ReportType.choices)
    elif dimension == "class":
        known = {str(k): v for k, v in _CLASS_SHORT.items()}
    elif dimension == "state":
        known = dict(State.choices)
    else:
        ids = [int(v) for v in values if v.isdigit()]
        known = {
            str(pk): name
            for pk, name in Category.objects.filter(pk__in=ids).values_list("pk", "name")
        }
    labels = {v: str(known.get(v, v)) for v in values}
    if "" in labels:
        labels[""] = str(_("(belum ditentukan)"))
    return labels
