"""Reports: submit, list (filters and cursor pagination), detail and timeline."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, QueryEx, Router, Status

from lapor.api import cursors
from lapor.api.access import (
    REPORT_RELATIONS,
    Access,
    StaffLens,
    load_report,
    reachable_reports,
)
from lapor.api.auth import AUTH, Caller, caller_of
from lapor.api.errors import ApiError
from lapor.api.idempotency import HEADER, refills_secret
from lapor.api.presenters import events_out, report_out, summary_out
from lapor.api.ratelimit import check_submission_rate
from lapor.api.schemas import (
    EventOut,
    ReportCreated,
    ReportCreateIn,
    ReportOut,
    ReportPage,
    ReportTypeValue,
    StateValue,
)
from lapor.api.types import AwareDatetime, Id, Text200, Text4000
from lapor.institutions.models import Institution
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports.actors import SystemActor
from lapor.reports.errors import NotAllowed, ValidationError
from lapor.reports.models import Channel, Report
from lapor.reports.privacy import search_probes_personal_data
from lapor.reports.services import ReportInput, submit_report
from lapor.reports.services.intake import GATEWAY_CHANNELS

router = Router(tags=["reports"], auth=AUTH)

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


# --- submit ------------------------------------------------------------------------------------


def _submitter(caller: Caller, channel: str | None) -> tuple[Any, str]:
    """The actor the intake service sees, and the channel, for this caller.

    An integration submits as a channel gateway (a SystemActor named after its token) for
    citizens without an account, or types in offline complaints as its service account; a
    user token is a person (staff typing in offline complaints); a session is the web.
    """
    if channel is None:
        if caller.token is None:
            channel = Channel.WEB
        elif caller.is_integration:
            channel = Channel.API
        else:
            msg = _("Token pengguna harus menyebut kanalnya (letter, walk_in, phone, ...).")
            raise ValidationError(msg, fields={"channel": [msg]})
    if channel == Channel.WEB and caller.token is not None:
        raise NotAllowed(_("Kanal web hanya untuk halaman situs, bukan untuk token API."))
    if caller.is_integration and channel in GATEWAY_CHANNELS:
        assert caller.token is not None
        return SystemActor(name=f"api:{caller.token.prefix}"), channel
    return caller.user, channel


def _report_input(payload: ReportCreateIn, channel: str) -> ReportInput:
    return ReportInput(
        report_type=payload.report_type,
        title=payload.title,
        body=payload.body,
        incident_date=payload.incident_date,
        province_code=payload.province or "",
        regency_code=payload.regency or "",
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        category_id=payload.category,
        suggested_institution_id=payload.suggested_institution,
        channel=channel,
        is_anonymous=payload.is_anonymous,
        is_confidential=payload.is_confidential,
        contact_name=payload.contact_name,
        contact_email=payload.contact_email,
        contact_phone=payload.contact_phone,
        original_document=payload.original_document,
    )


def submission_key(caller: Caller, request: HttpRequest) -> str | None:
    """The service's own de-duplication key: the Idempotency-Key, scoped to the caller."""
    key = request.headers.get(HEADER)
    if not key:
        return None
    digest = hashlib.sha256(f"{caller.scope}\n{key}".encode("utf-8", "surrogateescape"))
    return f"api:{digest.hexdigest()}"


def _submit(request: HttpRequest, caller: Caller, payload: ReportCreateIn) -> Any:
    actor, channel = _submitter(caller, payload.channel)
    return submit_report(
        actor=actor,
        data=_report_input(payload, channel),
        submission_key=submission_key(caller, request),
    )


@router.post(
    "/reports",
    response={201: ReportCreated, 200: ReportCreated},
    summary="Kirim laporan",
)
def create_report(request: HttpRequest, payload: ReportCreateIn) -> Status[dict[str, Any]]:
    """Submit a report. 201 with its tracking number (and, for a reporter without an account,
    the guest secret, shown once). Resending with the same Idempotency-Key replays the first
    answer; after the key expired, the same key still finds the first report (200, created
    false). Rate limited per token and per address (429 with Retry-After)."""
    caller = caller_of(request)
    check_submission_rate(request, caller)
    submission = _submit(request, caller, payload)
    report = submission.report
    if not submission.created:
        # A replay found the first report bare; a new one carries the rows it was made with.
        report = Report.objects.select_related(*REPORT_RELATIONS).get(pk=report.pk)
    # The submitter sees its report as its reporter: through the secret it was just given,
    # or as the reporter's own account.
    access = Access(report, caller, submission.guest_secret or None)
    body = {
        "created": submission.created,
        "guest_secret": submission.guest_secret or None,
        # A report made just now from a JSON body has no attachment yet (they are uploaded
        # with a later move); a replay's report may have some by now.
        "report": report_out(access, files=[] if submission.created else None),
    }
    return Status(201 if submission.created else 200, body)


