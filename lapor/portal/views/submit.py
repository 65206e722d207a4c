"""Submitting a report, the result page, and the regency list that follows the province."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from lapor.portal import choices, guest, tokens
from lapor.portal.choices import TYPE_HELP
from lapor.portal.forms import SubmitReportForm, read_uploads
from lapor.portal.views.common import apply_domain_error, report_or_404
from lapor.reports import services
from lapor.reports.errors import DomainError


def _render(request: HttpRequest, form: SubmitReportForm, token: str, status: int) -> HttpResponse:
    return render(
        request,
        "portal/submit.html",
        {"form": form, "token": token, "type_help": TYPE_HELP},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    is_guest = not request.user.is_authenticated
    if request.method != "POST":
        return _render(request, SubmitReportForm(guest=is_guest), tokens.issue(), 200)

    form = SubmitReportForm(request.POST, request.FILES, guest=is_guest)
    token = request.POST.get("token", "")
    key = tokens.submission_key(token)
    status = 400
    if key is None:
        # Forged, missing or too old: a fresh token, and the typed data is kept.
        token = tokens.issue()
        form.is_valid()
        form.add_error(
            None, _("Formulir ini sudah kedaluwarsa. Periksa isian Anda lalu kirim kembali.")
        )
    elif form.is_valid():
        uploads = read_uploads(
            form.cleaned_data.get("attachments") or [], settings.LAPOR_MAX_ATTACHMENT_BYTES
        )
        try:
            result = services.submit_report(
                actor=None if is_guest else request.user,  # type: ignore[arg-type]
                data=form.to_input(),
                uploads=uploads,
                submission_key=key,
            )
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status
        else:
            if result.guest_secret:
                guest.remember(request, result.report, result.guest_secret)
            # Post/Redirect/Get: the secret travels in the session, not in a URL.
            return redirect("portal:submitted", tracking=result.report.tracking_number)
    if request.FILES:
        form.add_error(None, _("Lampiran tidak ikut tersimpan: pilih ulang berkas Anda."))
    return _render(request, form, token, status)


@never_cache
@require_safe
def submitted(request: HttpRequest, tracking: str) -> HttpResponse:
    report = report_or_404(tracking)
    actor = guest.reporter_actor(request, report)
    if actor is None:
        raise Http404("not this browser's report")
    secret = guest.remembered_secret(request, report) if report.reporter_id is None else None
    private_link = None
    if secret:
        path = reverse("portal:report_private", kwargs={"tracking": report.tracking_number})
        private_link = request.build_absolute_uri(f"{path}?kunci={secret}")
    return render(
        request,
        "portal/submitted.html",
        {"report": report, "private_link": private_link, "secret": secret},
    )


@require_safe
def regencies(request: HttpRequest) -> HttpResponse:
    """<option>s of the province's regencies and cities (htmx swaps them into the form)."""
    province = request.GET.get("province", "")
    grouped = None if province else choices.regencies_grouped()
    options = choices.regencies_of(province) if province else []
    return render(request, "portal/_regency_options.html", {"options": options, "grouped": grouped})
