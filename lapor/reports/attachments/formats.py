"""Which file formats are accepted, how each is recognised, and safe file names.

The type is decided by the content (magic bytes, and for zip-based documents their inner
structure), never by the client's content type or the file name. The name only has to agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from . import errors

Kind = Literal["image", "pdf", "document"]


@dataclass(frozen=True, slots=True)
class FileFormat:
    key: str
    kind: Kind
    content_type: str
    extensions: tuple[str, ...]  # lower-case, without dot; the first is the canonical one
    label: str  # Indonesian, used in messages ("gambar PNG")


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

FORMATS: dict[str, FileFormat] = {
    f.key: f
    for f in (
        FileFormat("jpeg", "image", "image/jpeg", ("jpg", "jpeg", "jfif"), "gambar JPEG"),
        FileFormat("png", "image", "image/png", ("png",), "gambar PNG"),
        FileFormat("webp", "image", "image/webp", ("webp",), "gambar WebP"),
        FileFormat("gif", "image", "image/gif", ("gif",), "gambar GIF"),
        FileFormat("pdf", "pdf", "application/pdf", ("pdf",), "dokumen PDF"),
        FileFormat(
            "docx", "document", f"{_OOXML}.wordprocessingml.document", ("docx",), "dokumen Word"
        ),
        FileFormat("xlsx", "document", f"{_OOXML}.spreadsheetml.sheet", ("xlsx",), "dokumen Excel"),
        FileFormat(
            "pptx",
            "document",
            f"{_OOXML}.presentationml.presentation",
            ("pptx",),
            "dokumen PowerPoint",
        ),
        FileFormat("odt", "document", f"{_ODF}.text", ("odt",), "dokumen OpenDocument Text"),
        FileFormat(
            "ods", "document", f"{_ODF}.spreadsheet", ("ods",), "dokumen OpenDocument Spreadsheet"
        ),
    )
}

ZIP_MAGIC = b"PK\x03\x04"


def sniff(data: bytes) -> str | None:
    """Return a FORMATS key, "zip" for any zip archive (inspected later), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    # The PDF header must be at offset 0: readers tolerate junk before it, which is exactly
    # what polyglot files (HTML or a script that is also a "PDF") rely on.
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    return None


MAX_NAME_LENGTH = 120
_FALLBACK_STEM = "lampiran"
_EXTENSION_RE = re.compile(r"[A-Za-z0-9]{1,10}")
# Characters that are path or shell syntax on some system that might one day hold the file.
_RESERVED_RE = re.compile(r'[<>:"|?*]')


def safe_filename(raw_name: str, file_format: FileFormat) -> str:
    """A display/storage name: basename only, no control or bidi characters, at most 120
    characters, lower-case extension that agrees with the content (added when missing).

    Raises extension_mismatch when the name's extension belongs to another type.
    """
    base = re.split(r"[/\\]", raw_name)[-1]
    # Category C covers control characters and also format characters such as U+202E (right-
    # to-left override), which can make "gpj.exe" display as "exe.jpg".
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    )
    base = " ".join(_RESERVED_RE.sub("_", base).split()).strip(" .")
    stem, _, extension = base.rpartition(".")
    if not stem or not _EXTENSION_RE.fullmatch(extension):
        stem, extension = base, ""
    extension = extension.lower()
    if not extension:
        extension = file_format.extensions[0]
    elif extension not in file_format.extensions:
        raise errors.extension_mismatch(extension, file_format.label, file_format.extensions[0])
    stem = stem.strip(" .") or _FALLBACK_STEM
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") or _FALLBACK_STEM
    return f"{stem}.{extension}"
