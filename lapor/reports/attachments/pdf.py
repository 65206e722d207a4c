"""PDF checks and a best-effort, same-length removal of author metadata.

A PDF locates its objects by byte offsets (the xref table), so any edit that changes a length
would corrupt it unless the file were rebuilt by a full PDF library. Everything here therefore
overwrites bytes in place with the same number of bytes:

* Document information dictionaries (the objects named by ``/Info n g R``): the string values
  of /Author, /Creator, /Producer, /Title, /Subject and /Keywords become blanks of the same
  length. Only when the dictionary is a plain (not compressed) object; an Info dictionary
  inside a compressed object stream (PDF 1.5+) is left as it is.
* XMP metadata streams (``/Type /Metadata /Subtype /XML``) that are not compressed: the packet
  is replaced by an empty XMP packet padded with spaces, the padding XMP was designed for.
  Compressed XMP streams are left as they are.

Not done: metadata in compressed objects, annotation authors (/T), document-level JavaScript,
embedded files. tests/reports/test_attachments.py pins what is guaranteed.
"""

from __future__ import annotations

import bisect
import re

from . import errors

_EOF_WINDOW = 1024  # readers look for %%EOF near the end; some writers append a few bytes
_MAX_INFO_OBJECTS = 32  # one per incremental update; more is not a real document

_INFO_REF_RE = re.compile(rb"/Info\s+([0-9]{1,10})\s+([0-9]{1,5})\s+R")
_INFO_KEY_RE = re.compile(rb"/(?:Author|Creator|Producer|Title|Subject|Keywords)\s*([(<])")
_STREAM_RE = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n)")
_LENGTH_RE = re.compile(rb"/Length\s+([0-9]{1,12})(?!\s+[0-9]+\s+R)")
_XMP_DICT_RES = (re.compile(rb"/Type\s*/Metadata\b"), re.compile(rb"/Subtype\s*/XML\b"))
_DICT_LOOKBACK = 64 * 1024  # a stream dictionary is never this long; bounds the backward scan
_EMPTY_XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
    b'<?xpacket end="w"?>'
)


def clean_pdf(data: bytes) -> bytes:
    """Check the PDF's header and end marker and blank what metadata can be blanked safely."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise errors.corrupt()
    out = bytearray(data)
    streams = _stream_spans(data)
    _blank_xmp_streams(data, out, streams)
    for start, end in _info_dictionaries(data, streams):
        for match in _INFO_KEY_RE.finditer(data, start, end):
            _blank_string(data, out, match.start(1), end)
    return bytes(out)


def _stream_spans(data: bytes) -> list[tuple[int, int, int]]:
    """(dictionary start, data start, data end) of every stream, in file order."""
    spans = []
    position = 0
    while match := _STREAM_RE.search(data, position):
        data_start = match.end()
        # A dictionary lies between the previous stream's end and this keyword; searching only
        # there scans every byte of the file at most once, whatever the number of streams.
        window = max(position, match.start() - _DICT_LOOKBACK)
        dict_start = data.rfind(b"obj", window, match.start())
        dict_start = window if dict_start < 0 else dict_start
        dictionary = data[dict_start : match.start()]
        length = _LENGTH_RE.search(dictionary)
        data_end = -1
        if length is not None:
            candidate = data_start + int(length.group(1))
            # Trust a direct /Length only if "endstream" really follows it.
            if data[candidate : candidate + 12].lstrip().startswith(b"endstream"):
                data_end = candidate
        if data_end < 0:
            data_end = data.find(b"endstream", data_start)
            if data_end < 0:
                break
        spans.append((dict_start, data_start, data_end))
        position = data_end
    return spans


def _inside_stream(offset: int, streams: list[tuple[int, int, int]]) -> bool:
    # Spans are in file order and do not overlap: the candidate is the last one starting before.
    index = bisect.bisect_right(streams, offset, key=lambda span: span[1]) - 1
    return index >= 0 and offset < streams[index][2]


def _info_dictionaries(data: bytes, streams: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    references = {
        (int(m.group(1)), int(m.group(2)))
        for m in _INFO_REF_RE.finditer(data)
        if not _inside_stream(m.start(), streams)
    }
    regions = []
    for number, generation in sorted(references)[:_MAX_INFO_OBJECTS]:
        header = re.compile(rb"(?<![0-9])%d\s+%d\s+obj\b" % (number, generation))
        for match in header.finditer(data):
            if _inside_stream(match.start(), streams):
                continue
            end = data.find(b"endobj", match.end())
            stream = _STREAM_RE.search(data, match.end(), end if end >= 0 else len(data))
            if end >= 0 and stream is None:  # an Info dictionary never has a stream
                regions.append((match.end(), end))
    return regions


def _blank_string(data: bytes, out: bytearray, start: int, limit: int) -> None:
    """Overwrite the PDF string starting at ``start`` ("(" or "<") with blanks, same length."""
    if data[start : start + 1] == b"(":
        end = _literal_string_end(data, start, limit)
        if end is not None:
            out[start + 1 : end] = b" " * (end - start - 1)
        return
    end = data.find(b">", start, limit)
    if end > start and data[start + 1 : start + 2] != b"<":
        # Hex digits "2020..." decode to spaces; an odd final "2" reads as "20" too.
        out[start + 1 : end] = (b"20" * (end - start))[: end - start - 1]


def _literal_string_end(data: bytes, start: int, limit: int) -> int | None:
    """Index of the ")" closing the literal string opened at ``start`` (nesting, escapes)."""
    depth = 0
    index = start
    while index < limit:
        char = data[index]
        if char == 0x5C:  # backslash: the next byte is escaped, whatever it is
            index += 2
            continue
        if char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _blank_xmp_streams(data: bytes, out: bytearray, streams: list[tuple[int, int, int]]) -> None:
    for dict_start, start, end in streams:
        dictionary = data[dict_start:start]
        # Both markers are required: an image whose dictionary merely *refers* to its own
        # /Metadata must never be overwritten.
        if b"/Filter" in dictionary or not all(r.search(dictionary) for r in _XMP_DICT_RES):
            continue
        size = end - start
        if size >= len(_EMPTY_XMP) + 1:
            out[start:end] = _EMPTY_XMP + b" " * (size - len(_EMPTY_XMP) - 1) + b"\n"
        else:
            out[start:end] = b" " * size
