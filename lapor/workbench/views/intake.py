"""Manual intake of offline complaints (letter, walk-in, phone, suggestion box) and the receipt."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lapor.institutions.models import Institution
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports import services
from lapor.reports.errors import ValidationError
from lapor.reports.models import Report
from lapor.reports.permissions import can_take_intake
from lapor.reports.policy import current_policy
from lapor.reports.privacy import is_staff_viewer
from lapor.workbench import queries
from lapor.workbench.forms import IntakeForm, region_choices, uploads_of
from lapor.workbench.views.common import Desk, Refused, apply_service_errors, staff_view
from lapor.workbench.views.move_forms import labelled

# Receipts this session took in: tracking number -> the private-link secret, shown on paper.
SESSION_KEY = "workbench_intake_receipts"
KEEP_RECEIPTS = 20


def _form(desk: Desk, data: Any = None, files: Any = None) -> IntakeForm:
    institutions = labelled(
        Institution.objects.active().exclude(kind=Institution.Kind.NATIONAL).order_by("path")
    )
    own = next((i for i in queries.handling_institutions(desk.memberships) if i.depth), None)
    home = own.top_level() if own is not None else None
    initial = {
        "channel": "letter",
        "suggested_institution": home.pk if home else None,
        "submission_key": secrets.token_urlsafe(24),
    }
    return IntakeForm(
        data, files, institutions=institutions, regions=region_choices(), initial=initial
    )


def _input(d: dict[str, Any]) -> services.ReportInput:
    return services.ReportInput(
        report_type=d["report_type"],
        title=d["title"],
        body=d["body"],
        incident_date=d["incident_date"],
        province_code=d["province"] or "",
        regency_code=d["regency"] or "",
        category_id=d["category"].pk if d["category"] else None,
        suggested_institution_id=d["suggested_institution"],
        channel=d["channel"],
        is_anonymous=d["is_anonymous"],
        is_confidential=d["is_confidential"],
        contact_name=d["contact_name"],
        contact_email=d["contact_email"],
        contact_phone=d["contact_phone"],
        original_document=d["original_document"],
    )


@require_http_methods(["GET", "POST"])
@staff_view
def intake(request: HttpRequest, desk: Desk) -> HttpResponse:
    if not can_take_intake(desk.user):
        raise Refused(403, _("Hanya petugas pengelola yang dapat mencatat pengaduan luring."))
    if request.method != "POST":
        return render(request, "workbench/intake.html", {"desk": desk, "form": _form(desk)})
    form = _form(desk, request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        key = f"intake:{desk.user.pk}:{d['submission_key']}" if d["submission_key"] else None
        try:
            result = services.submit_report(
                actor=desk.user,
                data=_input(d),
                uploads=uploads_of(d["attachments"]),
                submission_key=key,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _remember(request, result.report.tracking_number, result.guest_secret)
            return redirect("workbench:intake_done", tracking=result.report.tracking_number)
    context = {"desk": desk, "form": form}
    return render(request, "workbench/intake.html", context, status=400)


def _remember(request: HttpRequest, tracking: str, secret: str) -> None:
    receipts = dict(request.session.get(SESSION_KEY, {}))
    receipts.pop(tracking, None)
    receipts[tracking] = secret
    request.session[SESSION_KEY] = dict(list(receipts.items())[-KEEP_RECEIPTS:])


def _receipt_report(request: HttpRequest, desk: Desk, tracking: str) -> tuple[Report, str | None]:
    """The report of a receipt: one this session took in, or one the viewer sees as staff."""
    number = normalize_tracking_number(tracking)
    report = (
        Report.objects.select_related("intake_by").filter(tracking_number=number).first()
        if number
        else None
    )
    receipts = request.session.get(SESSION_KEY, {})
    if report is None:
        raise Refused(404)
    took_in = report.tracking_number in receipts and report.intake_by_id == desk.user.pk
    if not took_in and not is_staff_viewer(desk.user, report):
        raise Refused(404)
    return report, receipts.get(report.tracking_number) if took_in else None


def _portal_links(request: HttpRequest, report: Report, secret: str | None) -> dict[str, str]:
    """Where the reporter follows the report: the track page, and the private link."""
    try:
        track = reverse("portal:track")
        private = reverse("portal:report_private", args=[report.tracking_number])
    except NoReverseMatch:
        return {"track_url": request.build_absolute_uri("/"), "private_url": ""}
    return {
        "track_url": request.build_absolute_uri(track),
        "private_url": request.build_absolute_uri(f"{private}?{urlencode({'kunci': secret})}")
        if secret
        else "",
    }


@require_GET
@staff_view
def intake_done(request: HttpRequest, desk: Desk, tracking: str) -> HttpResponse:
    report, secret = _receipt_report(request, desk, tracking)
    context = {"desk": desk, "report": report, "secret": secret}
    return render(request, "workbench/intake_done.html", context)


@require_GET
@staff_view
def receipt(request: HttpRequest, desk: Desk, tracking: str) -> HttpResponse:
    report, secret = _receipt_report(request, desk, tracking)
    context = {
        "desk": desk,
        "report": report,
        "secret": secret,
        **_portal_links(request, report, secret),
        "verification_days": current_policy().verification_days,
    }
    response = render(request, "workbench/receipt.html", context)
    if secret:
        response["Cache-Control"] = "no-store"
    return response
