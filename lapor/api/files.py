"""Attachments: upload with a move (multipart), download under the visibility rule.

A file never arrives on its own: it belongs to the event of the move that brought it (the audit
trail says who added it, when and why). So an upload names its move: `follow_up` or `answer`
for the institution, `information`, `clarify` or `reopen` for the reporter; the matching
service receives the files through its `uploads=` argument, validates and sanitises them
(type from content, size and count limits, image metadata stripped) and writes the move's one
event, all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from lapor.api.access import Access, not_found, reachable_reports, secret_header
from lapor.api.actions import perform
from lapor.api.auth import AUTH, caller_of
from lapor.api.errors import ApiError
from lapor.api.schemas import MoveOut
from lapor.api.types import Id, RequiredText20000
from lapor.reports import services
from lapor.reports.models import Attachment, Report
from lapor.reports.permissions import guest_secret_matches
from lapor.reports.privacy import attachment_visible_to

router = Router(tags=["attachments"], auth=AUTH)

UploadMove = Literal["follow_up", "answer", "information", "clarify", "reopen"]

BINARY = {
    "responses": {
        "200": {
            "description": "Isi berkas",
            "content": {
                # The stored type of the file: an image, a PDF or an office document.
                "*/*": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


def _read(files: Sequence[UploadedFile]) -> list[tuple[str, bytes]]:
    # One byte over the limit is enough for the service to refuse an oversized file.
    limit = int(settings.LAPOR_MAX_ATTACHMENT_BYTES) + 1
    return [(f.name or "lampiran", f.read(limit)) for f in files]


def _mover(move: str, message: str, is_public: bool, uploads: list[tuple[str, bytes]]) -> Any:
    def run(a: Access) -> Report:
        if move == "follow_up":
            return services.post_follow_up(
                actor=a.caller.user,
                report=a.report.pk,
                message=message,
                is_public=is_public,
                uploads=uploads,
            )
        if move == "answer":
            return services.post_answer(
                actor=a.caller.user, report=a.report.pk, message=message, uploads=uploads
            )
        service = {
            "information": services.add_information,
            "clarify": services.clarify_report,
            "reopen": services.reopen_report,
        }[move]
        return service(actor=a.reporter_actor, report=a.report.pk, message=message, uploads=uploads)

    return run


@router.post(
    "/reports/{tracking}/attachments",
    response={201: MoveOut},
    summary="Unggah lampiran bersama sebuah langkah",
)
def upload_attachments(
    request: HttpRequest,
    tracking: str,
    move: Form[UploadMove],
    message: Form[RequiredText20000],
    files: File[list[UploadedFile]],
    is_public: Form[bool] = True,
) -> Status[dict[str, Any]]:
    """Make a move that carries files (multipart/form-data): `move` is follow_up or answer
    (handler) or information, clarify or reopen (reporter); `message` its text; `files` one or
    more files (JPEG, PNG, WebP, GIF, PDF, Office/OpenDocument); `is_public` only for
    follow_up. 201 with the move's event and its files."""
    if not files:
        message_text = _("Lampirkan minimal satu berkas.")
        raise ApiError(400, "no_files", message_text, {"files": [message_text]})
    return Status(201, perform(request, tracking, _mover(move, message, is_public, _read(files))))


@router.get(
    "/attachments/{attachment_id}",
    url_name="download_attachment",
    summary="Unduh lampiran",
    openapi_extra=BINARY,
)
def download_attachment(request: HttpRequest, attachment_id: Id) -> FileResponse:
    """The file, for whoever may see it: the report's handlers, its reporter (own files and
    the institution's public ones) or, on a public report, the institution's public files.
    404 for everyone else (no hint that it exists)."""
    caller = caller_of(request)
    item = (
        Attachment.objects.select_related(
            "report__queue_institution", "report__responsible_institution"
        )
        .filter(pk=attachment_id)
        .first()
    )
    if item is None:
        raise not_found()
    secret = secret_header(request)
    is_reporter = bool(secret) and guest_secret_matches(item.report, secret)
    reachable = is_reporter or reachable_reports(caller).filter(pk=item.report_id).exists()
    if not reachable or not attachment_visible_to(item, caller.user, is_reporter=is_reporter):
        raise not_found()
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise not_found() from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response
