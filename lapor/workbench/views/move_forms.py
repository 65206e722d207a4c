"""Each move of the workbench: its form, how its input reaches the service, what it says after.

The table in lapor.reports.workflow decides which moves a page offers; the service decides
whether a posted move happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.privacy import visible_to
from lapor.workbench import queries
from lapor.workbench.forms import (
    AnswerForm,
    ArchiveForm,
    DeclineForm,
    EscalateForm,
    ExtendForm,
    FollowUpForm,
    ForwardForm,
    HoldForm,
    RouteForm,
    uploads_of,
)
from lapor.workbench.views.common import Desk

# Moves made on the verify-and-route screen, and those offered on the report page.
VERIFY_ACTIONS = ("route", "hold", "archive")
REPORT_PAGE_ACTIONS = ("follow_up", "answer", "forward", "extend", "decline", "escalate")


def labelled(institutions: Any) -> list[tuple[int, str]]:
    items = list(institutions)
    labels = queries.institution_labels(items)
    return [(inst.pk, labels[inst.pk]) for inst in items]


def route_choices(desk: Desk, search: str = "") -> list[tuple[int, str]]:
    targets = queries.route_targets(desk.memberships)
    return labelled(queries.search_institutions(targets, search))


def build_form(
    action: str,
    desk: Desk,
    report: Report,
    data: Any = None,
    files: Any = None,
    *,
    search: str = "",
) -> forms.Form:
    """The form of `action` for this report (bound when data is given), prefixed by its name."""
    kw: dict[str, Any] = {"prefix": action}
    if action == "route":
        kw["targets"] = route_choices(desk, search)
        kw["initial"] = {
            "report_type": report.report_type,
            "resolution_class": report.resolution_class or None,
            "category": report.category_id,
            "institution": report.suggested_institution_id,
        }
    elif action == "forward":
        kw["targets"] = labelled(queries.forward_targets(desk.memberships, report))
    elif action == "archive":
        kw["reports"] = visible_to(desk.user)
    form_class = FORMS[action]
    return form_class(data, files, **kw) if data is not None else form_class(**kw)


FORMS: dict[str, type[forms.Form]] = {
    "route": RouteForm,
    "hold": HoldForm,
    "archive": ArchiveForm,
    "decline": DeclineForm,
    "forward": ForwardForm,
    "follow_up": FollowUpForm,
    "answer": AnswerForm,
    "extend": ExtendForm,
    "escalate": EscalateForm,
}


@dataclass(frozen=True)
class Move:
    name: str
    success: Promise
    perform: Callable[[Desk, Report, Any], object]

    @property
    def page(self) -> str:
        return "route" if self.name in VERIFY_ACTIONS else "report"


def _route(desk: Desk, report: Report, d: Any) -> object:
    return services.route_report(
        actor=desk.user,
        report=report.pk,
        institution=d["institution"],
        report_type=d["report_type"],
        resolution_class=d["resolution_class"],
        category=d["category"],
        note=d["note"],
    )


def _archive(desk: Desk, report: Report, d: Any) -> object:
    return services.archive_report(
        actor=desk.user,
        report=report.pk,
        reason_code=d["reason_code"],
        note=d["note"],
        duplicate_of=d["duplicate_of"],
    )


def _follow_up(desk: Desk, report: Report, d: Any) -> object:
    return services.post_follow_up(
        actor=desk.user,
        report=report.pk,
        message=d["message"],
        is_public=d["visibility"] == "public",
        uploads=uploads_of(d["attachments"]),
    )


MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        Move("route", _("Laporan diverifikasi dan didisposisikan."), _route),
        Move(
            "hold",
            _("Laporan ditunda. Pertanyaan tampil bagi pelapor."),
            lambda desk, r, d: services.hold_report(
                actor=desk.user, report=r.pk, question=d["question"]
            ),
        ),
        Move("archive", _("Laporan diarsipkan."), _archive),
        Move(
            "decline",
            _("Laporan dikembalikan sebagai bukan wewenang."),
            lambda desk, r, d: services.decline_report(
                actor=desk.user, report=r.pk, reason=d["reason"]
            ),
        ),
        Move(
            "forward",
            _("Laporan diteruskan ke unit."),
            lambda desk, r, d: services.forward_report(
                actor=desk.user, report=r.pk, institution=d["institution"], note=d["note"]
            ),
        ),
        Move("follow_up", _("Tindak lanjut disimpan."), _follow_up),
        Move(
            "answer",
            _("Jawaban akhir disimpan. Pelapor dapat menerima atau menyanggahnya."),
            lambda desk, r, d: services.post_answer(
                actor=desk.user,
                report=r.pk,
                message=d["message"],
                uploads=uploads_of(d["attachments"]),
            ),
        ),
        Move(
            "extend",
            _("Tenggat penyelesaian diperpanjang."),
            lambda desk, r, d: services.extend_deadline(
                actor=desk.user, report=r.pk, days=d["days"], reason=d["reason"]
            ),
        ),
        Move(
            "escalate",
            _("Laporan dilimpahkan ke Ombudsman."),
            lambda desk, r, d: services.escalate_to_ombudsman(
                actor=desk.user, report=r.pk, note=d["note"]
            ),
        ),
    )
}
