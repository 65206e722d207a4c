"""Following a report: the track form, the reporter's page, "my reports", and the actions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lapor.portal import guest
from lapor.portal.forms import TrackForm, read_uploads
from lapor.portal.views.common import apply_domain_error, report_or_404
from lapor.portal.views.report_page import ACTIONS_BY_SLUG, render_report_page
from lapor.reports import services
from lapor.reports.actors import Actor
from lapor.reports.errors import DomainError, NotFound
from lapor.reports.models import Report
from lapor.reports.permissions import guest_secret_matches

NOT_FOUND = gettext_lazy("Laporan tidak ditemukan, atau kunci rahasianya tidak cocok.")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track.html", {"form": form}, status=400)
    number, secret = form.cleaned_data["tracking_number"], form.cleaned_data["secret"].strip()
    report = Report.objects.filter(tracking_number=number).first()
    if report is None or not guest_secret_matches(report, secret):
        # One answer for both: no hint whether the number or the secret was wrong.
        form.add_error(None, str(NOT_FOUND))
        return render(request, "portal/track.html", {"form": form}, status=404)
    guest.remember(request, report, secret)
    return redirect("portal:report_private", tracking=report.tracking_number)


@never_cache
@require_safe
def report_private(request: HttpRequest, tracking: str) -> HttpResponse:
    report = report_or_404(tracking)
    if secret := request.GET.get("kunci"):
        if not guest_secret_matches(report, secret.strip()):
            raise Http404("wrong secret")
        guest.remember(request, report, secret.strip())
        # Drop the secret from the address bar (and from later referrers and logs).
        return redirect("portal:report_private", tracking=report.tracking_number)
    actor = guest.reporter_actor(request, report)
    if actor is None:
        raise Http404("not this browser's report")
    return render_report_page(request, report, actor)


@login_required
@require_safe
def my_reports(request: HttpRequest) -> HttpResponse:
    reports = (
        Report.objects.filter(reporter=request.user)  # type: ignore[misc]
        .select_related("responsible_institution")
        .order_by("-submitted_at")
    )
    return render(request, "portal/my_reports.html", {"reports": reports})


@never_cache
@require_POST
def report_action(request: HttpRequest, tracking: str, action: str) -> HttpResponse:
    spec = ACTIONS_BY_SLUG.get(action)
    report = report_or_404(tracking)
    actor = guest.reporter_actor(request, report)
    if spec is None or actor is None:
        raise Http404("no such action for this browser")
    form = spec.form_class(request.POST, request.FILES, prefix=spec.slug)
    if not form.is_valid():
        return render_report_page(request, report, actor, bound=(spec.slug, form), status=400)
    try:
        _perform(spec.action, actor, report, form.cleaned_data)
    except NotFound:
        raise Http404("report vanished") from None
    except DomainError as error:
        apply_domain_error(form, error)
        report = report_or_404(tracking)
        return render_report_page(
            request, report, actor, bound=(spec.slug, form), status=error.status
        )
    messages.success(request, _("Terima kasih, tanggapan Anda telah disimpan."))
    return redirect("portal:report_private", tracking=report.tracking_number)


def _perform(action: str, actor: Actor, report: Report, data: dict[str, Any]) -> None:
    """Call the service of the reporter's action with the form's cleaned data."""
    if action in ("clarify", "add_information", "reopen"):
        service = {
            "clarify": services.clarify_report,
            "add_information": services.add_information,
            "reopen": services.reopen_report,
        }[action]
        uploads = read_uploads(data.get("attachments") or [], settings.LAPOR_MAX_ATTACHMENT_BYTES)
        service(actor=actor, report=report.pk, message=data["message"], uploads=uploads)
    elif action == "confirm":
        rating = int(data["rating"]) if data.get("rating") else None
        services.confirm_report(
            actor=actor, report=report.pk, rating=rating, comment=data.get("comment", "")
        )
    elif action == "rate":
        services.rate_report(
            actor=actor, report=report.pk, rating=int(data["rating"]), comment=data["comment"]
        )
    elif action == "consent_ombudsman":
        services.consent_to_ombudsman(actor=actor, report=report.pk)
    else:  # pragma: no cover - ACTIONS and this dispatch are kept together
        raise ValueError(action)
