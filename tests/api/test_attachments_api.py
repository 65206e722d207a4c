"""POST /api/v1/reports/{tracking}/attachments (files with a move) and GET /attachments/{id}."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lapor.reports import services
from lapor.reports.models import Attachment
from tests.api.support import *  # noqa: F403
from tests.api.support import PNG, REPORTS, Api, Tokens, error_code, fetch, routed, user_token
from tests.factories import World

pytestmark = pytest.mark.django_db


def png(name: str = "bukti.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (16, 16), "blue")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_a_follow_up_with_files(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)
    response = Api(tokens.city).upload(
        f"{REPORTS}/{report.tracking_number}/attachments",
        {"move": "follow_up", "message": "Foto lokasi.", "files": [png(), png("kedua.png")]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "in_progress"
    event = body["event"]
    assert event["action"] == "follow_up"
    assert [a["name"] for a in event["attachments"]] == ["bukti.png", "kedua.png"]
    assert event["attachments"][0]["url"] == f"/api/v1/attachments/{event['attachments'][0]['id']}"
    assert len(body["report"]["attachments"]) == 2


def test_the_reporter_adds_information_with_a_photo_whose_metadata_is_stripped(
    w: World, tokens: Tokens
) -> None:
    report, _r = routed(w)
    photo = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = Api(tokens.reporter).upload(
        f"{REPORTS}/{report.tracking_number}/attachments",
        {"move": "information", "message": "Ini fotonya.", "files": [photo]},
    )
    assert response.status_code == 201, response.content
    stored = Attachment.objects.get(report=report)
    assert b"KameraRahasia" not in stored.file.read()


def test_an_upload_the_service_refuses_is_400_and_writes_nothing(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = Api(tokens.city).upload(
        f"{REPORTS}/{report.tracking_number}/attachments",
        {"move": "follow_up", "message": "x", "files": [fake]},
    )
    assert response.status_code == 400
    assert "attachments" in response.json()["error"]["fields"]
    assert fetch(report.tracking_number).events.count() == 2


def test_upload_errors(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)
    url = f"{REPORTS}/{report.tracking_number}/attachments"
    api = Api(tokens.city)
    as_json = api.post(url, {"move": "follow_up", "message": "x"})
    assert as_json.status_code == 415
    assert error_code(as_json) == "unsupported_media_type"
    no_files = api.upload(url, {"move": "follow_up", "message": "x"})
    assert no_files.status_code == 422
    assert "files" in no_files.json()["error"]["fields"]
    bad_move = api.upload(url, {"move": "route", "message": "x", "files": [png()]})
    assert bad_move.status_code == 422
    assert "move" in bad_move.json()["error"]["fields"]
    staff_move_by_reporter = Api(tokens.reporter).upload(
        url, {"move": "answer", "message": "x", "files": [png()]}
    )
    assert staff_move_by_reporter.status_code == 403


def test_downloads_follow_the_visibility_rule(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)
    services.add_information(
        actor=w.reporter, report=report, message="Foto saya", uploads=[("saya.png", PNG)]
    )
    services.post_follow_up(
        actor=w.city_admin,
        report=report,
        message="Internal",
        is_public=False,
        uploads=[("internal.png", PNG)],
    )
    services.post_follow_up(
        actor=w.city_admin, report=report, message="Publik", uploads=[("publik.png", PNG)]
    )
    files = {a.name: a.pk for a in Attachment.objects.filter(report=report)}

    def status(token: str, name: str) -> int:
        return int(Api(token).get(f"/api/v1/attachments/{files[name]}").status_code)

    assert {n: status(tokens.city, n) for n in files} == {
        "saya.png": 200,
        "internal.png": 200,
        "publik.png": 200,
    }
    assert {n: status(tokens.reporter, n) for n in files} == {
        "saya.png": 200,
        "internal.png": 404,
        "publik.png": 200,
    }
    stranger = user_token(w.citizen)
    assert {n: status(stranger, n) for n in files} == {
        "saya.png": 404,  # a reporter's own photo can identify them
        "internal.png": 404,
        "publik.png": 200,
    }
    assert {n: status(tokens.other_city, n) for n in files} == dict.fromkeys(files, 404)
    response = Api(tokens.city).get(f"/api/v1/attachments/{files['publik.png']}")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert (
        b"".join(response.streaming_content)
        == Attachment.objects.get(pk=files["publik.png"]).file.read()
    )
    assert Api(tokens.city).get("/api/v1/attachments/999999").status_code == 404
