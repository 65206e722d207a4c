"""Decode an image under a pixel limit and re-encode it with no metadata at all.

Re-encoding (rather than deleting metadata segments) also rebuilds the file from pixels alone,
which removes anything hidden in it: EXIF (camera, GPS position, time), XMP, IPTC, comments,
PNG text chunks, trailing data after the image, and polyglot payloads.

ICC colour profiles are dropped too. Parsing an untrusted profile to convert the pixels to
sRGB would add attack surface (lcms) for a small colour shift on wide-gamut phone photos,
which does not matter for complaint evidence.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, JpegImagePlugin

from . import errors

# Our own limit, well below Pillow's global default (about 89 MP), and checked from the header
# before any pixel is decoded. A 40 MP RGB image already needs about 120 MB of memory.
MAX_IMAGE_PIXELS = 40_000_000

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_JPEG_FALLBACK_QUALITY = 90
_WEBP_QUALITY = 90


def image_pixels(data: bytes, key: str) -> int:
    """Width x height from the header only (used to budget images inside documents)."""
    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[key]]) as im:
            return int(im.width * im.height)
    except Image.DecompressionBombError as exc:
        raise errors.too_many_pixels(MAX_IMAGE_PIXELS) from exc
    except Exception as exc:  # any decoder failure on untrusted bytes means "unreadable"
        raise errors.corrupt() from exc


def clean_image(data: bytes, key: str, *, apply_orientation: bool = True) -> bytes:
    """Return the first frame of the image re-encoded in the same format without metadata.

    With ``apply_orientation`` the EXIF orientation is applied to the pixels (the result needs
    no tag to display upright). Without it (images embedded in documents, whose layout already
    fixes the picture's box) the pixels are kept as stored and only the orientation tag is
    written back, so the document displays exactly as before.
    """
    try:
        with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[key]]) as im:
            if im.width * im.height > MAX_IMAGE_PIXELS:
                raise errors.too_many_pixels(MAX_IMAGE_PIXELS)
            im.seek(0)  # animated GIF/WebP/APNG: the first frame is enough as evidence
            im.load()  # raises on truncated data (Pillow's LOAD_TRUNCATED_IMAGES is False)
            return _reencode(im, key, data, apply_orientation=apply_orientation)
    except errors.AttachmentError:
        raise
    except Image.DecompressionBombError as exc:
        raise errors.too_many_pixels(MAX_IMAGE_PIXELS) from exc
    except Exception as exc:  # any decoder failure on untrusted bytes means "unreadable"
        raise errors.corrupt() from exc


def _orientation(im: Image.Image) -> int:
    try:
        value = int(im.getexif().get(_ORIENTATION_TAG, 1))
    except Exception:  # a broken EXIF block must not reject an otherwise fine photo
        return 1
    return value if value in _TRANSPOSE else 1


def _reencode(im: Image.Image, key: str, data: bytes, *, apply_orientation: bool) -> bytes:
    orientation = _orientation(im)
    transparency = im.info.get("transparency")
    method = _TRANSPOSE.get(orientation) if apply_orientation else None
    clean = im.transpose(method) if method is not None else im.copy()
    # Pillow's encoders fall back to im.info for some fields (JPEG comment, PNG ICC profile and
    # transparency); an empty info dict guarantees nothing of the source is carried over.
    clean.info = {}
    options: dict[str, Any] = {}
    if transparency is not None and key in ("png", "gif"):
        options["transparency"] = transparency  # pixel semantics, not metadata
    if not apply_orientation and orientation != 1 and key != "gif":
        exif = Image.Exif()
        exif[_ORIENTATION_TAG] = orientation
        options["exif"] = exif.tobytes()
    if key == "jpeg":
        clean, jpeg_options = _jpeg_options(im, clean)
        options.update(jpeg_options)
    elif key == "webp":
        lossless = _webp_is_lossless(data)
        options.update(lossless=lossless, quality=100 if lossless else _WEBP_QUALITY)
    out = io.BytesIO()
    clean.save(out, _PIL_FORMATS[key], **options)
    return out.getvalue()


def _webp_is_lossless(data: bytes) -> bool:
    """Whether the first bitstream chunk is "VP8L" (lossless), so it can be kept lossless."""
    position = 12  # after "RIFF", the size and "WEBP"
    for _ in range(8):  # VP8X, ICCP, ANIM and ALPH may come first; the bitstream is near
        fourcc = data[position : position + 4]
        if fourcc in (b"VP8L", b"VP8 ") or len(data) < position + 8:
            return fourcc == b"VP8L"
        length = int.from_bytes(data[position + 4 : position + 8], "little")
        position += 8 + length + (length & 1)
    return False


def _jpeg_options(source: Image.Image, clean: Image.Image) -> tuple[Image.Image, dict[str, Any]]:
    if clean.mode not in ("L", "RGB", "CMYK"):
        clean = clean.convert("RGB")
    # Reusing the source's quantisation tables and chroma subsampling keeps quality and file
    # size close to the original instead of guessing a quality number.
    tables = getattr(source, "quantization", None)
    sampling = JpegImagePlugin.get_sampling(source)
    if tables and sampling != -1:
        return clean, {"qtables": tables, "subsampling": sampling}
    return clean, {"quality": _JPEG_FALLBACK_QUALITY}
