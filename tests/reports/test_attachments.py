"""Upload validation and metadata stripping, on real files built in the tests."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from lapor.reports.attachments import (
    AttachmentError,
    CleanFile,
    archives,
    check_attachment_count,
    clean_upload,
    clean_uploads,
)

MB = 1024 * 1024
LIMIT = 10 * MB
PERSON = "Budi Santoso"


def clean(name: str, data: bytes, max_bytes: int = LIMIT) -> CleanFile:
    return clean_upload(name, data, max_bytes=max_bytes)


def refused(name: str, data: bytes, max_bytes: int = LIMIT) -> AttachmentError:
    with pytest.raises(AttachmentError) as caught:
        clean_upload(name, data, max_bytes=max_bytes)
    assert caught.value.message == str(caught.value)
    return caught.value


# --- builders ---------------------------------------------------------------------------


def two_colour_image(size: tuple[int, int] = (40, 20), mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue: orientation changes are visible in the pixels."""
    image = Image.new(mode, size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    return image


def exif_with_gps(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "Galaxy A54"
    exif[ExifTags.Base.Artist] = PERSON
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (0.0, 30.0, 7.58),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (117.0, 9.0, 13.35),
    }
    return exif


def jpeg_with_metadata(orientation: int = 6) -> bytes:
    out = io.BytesIO()
    two_colour_image().save(
        out,
        "JPEG",
        quality=95,
        exif=exif_with_gps(orientation).tobytes(),
        comment=f"diambil oleh {PERSON}".encode(),
        icc_profile=f"fake-icc-{PERSON}".encode(),
        xmp=f"<x:xmpmeta><dc:creator>{PERSON}</dc:creator></x:xmpmeta>".encode(),
    )
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", PERSON)
    info.add_text("Comment", f"rumah {PERSON}", zip=True)
    info.add_itxt("Description", f"oleh {PERSON}")
    out = io.BytesIO()
    two_colour_image(mode="RGBA").save(
        out, "PNG", pnginfo=info, exif=exif_with_gps(1).tobytes(), dpi=(300, 300)
    )
    return out.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(data[position + 4 : position + 8])
        position += 12 + length
    return chunks


def riff_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 12
    while position + 8 <= len(data):
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        chunks.append(data[position : position + 4])
        position += 8 + length + (length & 1)
    return chunks


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header announces a huge image; the body is a token."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
}
MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "docm": "word/document.xml",
}

CORE_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Laporan jalan rusak</dc:title><dc:creator>{PERSON}</dc:creator>
<cp:lastModifiedBy>{PERSON}</cp:lastModifiedBy>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-18T08:00:00Z</dcterms:created>
</cp:coreProperties>"""

DOCUMENT_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Jalan di RT 03 rusak parah.</w:t></w:r></w:p>
<w:p><w:ins w:id="1" w:author="{PERSON}" w:date="2026-03-18T08:00:00Z">
<w:r><w:t>Sudah tiga bulan.</w:t></w:r></w:ins></w:p>
</w:body></w:document>"""


def office_file(
    kind: str = "docx", extra: dict[str, bytes] | None = None, comment: bytes = b""
) -> bytes:
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{MAIN_PART[kind]}" ContentType="{CONTENT_TYPES[kind]}"/>'
            "</Types>"
        ).encode(),
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="x"/>',
        MAIN_PART[kind]: DOCUMENT_XML.encode(),
        "docProps/core.xml": CORE_XML.encode(),
        "docProps/app.xml": f"<Properties><Company>CV {PERSON}</Company></Properties>".encode(),
        "docProps/custom.xml": f"<Properties><p>{PERSON}</p></Properties>".encode(),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = comment
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 18, 8, 0, 0)), content)
    return out.getvalue()


