"""Attachments through the submit service: stored cleaned, or refused with nothing written."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from lapor.reports import services
from lapor.reports.errors import ValidationError
from lapor.reports.models import Attachment, Report
from tests.factories import World, report_input

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraPelapor"  # Make
    exif[0x8825] = {1: "S", 2: (0.0, 30.0, 0.0)}  # GPS IFD: latitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_photo_is_stored_without_metadata_and_outside_any_url(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    original = jpeg_with_gps()
    assert b"KameraPelapor" in original
    result = services.submit_report(
        actor=None, data=report_input(is_anonymous=True), uploads=[("IMG_2001.JPG", original)]
    )
    attachment = Attachment.objects.get(report=result.report)
    stored = attachment.file.read()
    assert b"KameraPelapor" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert attachment.name == "IMG_2001.jpg" and attachment.kind == "image"
    assert str(settings.MEDIA_ROOT) in attachment.file.path
    assert attachment.event is not None and attachment.event.action == "submit"


def test_a_bad_file_refuses_the_whole_submission(world: World) -> None:
    uploads = [("foto.jpg", jpeg_with_gps()), ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100)]
    with pytest.raises(ValidationError) as error:
        services.submit_report(actor=world.reporter, data=report_input(), uploads=uploads)
    assert "attachments" in error.value.fields
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


def test_too_many_files_are_refused(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LAPOR_MAX_ATTACHMENTS = 1
    uploads = [("a.jpg", jpeg_with_gps()), ("b.jpg", jpeg_with_gps())]
    with pytest.raises(ValidationError) as error:
        services.submit_report(actor=world.reporter, data=report_input(), uploads=uploads)
    assert error.value.code == "too_many_files"
    assert Report.objects.count() == 0
