"""Display values for the workbench's templates: stage clocks, event lines, labels.

Nothing here decides who may see what; it formats what lapor.reports.privacy lets through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from lapor.institutions.models import WIB, WIT, WITA, Institution
from lapor.reports import workflow
from lapor.reports.models import Channel, DeadlinePolicy, Report, ReportEvent
from lapor.reports.policy import stage_clock, zone_of
from lapor.reports.privacy import text_for_staff
from lapor.workdays.calendar import WorkCalendar

ZONE_LABELS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

STAGE_LABELS = {
    "verification": _("Verifikasi dan disposisi"),
    "clarification": _("Menunggu klarifikasi pelapor"),
    "completion": _("Penyelesaian"),
    "reporter_window": _("Masa tanggapan pelapor"),
}

COLOUR_LABELS = {
    "green": _("Tepat waktu"),
    "yellow": _("Mendekati tenggat"),
    "red": _("Lewat tenggat"),
}

ROLE_LABELS = {
    workflow.NATIONAL_ADMIN: _("Admin nasional"),
    workflow.INSTITUTION_ADMIN: _("Admin instansi"),
    workflow.UNIT_OFFICER: _("Petugas unit"),
    workflow.REPORTER: _("Pelapor"),
    workflow.INTAKE: _("Petugas (pencatatan luring)"),
    workflow.CHANNEL: _("Kanal"),
    workflow.SYSTEM: _("Sistem"),
}

ACTION_LABELS = {
    "submit": _("Laporan diterima"),
    "hold": _("Ditunda: pertanyaan untuk pelapor"),
    "clarify": _("Klarifikasi dari pelapor"),
    "expire_hold": _("Diarsipkan: tidak ada klarifikasi"),
    "archive": _("Diarsipkan"),
    "route": _("Diverifikasi dan didisposisikan"),
    "decline": _("Bukan wewenang"),
    "forward": _("Diteruskan ke unit"),
    "follow_up": _("Tindak lanjut"),
    "answer": _("Jawaban akhir"),
    "extend": _("Perpanjangan waktu"),
    "add_information": _("Tambahan informasi dari pelapor"),
    "reopen": _("Dibuka kembali oleh pelapor"),
    "confirm": _("Dikonfirmasi pelapor"),
    "close_after_window": _("Selesai: masa tanggapan berakhir"),
    "rate": _("Penilaian pelapor"),
    "consent_ombudsman": _("Pelapor menyetujui pelimpahan ke Ombudsman"),
    "escalate": _("Dilimpahkan ke Ombudsman"),
    "deadlines_recomputed": _("Tenggat dihitung ulang"),
    "reporter_erased": _("Data pribadi pelapor dihapus"),
}


@dataclass(frozen=True)
class ClockView:
    stage: str
    stage_label: str
    due_local: datetime
    zone_label: str
    colour: str
    colour_label: str
    elapsed_days: int
    limit_days: int


def clock_view(
    report: Report,
    policy: DeadlinePolicy,
    now: datetime,
    calendars: dict[str | None, WorkCalendar] | None = None,
) -> ClockView | None:
    """The report's current stage and its deadline in the clock's own time zone."""
    clock = stage_clock(report, policy, now, calendars=calendars)
    if clock is None:
        return None
    holder = (
        report.queue_institution
        if clock.stage in ("verification", "clarification")
        else report.responsible_institution
    )
    tz, _province = zone_of(holder)
    return ClockView(
        stage=clock.stage,
        stage_label=str(STAGE_LABELS.get(clock.stage, clock.stage)),
        due_local=wall_clock(clock.due_at, tz),
        zone_label=ZONE_LABELS.get(tz, tz),
        colour=clock.colour,
        colour_label=str(COLOUR_LABELS[clock.colour]),
        elapsed_days=clock.elapsed_days,
        limit_days=clock.limit_days,
    )


@dataclass(frozen=True)
class Row:
    report: Report
    clock: ClockView | None
    title: str


def rows(reports: Iterable[Report], policy: DeadlinePolicy, now: datetime) -> list[Row]:
    calendars: dict[str | None, WorkCalendar] = {}  # one calendar look-up per province
    return [
        Row(
            report, clock_view(report, policy, now, calendars), text_for_staff(report, report.title)
        )
        for report in reports
    ]


def wall_clock(moment: datetime, tz: str) -> datetime:
    """`moment` as the wall-clock time in zone `tz`, without tzinfo.

    Naive on purpose: Django's `date` filter converts an aware datetime back to the project's
    zone (WIB), which would print a WITA deadline an hour early next to the label "WITA".
    """
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def local_time(moment: datetime, institution: Institution | None) -> datetime:
    """`moment` as wall-clock time in the zone of `institution` (WIB for the national queue)."""
    return wall_clock(moment, zone_of(institution)[0])


def zone_label(institution: Institution | None) -> str:
    tz = zone_of(institution)[0]
    return ZONE_LABELS.get(tz, tz)


@dataclass(frozen=True)
class EventView:
    event: ReportEvent
    label: str
    actor: str
    role: str
    reason: str
    message: str
    details: list[tuple[str, str]]


def _event_details(event: ReportEvent) -> list[tuple[str, str]]:
    data: dict[str, Any] = event.data or {}
    details: list[tuple[str, str]] = []
    if institution := data.get("institution"):
        details.append((str(_("Instansi tujuan")), str(institution)))
    if "to_queue" in data:
        details.append((str(_("Kembali ke antrean")), str(data["to_queue"])))
    if duplicate := data.get("duplicate_of"):
        details.append((str(_("Duplikat dari")), str(duplicate)))
    if days := data.get("days"):
        details.append((str(_("Tambahan hari kerja")), str(days)))
    if channel := data.get("channel"):
        label = Channel(channel).label if channel in Channel.values else channel
        details.append((str(_("Kanal")), str(label)))
    return details


def event_views(
    report: Report, events: Iterable[ReportEvent], reporter_name: str
) -> list[EventView]:
    """Timeline lines; a reporter's own moves show the name the viewer may see, never more."""
    views = []
    for event in events:
        if event.actor_role == workflow.REPORTER:
            actor = reporter_name
        elif event.actor is not None:
            actor = event.actor.display_name()
        else:
            actor = str(ROLE_LABELS[workflow.SYSTEM])
        views.append(
            EventView(
                event=event,
                label=str(ACTION_LABELS.get(event.action, event.action)),
                actor=actor,
                role=str(ROLE_LABELS.get(event.actor_role, event.actor_role)),
                reason=text_for_staff(report, event.reason),
                message=text_for_staff(report, event.message),
                details=_event_details(event),
            )
        )
    return views


