"""Validation and sanitising of uploaded attachments before they are stored.

``clean_upload`` decides the type from the content, checks the name agrees, enforces limits
and returns a rewritten copy with personal metadata removed:

* images (JPEG, PNG, WebP, GIF first frame): decoded under a 40-megapixel limit, EXIF
  orientation applied, re-encoded with no metadata (no EXIF/GPS, XMP, comments, PNG text
  chunks, ICC profile);
* Office Open XML and OpenDocument: zip limits and path checks, macros refused, document
  properties emptied, comment/tracked-change author names blanked, embedded pictures
  re-encoded without metadata;
* PDF: header and end marker checked; Info-dictionary strings and uncompressed XMP blanked in
  place when that is possible without changing offsets (best effort, see ``pdf``).

Storage is not done here.
"""

from .core import CleanFile, check_attachment_count, clean_upload, clean_uploads
from .errors import AttachmentError
from .images import MAX_IMAGE_PIXELS

__all__ = [
    "MAX_IMAGE_PIXELS",
    "AttachmentError",
    "CleanFile",
    "check_attachment_count",
    "clean_upload",
    "clean_uploads",
]