def odf_file(
    mimetype: bytes = b"application/vnd.oasis.opendocument.text",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    meta = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>
<meta:initial-creator>{PERSON}</meta:initial-creator><dc:creator>{PERSON}</dc:creator>
<meta:user-defined meta:name="NIP">198503102010011002</meta:user-defined>
</office:meta></office:document-meta>"""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content office:version="1.3"><office:body><office:text>
<text:p>Lampu jalan mati.<office:annotation><dc:creator>{PERSON}</dc:creator>
<text:p>cek lagi</text:p></office:annotation></text:p></office:text></office:body>
</office:document-content>"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", b"<manifest:manifest/>")
        archive.writestr("content.xml", content.encode())
        archive.writestr("meta.xml", meta.encode())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def pdf_file(info: bytes, xmp: bytes | None = None, eof: bool = True) -> bytes:
    """A tiny valid PDF with a correct xref table, written by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R" + (b" /Metadata 5 0 R" if xmp else b"") + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        info,
    ]
    if xmp is not None:
        objects.append(
            b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp)
            + xmp
            + b"\nendstream"
        )
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n" % xref + (b"%%EOF\n" if eof else b"")
    return out


PDF_INFO = (
    b"<< /Author (Budi Santoso \\(pelapor\\)) /Creator (Microsoft Word - Budi)"
    b" /Producer <FEFF004200750064006900> /Title (Surat Budi)"
    b" /CreationDate (D:20260318080000+08'00') >>"
)
XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b"<dc:creator>Budi Santoso</dc:creator><xmp:CreatorTool>Word</xmp:CreatorTool>"
    b"</x:xmpmeta>" + b" " * 200 + b'<?xpacket end="w"?>'
)


