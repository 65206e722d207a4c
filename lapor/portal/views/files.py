"""Downloading an attachment, for whoever privacy.attachments_visible_to lets see it."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from lapor.portal import guest
from lapor.reports.models import Attachment
from lapor.reports.privacy import attachment_visible_to, is_public_report


@require_safe
def attachment(request: HttpRequest, pk: int, name: str) -> FileResponse:
    """Stream the file; 404 for anyone who may not see it (no hint that it exists)."""
    item = (
        Attachment.objects.select_related(
            "report__queue_institution", "report__responsible_institution"
        )
        .filter(pk=pk, name=name)
        .first()
    )
    if item is None:
        raise Http404("no such attachment")
    report = item.report
    is_reporter = guest.remembered_secret(request, report) is not None
    if not attachment_visible_to(item, request.user, is_reporter=is_reporter):
        raise Http404("no such attachment")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("file missing from storage") from None
    inline = item.kind == "image"
    response = FileResponse(
        handle, as_attachment=not inline, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A file opened in the browser must not run anything or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if is_public_report(report) and not is_reporter and request.user.is_anonymous:
        patch_cache_control(response, private=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    return response
