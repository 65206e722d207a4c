"""Office Open XML (.docx, .xlsx, .pptx) and OpenDocument (.odt, .ods) files.

Both are zip archives. An upload is checked (entry count, total uncompressed size, paths,
encryption, macros) from the central directory before anything is decompressed, then rewritten
entry by entry into a new archive: fresh zip headers (no timestamps, comments, or extra fields
holding owner ids), document properties replaced by empty ones, author names in comments and
tracked changes blanked, and embedded pictures re-encoded without their EXIF/GPS data.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from . import errors, images
from .formats import FORMATS, FileFormat, sniff

MAX_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Decoding embedded pictures costs memory and CPU per pixel; one budget for the whole file
# stops a document made of hundreds of small but huge-dimension images.
MAX_TOTAL_PIXELS = 200_000_000
_SMALL_PART_BYTES = 1024 * 1024  # [Content_Types].xml and "mimetype" are tiny in real files
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip date: hides when the file was edited

_OOXML_MAIN_TYPES = {
    b"wordprocessingml.document.main+xml": "docx",
    b"spreadsheetml.sheet.main+xml": "xlsx",
    b"presentationml.presentation.main+xml": "pptx",
}
_ODF_MIMETYPES = {FORMATS[key].content_type.encode(): key for key in ("odt", "ods")}

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Empty but schema-valid property parts. Replacing rather than deleting keeps every
# relationship and [Content_Types].xml override pointing at an existing part.
_EMPTY_OOXML_PARTS = {
    "docProps/core.xml": _XML_DECL
    + b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
    "docProps/app.xml": _XML_DECL
    + b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>',
    "docProps/custom.xml": _XML_DECL
    + b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>',
}
_ODF_META_TEMPLATE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="%s"><office:meta/></office:document-meta>'
)
_ODF_VERSION_RE = re.compile(rb'office:version="([0-9.]{1,8})"')


def _blank_attributes(*names: str) -> Callable[[bytes], bytes]:
    # Values are bounded and stop at "<" (never legal inside an attribute), so a malformed
    # part with unclosed quotes cannot make the scan quadratic.
    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(
        rf"""(\s(?:{alternatives})\s*=\s*)(?:"[^"<]{{0,4096}}"|'[^'<]{{0,4096}}')""".encode()
    )
    return lambda content: pattern.sub(rb'\1""', content)


def _blank_elements(*names: str) -> Callable[[bytes], bytes]:
    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(rf"(<({alternatives})>)[^<]{{0,4096}}(</\2>)".encode())
    return lambda content: pattern.sub(rb"\1\3", content)


def _blank_odf_printer(content: bytes) -> bytes:
    # settings.xml stores the last printer's name and driver setup, often named after a person.
    pattern = rb'(config:name="(?:PrinterName|PrinterSetup)"[^>]{0,200}>)[^<]{0,1000000}(<)'
    return re.sub(pattern, rb"\1\2", content)


# (part name pattern, transformation) for XML parts that hold people's names or accounts.
_OOXML_SCRUBS: list[tuple[re.Pattern[str], Callable[[bytes], bytes]]] = [
    # Tracked changes and comments: <w:ins w:author="Budi" ...>, <w:comment w:initials="BS">.
    (re.compile(r"word/[^/]+\.xml"), _blank_attributes("w:author", "w:initials")),
    (re.compile(r"word/people\.xml"), _blank_attributes("w15:author", "w15:userId")),
    (re.compile(r"xl/comments[0-9]*\.xml"), _blank_elements("author")),
    (re.compile(r"xl/persons/[^/]+\.xml"), _blank_attributes("displayName", "userId")),
    # <fileSharing userName=...> and <x15ac:absPath url="C:\Users\budi\..."> name the owner.
    (re.compile(r"xl/workbook\.xml"), _blank_attributes("userName", "url")),
    (
        re.compile(r"ppt/(?:commentAuthors|authors)\.xml"),
        _blank_attributes("name", "initials", "userId"),
    ),
]
_ODF_SCRUBS: list[tuple[re.Pattern[str], Callable[[bytes], bytes]]] = [
    # Annotations and tracked changes carry <dc:creator>Budi Santoso</dc:creator>.
    (re.compile(r"(?:content|styles)\.xml"), _blank_elements("dc:creator")),
    (re.compile(r"settings\.xml"), _blank_odf_printer),
]


