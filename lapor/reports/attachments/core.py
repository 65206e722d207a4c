"""The entry points: validate one upload, or a whole set against the configured limits."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from . import archives, errors, images, pdf
from .formats import FORMATS, FileFormat, Kind, safe_filename, sniff


@dataclass(frozen=True)
class CleanFile:
    """An accepted attachment, already sanitised: ``data`` is what must be stored."""

    name: str
    content_type: str
    data: bytes
    size: int
    sha256: str
    kind: Kind


def clean_upload(name: str, data: bytes, *, max_bytes: int) -> CleanFile:
    """Validate and sanitise one uploaded file; raise AttachmentError if it is refused.

    The type comes from the content, the name's extension must agree with it, and the returned
    bytes are a rewritten copy without personal metadata (see the package documentation).
    Pure: no I/O, no settings.
    """
    if not data:
        raise errors.empty()
    if len(data) > max_bytes:
        raise errors.too_large(max_bytes)
    key = sniff(data)
    if key is None:
        raise errors.unsupported_type()
    if key == "zip":
        with archives.open_archive(data) as archive:
            file_format = archives.classify(archive)
            safe_name = safe_filename(name, file_format)
            cleaned = archives.rewrite(archive, file_format)
        return _clean_file(safe_name, file_format, cleaned)
    file_format = FORMATS[key]
    safe_name = safe_filename(name, file_format)
    cleaned = images.clean_image(data, key) if file_format.kind == "image" else pdf.clean_pdf(data)
    return _clean_file(safe_name, file_format, cleaned)


def check_attachment_count(count: int, *, max_files: int) -> None:
    """Raise too_many_files when a report would carry more than ``max_files`` attachments."""
    if count > max_files:
        raise errors.too_many_files(max_files)


def clean_uploads(
    files: Iterable[tuple[str, bytes]],
    *,
    max_bytes: int | None = None,
    max_files: int | None = None,
) -> list[CleanFile]:
    """Clean every (name, data) pair; limits default to LAPOR_MAX_ATTACHMENT_BYTES and
    LAPOR_MAX_ATTACHMENTS. The count is checked before any file is decoded."""
    from django.conf import settings  # only here, so the rest of the package stays pure

    if max_bytes is None:
        max_bytes = int(settings.LAPOR_MAX_ATTACHMENT_BYTES)
    if max_files is None:
        max_files = int(settings.LAPOR_MAX_ATTACHMENTS)
    pending = list(files)
    check_attachment_count(len(pending), max_files=max_files)
    return [clean_upload(name, data, max_bytes=max_bytes) for name, data in pending]


def _clean_file(name: str, file_format: FileFormat, data: bytes) -> CleanFile:
    return CleanFile(
        name=name,
        content_type=file_format.content_type,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=file_format.kind,
    )