def assert_xref_valid(data: bytes) -> None:
    startxref = int(re.search(rb"startxref\s+(\d+)", data).group(1))  # type: ignore[union-attr]
    assert data[startxref:].startswith(b"xref")
    offsets = re.findall(rb"(\d{10}) 00000 n", data)
    for number, offset in enumerate(offsets, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj" % number)


# --- images ---------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_comment_xmp_and_icc_and_is_turned_upright() -> None:
    original = jpeg_with_metadata(orientation=6)
    assert PERSON.encode() in original

    result = clean("IMG_20260318_080000.JPG", original)

    assert result.name == "IMG_20260318_080000.jpg"
    assert (result.content_type, result.kind) == ("image/jpeg", "image")
    assert PERSON.encode() not in result.data
    assert b"Exif" not in result.data and b"Samsung" not in result.data
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert {"exif", "icc_profile", "comment", "xmp"}.isdisjoint(image.info)
        # Orientation 6 = rotate 90 degrees clockwise: the red left half is now on top.
        assert image.size == (20, 40)
        top, bottom = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60  # type: ignore[index]
    assert bottom[2] > 200 and bottom[0] < 60  # type: ignore[index]


def test_clean_file_describes_the_cleaned_bytes() -> None:
    result = clean("foto.jpeg", jpeg_with_metadata())
    assert result.size == len(result.data)
    assert result.sha256 == hashlib.sha256(result.data).hexdigest()


def test_png_loses_text_chunks_and_keeps_every_pixel() -> None:
    original = png_with_text()
    result = clean("denah.png", original)

    assert PERSON.encode() not in result.data
    assert set(png_chunks(result.data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(result.data)) as after:
        assert after.mode == before.mode == "RGBA"
        assert after.tobytes() == before.tobytes()
        assert not after.text  # type: ignore[attr-defined]


def test_gif_keeps_first_frame_only_without_comment() -> None:
    frames = [two_colour_image().convert("P"), Image.new("RGB", (40, 20), "green").convert("P")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], comment=PERSON.encode())
    result = clean("animasi.gif", out.getvalue())

    assert PERSON.encode() not in result.data
    with Image.open(io.BytesIO(result.data)) as image:
        assert getattr(image, "n_frames", 1) == 1
        assert "comment" not in image.info
        assert image.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


def test_webp_loses_exif_and_xmp_chunks() -> None:
    out = io.BytesIO()
    two_colour_image().save(
        out, "WEBP", lossless=True, exif=exif_with_gps(1).tobytes(), xmp=PERSON.encode()
    )
    result = clean("foto.webp", out.getvalue())

    assert PERSON.encode() not in result.data
    assert {b"EXIF", b"XMP ", b"ICCP"}.isdisjoint(riff_chunks(result.data))
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.convert("RGB").tobytes() == two_colour_image().tobytes()


def test_truncated_jpeg_is_corrupt() -> None:
    data = jpeg_with_metadata()
    assert refused("foto.jpg", data[: len(data) // 2]).code == "corrupt"


def test_garbage_after_a_jpeg_signature_is_corrupt() -> None:
    assert refused("foto.jpg", b"\xff\xd8\xff" + b"\x00" * 500).code == "corrupt"


def test_image_over_the_pixel_limit_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 MP, a few kB on disk
    error = refused("peta.png", out.getvalue())
    assert error.code == "too_many_pixels"
    assert "40 megapiksel" in error.message


def test_decompression_bomb_header_is_refused() -> None:
    assert refused("bom.png", png_header_only(30_000, 30_000)).code == "too_many_pixels"


# --- office documents -----------------------------------------------------------------


def test_docx_author_metadata_is_removed_and_text_kept() -> None:
    media = jpeg_with_metadata(orientation=6)
    original = office_file(
        "docx",
        extra={
            "word/comments.xml": f'<w:comments><w:comment w:author="{PERSON}" w:initials="BS">'
            f"<w:p/></w:comment></w:comments>".encode(),
            "word/media/image1.jpeg": media,
        },
        comment=PERSON.encode(),
    )

    result = clean("Laporan.DOCX", original)

    assert result.name == "Laporan.docx"
    assert result.kind == "document"
    assert result.content_type.endswith("wordprocessingml.document")
    assert PERSON.encode() not in result.data
    parts = zip_entries(result.data)
    assert list(parts) == list(zip_entries(original))  # same parts, same order
    assert b"creator" not in parts["docProps/core.xml"]
    assert b"lastModifiedBy" not in parts["docProps/core.xml"]
    assert b"Company" not in parts["docProps/app.xml"]
    assert PERSON.encode() not in parts["docProps/custom.xml"]
    assert b'w:author=""' in parts["word/document.xml"]
    assert b"Jalan di RT 03 rusak parah." in parts["word/document.xml"]
    assert b'w:initials=""' in parts["word/comments.xml"]
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        assert archive.comment == b""
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_pictures_inside_documents_lose_gps_but_keep_their_layout() -> None:
    original = office_file("docx", extra={"word/media/image1.jpeg": jpeg_with_metadata(6)})
    picture = zip_entries(clean("laporan.docx", original).data)["word/media/image1.jpeg"]

    with Image.open(io.BytesIO(picture)) as image:
        exif = image.getexif()
        # Only the orientation survives: the document's picture box was laid out for it.
        assert dict(exif) == {ExifTags.Base.Orientation: 6}
        assert image.size == (40, 20)
        assert {"icc_profile", "comment", "xmp"}.isdisjoint(image.info)
    assert PERSON.encode() not in picture and b"Samsung" not in picture


def test_xlsx_is_recognised_and_owner_path_removed() -> None:
    workbook = (
        b'<workbook><fileSharing userName="Budi Santoso"/>'
        b'<x15ac:absPath url="C:\\Users\\Budi Santoso\\Documents\\"/><sheets/></workbook>'
    )
    original = office_file("xlsx", extra={"xl/workbook.xml": workbook})
    result = clean("rekap.xlsx", original)
    assert result.content_type.endswith("spreadsheetml.sheet")
    assert PERSON.encode() not in result.data


@pytest.mark.parametrize(
    ("kind", "part", "content"),
    [
        (
            "docx",
            "word/people.xml",
            f'<w15:person w15:author="{PERSON}"><w15:presenceInfo '
            f'w15:providerId="AD" w15:userId="S::budi@contoh.id"/></w15:person>',
        ),
        ("xlsx", "xl/comments1.xml", f"<comments><authors><author>{PERSON}</author></authors>"),
        ("xlsx", "xl/persons/person.xml", f'<person displayName="{PERSON}" userId="budi@x.id"/>'),
        ("pptx", "ppt/commentAuthors.xml", f'<p:cmAuthor id="1" name="{PERSON}" initials="BS"/>'),
    ],
)
def test_commenter_names_are_blanked(kind: str, part: str, content: str) -> None:
    result = clean(f"lampiran.{kind}", office_file(kind, extra={part: content.encode()}))
    cleaned = zip_entries(result.data)[part]
    assert PERSON.encode() not in cleaned
    assert b"budi@" not in cleaned


def test_odt_annotation_authors_and_printer_are_blanked() -> None:
    settings_xml = (
        b'<config:config-item config:name="PrinterName" config:type="string">'
        b"Printer Ruang Budi Santoso</config:config-item>"
    )
    result = clean("surat.odt", odf_file(extra={"settings.xml": settings_xml}))
    parts = zip_entries(result.data)
    assert b"<dc:creator></dc:creator>" in parts["content.xml"]
    assert PERSON.encode() not in parts["settings.xml"]


def test_odt_meta_is_blanked_and_mimetype_stays_first_and_stored() -> None:
    result = clean("surat.odt", odf_file())

    assert result.content_type == "application/vnd.oasis.opendocument.text"
    assert PERSON.encode() not in result.data
    assert b"198503102010011002" not in result.data
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        meta = archive.read("meta.xml")
        assert b'office:version="1.3"' in meta
        assert b"Lampu jalan mati." in archive.read("content.xml")
    # The mimetype must be readable at a fixed offset for format sniffers.
    assert result.data[30:38] == b"mimetype"


def test_ods_is_recognised() -> None:
    ods = odf_file(b"application/vnd.oasis.opendocument.spreadsheet")
    assert clean("data.ods", ods).content_type.endswith("opendocument.spreadsheet")


def test_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES["docx"])
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"\x00" * MB
            for _ in range(110):  # 110 MB of zeros compress to about 110 kB
                entry.write(block)
    assert len(out.getvalue()) < MB
    assert refused("bom.docx", out.getvalue()).code == "unsafe_archive"


def test_archive_with_too_many_entries_is_refused() -> None:
    extra = {f"word/part{n}.xml": b"<x/>" for n in range(1001)}
    assert refused("banyak.docx", office_file("docx", extra=extra)).code == "unsafe_archive"


@pytest.mark.parametrize("evil", ["../../etc/cron.d/x", "/etc/passwd", "word/../../x.xml"])
def test_archive_with_escaping_paths_is_refused(evil: str) -> None:
    error = refused("laporan.docx", office_file("docx", extra={evil: b"x"}))
    assert error.code == "unsafe_archive"


def test_archive_with_encrypted_entries_is_refused() -> None:
    data = bytearray(office_file())
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # "encrypted" flag of the first entry in the central directory
    assert refused("laporan.docx", bytes(data)).code == "unsafe_archive"


def test_pictures_in_a_document_share_one_pixel_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_TOTAL_PIXELS", 1000)  # each test picture has 800
    png = png_with_text()
    docx = office_file(extra={"word/media/a.png": png, "word/media/b.png": png})
    assert refused("laporan.docx", docx).code == "too_many_pixels"


def test_opendocument_presentation_is_not_accepted() -> None:
    odp = odf_file(b"application/vnd.oasis.opendocument.presentation")
    assert refused("slide.odp", odp).code == "unsupported_type"


def test_macro_document_is_refused() -> None:
    docm = office_file("docm", extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert refused("laporan.docx", docm).code == "unsupported_type"


def test_plain_zip_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("foto.jpg", b"x")
    assert refused("lampiran.zip", out.getvalue()).code == "unsupported_type"


def test_broken_zip_is_corrupt() -> None:
    data = office_file()
    assert refused("laporan.docx", data[: len(data) - 30]).code == "corrupt"


# --- PDF --------------------------------------------------------------------------------


def test_pdf_info_and_xmp_are_blanked_in_place() -> None:
    original = pdf_file(PDF_INFO, XMP_PACKET)
    assert_xref_valid(original)

    result = clean("surat.pdf", original)

    assert (result.content_type, result.kind) == ("application/pdf", "pdf")
    assert len(result.data) == len(original)  # offsets in the xref table stay valid
    assert_xref_valid(result.data)
    assert b"Budi" not in result.data
    assert b"FEFF0042" not in result.data
    assert b"/CreationDate (D:20260318080000+08'00')" in result.data
    assert b"<x:xmpmeta" in result.data  # an empty, well-formed packet
    # Objects that are not metadata are untouched.
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    assert page in result.data


@pytest.mark.parametrize(
    "body",
    [
        b"stream\nendstream\n" * 200_000,
        b"obj<</Type/Metadata/Subtype/XML>>stream\nendstream\n" * 100_000,
        b"/Info 1 0 R " * 200_000 + b"1 0 obj << /Author (" + b"(" * 1_000_000,
    ],
)
def test_hostile_pdf_structure_completes(body: bytes) -> None:
    # No timing assertion: a quadratic scan would take minutes, not fail.
    data = b"%PDF-1.7\n" + body + b"\n%%EOF\n"
    assert len(clean("x.pdf", data).data) == len(data)


def test_pdf_without_end_marker_is_corrupt() -> None:
    assert refused("surat.pdf", pdf_file(PDF_INFO, eof=False)).code == "corrupt"


# --- types, names and sizes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "peta.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
        ),
        ("halaman.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("aplikasi.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("surat.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200),
        ("foto.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100),
        ("catatan.txt", b"Nama saya Budi"),
    ],
)
def test_unsupported_types_are_refused_with_the_accepted_list(name: str, data: bytes) -> None:
    error = refused(name, data)
    assert error.code == "unsupported_type"
    assert "JPEG" in error.message and ".docx" in error.message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("surat.pdf", png_with_text()),
        ("foto.jpg", png_with_text()),
        ("foto.png", pdf_file(PDF_INFO)),
        ("rekap.xlsx", office_file("docx")),
        ("laporan.docx", odf_file()),
        ("foto.exe", png_with_text()),
    ],
)
def test_extension_must_agree_with_content(name: str, data: bytes) -> None:
    assert refused(name, data).code == "extension_mismatch"


def test_empty_file_is_refused() -> None:
    assert refused("foto.jpg", b"").code == "empty"


def test_oversized_file_is_refused_with_the_limit_in_megabytes() -> None:
    error = refused("foto.jpg", b"\xff\xd8\xff" + b"\x00" * MB, max_bytes=MB)
    assert error.code == "too_large"
    assert "1 MB" in error.message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.PNG", "passwd.png"),
        ("C:\\Users\\budi\\Desktop\\Foto KTP.Png", "Foto KTP.png"),
        ("foto\x00\x1b[31m.png", "foto[31m.png"),
        ("\u202egnp.exe.png", "gnp.exe.png"),  # right-to-left override removed
        ("denah", "denah.png"),
        (".png", "png.png"),
        ("...", "lampiran.png"),
        ("a<b>c:d|e?.png", "a_b_c_d_e_.png"),
    ],
)
def test_names_are_made_safe(name: str, expected: str) -> None:
    assert clean(name, png_with_text()).name == expected


def test_long_names_are_cut_keeping_the_extension() -> None:
    name = clean("x" * 300 + ".png", png_with_text()).name
    assert len(name) == 120
    assert name.endswith("x.png")


def test_attachment_count_limit() -> None:
    check_attachment_count(5, max_files=5)
    with pytest.raises(AttachmentError) as caught:
        check_attachment_count(6, max_files=5)
    assert caught.value.code == "too_many_files"
    assert "5" in caught.value.message


def test_clean_uploads_reads_limits_from_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LAPOR_MAX_ATTACHMENTS = 2
    settings.LAPOR_MAX_ATTACHMENT_BYTES = MB
    png = png_with_text()
    with pytest.raises(AttachmentError) as caught:
        clean_uploads([("a.png", png)] * 3)
    assert caught.value.code == "too_many_files"
    assert [f.name for f in clean_uploads([("a.png", png), ("b.png", png)])] == ["a.png", "b.png"]
    with pytest.raises(AttachmentError) as caught:
        clean_uploads([("a.jpg", b"\xff\xd8\xff" + b"\x00" * MB)])
    assert caught.value.code == "too_large"