def open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise errors.corrupt() from exc
    _check_structure(archive.infolist())
    return archive


def _check_structure(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise errors.unsafe_archive(f"lebih dari {MAX_ENTRIES} bagian")
    if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
        raise errors.unsafe_archive("ukuran setelah diekstrak terlalu besar")
    seen: set[str] = set()
    for entry in entries:
        name = entry.filename
        parts = name.split("/")
        if (
            name.startswith("/")
            or "\\" in name
            or "\x00" in name
            or ".." in parts
            or re.match(r"[A-Za-z]:", name)
        ):
            raise errors.unsafe_archive("berisi jalur berkas yang tidak sah")
        if name in seen:
            raise errors.unsafe_archive("berisi nama bagian ganda")
        seen.add(name)
        if entry.flag_bits & 0x1:
            raise errors.unsafe_archive("berisi bagian terenkripsi")
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise errors.unsafe_archive("memakai metode kompresi yang tidak dikenal")


def read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    """Decompress one entry, never producing more than ``limit`` bytes."""
    try:
        with archive.open(entry) as stream:
            content = stream.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise errors.corrupt() from exc  # includes CRC mismatches and bad deflate streams
    if len(content) > limit:
        raise errors.unsafe_archive("ukuran setelah diekstrak terlalu besar")
    return content


def classify(archive: zipfile.ZipFile) -> FileFormat:
    """Decide which document type the archive is, from its own declarations."""
    names = {e.filename for e in archive.infolist()}
    if "mimetype" in names:
        mimetype = read_entry(archive, archive.getinfo("mimetype"), _SMALL_PART_BYTES).strip()
        key = _ODF_MIMETYPES.get(mimetype)
        if key is None:
            raise errors.unsupported_type("jenis dokumen OpenDocument ini")
        if any(n.startswith(("Basic/", "Scripts/")) for n in names):
            raise errors.unsupported_type("dokumen berisi makro")
        return FORMATS[key]
    if "[Content_Types].xml" in names:
        types = read_entry(archive, archive.getinfo("[Content_Types].xml"), _SMALL_PART_BYTES)
        if b"macroEnabled" in types or any(
            n.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for n in names
        ):
            raise errors.unsupported_type("dokumen berisi makro")
        for marker, key in _OOXML_MAIN_TYPES.items():
            if marker in types:
                return FORMATS[key]
    raise errors.unsupported_type("arsip zip")


def rewrite(archive: zipfile.ZipFile, file_format: FileFormat) -> bytes:
    """Write a new archive with the same parts, minus personal metadata (see module doc)."""
    is_odf = file_format.key in ("odt", "ods")
    entries = archive.infolist()
    if is_odf:  # ODF requires "mimetype" to be the first entry, stored uncompressed
        entries.sort(key=lambda e: e.filename != "mimetype")
    budget = _PixelBudget()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in entries:
            content = read_entry(archive, entry, MAX_UNCOMPRESSED_BYTES)
            if not entry.is_dir():
                content = _clean_part(entry.filename, content, is_odf=is_odf, budget=budget)
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            stored = is_odf and entry.filename == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            # Plain file or directory permissions only: drops symlink and executable bits.
            info.external_attr = (0o40755 << 16 | 0x10) if entry.is_dir() else 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


class _PixelBudget:
    def __init__(self) -> None:
        self.remaining = MAX_TOTAL_PIXELS

    def spend(self, pixels: int) -> None:
        self.remaining -= pixels
        if self.remaining < 0:
            raise errors.too_many_pixels(MAX_TOTAL_PIXELS)


def _clean_part(name: str, content: bytes, *, is_odf: bool, budget: _PixelBudget) -> bytes:
    if is_odf and name == "meta.xml":
        version = _ODF_VERSION_RE.search(content[:4096])
        return _ODF_META_TEMPLATE % (version.group(1) if version else b"1.2")
    if not is_odf and name in _EMPTY_OOXML_PARTS:
        return _EMPTY_OOXML_PARTS[name]
    key = sniff(content)
    if key in ("jpeg", "png", "gif", "webp"):
        budget.spend(images.image_pixels(content, key))
        return images.clean_image(content, key, apply_orientation=False)
    for pattern, scrub in _ODF_SCRUBS if is_odf else _OOXML_SCRUBS:
        if pattern.fullmatch(name):
            content = scrub(content)
    return content