# The title of each move's form and the label of its button.
MOVE_LABELS = {
    "route": (_("Verifikasi dan disposisikan"), _("Disposisikan")),
    "hold": (_("Tunda: minta klarifikasi pelapor"), _("Tunda dan kirim pertanyaan")),
    "archive": (_("Arsipkan"), _("Arsipkan laporan")),
    "follow_up": (_("Tindak lanjut"), _("Simpan tindak lanjut")),
    "answer": (_("Jawaban akhir"), _("Kirim jawaban akhir")),
    "forward": (_("Teruskan ke unit"), _("Teruskan")),
    "extend": (_("Minta perpanjangan waktu"), _("Perpanjang tenggat")),
    "decline": (_("Bukan wewenang"), _("Kembalikan: bukan wewenang")),
    "escalate": (_("Limpahkan ke Ombudsman"), _("Limpahkan ke Ombudsman")),
}


@dataclass(frozen=True)
class MoveForm:
    name: str
    form: Any
    summary: str
    button: str
    url_name: str
    multipart: bool


def move_forms(forms: dict[str, Any]) -> list[MoveForm]:
    return [
        MoveForm(
            name=name,
            form=form,
            summary=str(MOVE_LABELS[name][0]),
            button=str(MOVE_LABELS[name][1]),
            url_name=f"workbench:{name}",
            multipart="attachments" in form.fields,
        )
        for name, form in forms.items()
    ]