@refills_secret("create_report")
def _refill_guest_secret(
    request: HttpRequest, caller: Caller, body: dict[str, Any]
) -> dict[str, Any]:
    """A replay re-derives the guest secret from the submission key instead of storing it."""
    payload = ReportCreateIn.model_validate_json(request.body)
    body["guest_secret"] = _submit(request, caller, payload).guest_secret or None
    return body


# --- list --------------------------------------------------------------------------------------


def _search(q: str) -> Q:
    number = normalize_tracking_number(q)
    if number is not None:
        return Q(tracking_number=number)
    if search_probes_personal_data(q):
        # Matching the stored text would tell which report holds a phone number or an NIK
        # that every page shows masked.
        message = _("Pencarian tidak boleh berisi NIK, nomor telepon, atau alamat surel.")
        raise ApiError(400, "q_personal_data", message, {"q": [message]})
    return Q(title__icontains=q) | Q(body__icontains=q)


def _institution_filter(pk: int) -> Q:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None:
        message = _("Instansi tidak dikenal.")
        raise ApiError(400, "unknown_institution", message, {"institution": [message]})
    return Q(queue_institution__path__startswith=institution.path) | Q(
        responsible_institution__path__startswith=institution.path
    )


@router.get("/reports", response=ReportPage, summary="Daftar laporan")
def list_reports(
    request: HttpRequest,
    state: QueryEx[
        list[StateValue] | None, P(description="Boleh diulang: ?state=a&state=b")
    ] = None,
    report_type: QueryEx[ReportTypeValue | None, P(alias="type")] = None,
    institution: QueryEx[Id | None, P(description="Antrean atau pemilik di subpohon ini")] = None,
    updated_since: QueryEx[AwareDatetime | None, P(description="ISO 8601 dengan zona")] = None,
    q: QueryEx[Text200 | None, P(description="Kata dalam judul/isi, atau nomor pelacakan")] = None,
    limit: QueryEx[int, P(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: QueryEx[Text4000 | None, P(description="next_cursor dari halaman sebelumnya")] = None,
) -> dict[str, Any]:
    """Reports the caller may see, oldest change first: ordered by (updated_at, id), so a
    client syncs by following `next_cursor` until it is null, and later catches up with
    `updated_since`. A report changed while paging moves to the end (it is seen again, never
    skipped)."""
    caller = caller_of(request)
    filters: dict[str, Any] = {
        "state": sorted(set(state or [])),
        "type": report_type,
        "institution": institution,
        "updated_since": updated_since.isoformat() if updated_since else None,
        "q": (q or "").strip(),
    }
    qs = reachable_reports(caller)
    if filters["state"]:
        qs = qs.filter(state__in=filters["state"])
    if report_type:
        qs = qs.filter(report_type=report_type)
    if institution is not None:
        qs = qs.filter(_institution_filter(institution))
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    if filters["q"]:
        qs = qs.filter(_search(filters["q"]))
    if cursor:
        moment, pk = cursors.decode(cursor, filters)
        qs = qs.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    rows: list[Report] = list(
        qs.select_related("queue_institution", "responsible_institution").order_by(
            "updated_at", "pk"
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    lens = StaffLens(caller)
    next_cursor = cursors.encode(rows[-1].updated_at, rows[-1].pk, filters) if more else None
    return {
        "items": [summary_out(r, lens) for r in rows],
        "next_cursor": next_cursor,
        "limit": limit,
    }


# --- detail and timeline -------------------------------------------------------------------------


@router.get("/reports/{tracking}", response=ReportOut, summary="Rincian laporan")
def get_report(request: HttpRequest, tracking: str) -> dict[str, Any]:
    """One report as the caller may see it (`view` says how: staff, reporter or public).
    404 for a report out of the caller's reach; X-Report-Secret opens it as its reporter."""
    return report_out(load_report(request, caller_of(request), tracking))


@router.get("/reports/{tracking}/timeline", response=list[EventOut], summary="Riwayat laporan")
def get_timeline(request: HttpRequest, tracking: str) -> list[dict[str, Any]]:
    """The report's events in order: every event for its handlers, the public ones for its
    reporter and the public, each with the files the caller may download."""
    return events_out(load_report(request, caller_of(request), tracking))
