"""The one error type raised for a rejected upload, with a stable code and an Indonesian message.

Pages show ``message``; the API returns ``code`` so that clients can react without parsing text.
"""

from __future__ import annotations

from typing import Literal

ErrorCode = Literal[
    "too_large",
    "empty",
    "unsupported_type",
    "extension_mismatch",
    "corrupt",
    "too_many_pixels",
    "unsafe_archive",
    "too_many_files",
]

ACCEPTED_TYPES_TEXT = (
    "gambar (JPEG, PNG, WebP, GIF), PDF, dokumen Office (.docx, .xlsx, .pptx) "
    "dan OpenDocument (.odt, .ods)"
)


class AttachmentError(Exception):
    """An upload that cannot be accepted. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message

    def __repr__(self) -> str:
        return f"AttachmentError({self.code!r}, {self.message!r})"


def format_megabytes(num_bytes: int) -> str:
    """10485760 -> "10 MB"; 5767168 -> "5,5 MB" (Indonesian decimal comma)."""
    megabytes = num_bytes / (1024 * 1024)
    if megabytes == int(megabytes):
        return f"{int(megabytes)} MB"
    return f"{megabytes:.1f}".replace(".", ",") + " MB"


def empty() -> AttachmentError:
    return AttachmentError("empty", "Berkas kosong (0 byte). Pilih berkas lain.")


def too_large(max_bytes: int) -> AttachmentError:
    return AttachmentError(
        "too_large", f"Ukuran berkas melebihi batas {format_megabytes(max_bytes)} per lampiran."
    )


def unsupported_type(reason: str = "") -> AttachmentError:
    prefix = "Jenis berkas tidak didukung"
    prefix = f"{prefix} ({reason})." if reason else f"{prefix}."
    return AttachmentError("unsupported_type", f"{prefix} Yang diterima: {ACCEPTED_TYPES_TEXT}.")


def extension_mismatch(extension: str, label: str, expected: str) -> AttachmentError:
    return AttachmentError(
        "extension_mismatch",
        f"Nama berkas berakhiran .{extension}, tetapi isinya {label}. "
        f"Ganti ekstensinya menjadi .{expected} atau unggah berkas yang benar.",
    )


def corrupt() -> AttachmentError:
    return AttachmentError(
        "corrupt", "Berkas rusak atau tidak lengkap sehingga tidak dapat dibaca."
    )


def too_many_pixels(limit_pixels: int) -> AttachmentError:
    return AttachmentError(
        "too_many_pixels",
        f"Resolusi gambar terlalu besar; batasnya {limit_pixels // 1_000_000} megapiksel. "
        "Perkecil gambar lalu unggah kembali.",
    )


def unsafe_archive(reason: str) -> AttachmentError:
    return AttachmentError(
        "unsafe_archive", f"Dokumen ditolak karena strukturnya tidak aman: {reason}."
    )


def too_many_files(max_files: int) -> AttachmentError:
    return AttachmentError(
        "too_many_files", f"Terlalu banyak lampiran; maksimal {max_files} berkas per laporan."
    )
