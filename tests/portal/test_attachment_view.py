"""Attachment downloads: each viewer x each kind of attachment, through one view.

The expectations are written out per case (who may open which file), not derived from
lapor.reports.privacy, which the view relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from lapor.reports import services
from lapor.reports.actors import GuestActor
from lapor.reports.models import Attachment
from tests.factories import World, submit
from tests.portal.conftest import jpeg_bytes
from tests.portal.helpers import open_as_guest
from tests.reports.test_attachments import PDF_INFO, pdf_file

pytestmark = pytest.mark.django_db

# Viewers. "guest" holds the guest report's secret in its session; "other_guest" another one.
PUBLIC, CITIZEN, REPORTER, GUEST, OTHER_GUEST = (
    "public",
    "citizen",
    "reporter",
    "guest",
    "other_guest",
)
IN_SCOPE = ("city_admin", "leader", "province_admin", "national_admin", "auditor")
OUT_OF_SCOPE = ("other_admin", "officer", "ministry_admin")
VIEWERS = (PUBLIC, CITIZEN, REPORTER, GUEST, OTHER_GUEST, *IN_SCOPE, *OUT_OF_SCOPE)
EVERYONE = frozenset(VIEWERS)
STAFF = frozenset(IN_SCOPE)

# Each kind of attachment and who may open it.
EXPECTED: dict[str, frozenset[str]] = {
    # A public report (routed to the city), sent by an account holder.
    "public_report/reporter_photo": STAFF | {REPORTER},
    "public_report/institution_public_file": EVERYONE,
    "public_report/institution_internal_file": STAFF,
    # A confidential report: nothing for the public, whoever uploaded it.
    "confidential_report/reporter_photo": STAFF | {REPORTER},
    "confidential_report/institution_public_file": STAFF | {REPORTER},
    # Not verified yet: only its reporter and the desk that verifies it.
    "unverified_report/reporter_photo": STAFF | {REPORTER},
    # A guest's public report.
    "guest_report/reporter_pdf": STAFF | {GUEST},
    "guest_report/institution_public_file": EVERYONE,
}


@dataclass
class Scene:
    world: World
    files: dict[str, Attachment]
    guest_secret: str
    other_secret: str
    guest_report: Any
    other_report: Any


def _one(report: Any, name: str) -> Attachment:
    return Attachment.objects.get(report=report, name=name)


@pytest.fixture
def scene(world: World) -> Scene:
    files: dict[str, Attachment] = {}
    photo = [("foto.jpg", jpeg_bytes())]

    public, _ = submit(world, suggested_institution_id=world.city.pk)
    services.add_information(actor=world.reporter, report=public, message="Foto.", uploads=photo)
    world.route(public)
    services.post_follow_up(
        actor=world.city_admin,
        report=public,
        message="Hasil survei.",
        uploads=[("survei.jpg", jpeg_bytes("green"))],
    )
    services.post_follow_up(
        actor=world.city_admin,
        report=public,
        message="Internal.",
        is_public=False,
        uploads=[("internal.pdf", pdf_file(PDF_INFO))],
    )
    files["public_report/reporter_photo"] = _one(public, "foto.jpg")
    files["public_report/institution_public_file"] = _one(public, "survei.jpg")
    files["public_report/institution_internal_file"] = _one(public, "internal.pdf")

    confidential, _ = submit(world, is_confidential=True, suggested_institution_id=world.city.pk)
    services.add_information(
        actor=world.reporter, report=confidential, message="Foto.", uploads=photo
    )
    world.route(confidential)
    services.post_follow_up(
        actor=world.city_admin,
        report=confidential,
        message="Jawaban.",
        uploads=[("balasan.jpg", jpeg_bytes("blue"))],
    )
    files["confidential_report/reporter_photo"] = _one(confidential, "foto.jpg")
    files["confidential_report/institution_public_file"] = _one(confidential, "balasan.jpg")

    unverified, _ = submit(world, suggested_institution_id=world.city.pk)
    services.add_information(
        actor=world.reporter, report=unverified, message="Foto.", uploads=photo
    )
    files["unverified_report/reporter_photo"] = _one(unverified, "foto.jpg")

    guest_report, guest = submit(world, by="guest", suggested_institution_id=world.city.pk)
    assert isinstance(guest, GuestActor)
    services.add_information(
        actor=guest,
        report=guest_report,
        message="Surat.",
        uploads=[("surat.pdf", pdf_file(PDF_INFO))],
    )
    world.route(guest_report)
    services.post_follow_up(
        actor=world.city_admin,
        report=guest_report,
        message="Balasan.",
        uploads=[("balasan.jpg", jpeg_bytes("blue"))],
    )
    files["guest_report/reporter_pdf"] = _one(guest_report, "surat.pdf")
    files["guest_report/institution_public_file"] = _one(guest_report, "balasan.jpg")

    other_report, other = submit(world, by="guest")
    assert isinstance(other, GuestActor)
    return Scene(world, files, guest.secret, other.secret, guest_report, other_report)


def _client(scene: Scene, viewer: str) -> Client:
    client = Client()
    if viewer == GUEST:
        open_as_guest(client, scene.guest_report, scene.guest_secret)
    elif viewer == OTHER_GUEST:
        open_as_guest(client, scene.other_report, scene.other_secret)
    elif viewer == REPORTER:
        client.force_login(scene.world.reporter)
    elif viewer != PUBLIC:
        client.force_login(getattr(scene.world, viewer))
    return client


def _url(attachment: Attachment) -> str:
    return f"/lampiran/{attachment.pk}/{attachment.name}"


def test_each_viewer_opens_exactly_the_files_they_may(scene: Scene) -> None:
    assert set(scene.files) == set(EXPECTED)
    wrong = []
    for viewer in VIEWERS:
        client = _client(scene, viewer)
        for kind, attachment in scene.files.items():
            status = client.get(_url(attachment)).status_code
            expected = 200 if viewer in EXPECTED[kind] else 404
            if status != expected:
                wrong.append((viewer, kind, status))
    assert wrong == []


def test_the_response_headers(scene: Scene) -> None:
    image = Client().get(_url(scene.files["public_report/institution_public_file"]))
    assert image["Content-Type"] == "image/jpeg"
    assert image["Content-Disposition"].startswith("inline")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "private" in image["Cache-Control"]
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"  # type: ignore[attr-defined]

    staff = Client()
    staff.force_login(scene.world.city_admin)
    pdf = staff.get(_url(scene.files["public_report/institution_internal_file"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="internal.pdf"'
    assert "no-store" in pdf["Cache-Control"] and "private" in pdf["Cache-Control"]
    assert "sandbox" in pdf["Content-Security-Policy"]


def test_a_wrong_name_or_id_is_404(scene: Scene) -> None:
    attachment = scene.files["public_report/institution_public_file"]
    client = Client()
    assert client.get(f"/lampiran/{attachment.pk}/lain.jpg").status_code == 404
    assert client.get(f"/lampiran/999999/{attachment.name}").status_code == 404
    assert client.post(_url(attachment)).status_code == 405


def test_the_reporters_page_links_the_files_it_may_open(scene: Scene) -> None:
    client = _client(scene, GUEST)
    page = client.get(f"/lacak/{scene.guest_report.tracking_number}/").content.decode()
    assert _url(scene.files["guest_report/reporter_pdf"]) in page
    assert _url(scene.files["guest_report/institution_public_file"]) in page
