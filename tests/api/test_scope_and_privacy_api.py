"""Token scoping and privacy through the API: 404 outside the scope, no anonymous identity,
no confidential report outside its handlers."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from lapor.api.access import StaffLens
from lapor.api.auth import Caller
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.privacy import is_staff_viewer
from tests.api.support import *  # noqa: F403
from tests.api.support import (
    PNG,
    REPORTS,
    Api,
    Tokens,
    answered,
    error_code,
    integration_token,
    routed,
)
from tests.factories import World, make_user, submit

pytestmark = pytest.mark.django_db

ACTIONS = {
    "route": {"institution": 1, "report_type": "pengaduan", "resolution_class": "standard"},
    "hold": {"question": "Di mana?"},
    "clarify": {"message": "Di sini."},
    "archive": {"reason_code": "spam"},
    "decline": {"reason": "Bukan urusan kami."},
    "forward": {"institution": 1},
    "follow-ups": {"message": "Halo"},
    "answer": {"message": "Selesai"},
    "extend": {"days": 1, "reason": "Perlu waktu"},
    "information": {"message": "Tambahan"},
    "reopen": {"message": "Belum"},
    "confirm": {},
    "rate": {"rating": 3},
    "ombudsman-consent": {},
    "escalate": {},
}


def test_a_token_of_another_institution_cannot_read_or_act(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)  # routed to Samarinda, public
    services.post_follow_up(
        actor=w.city_admin, report=report, message="Bukti", uploads=[("b.png", PNG)]
    )
    number = report.tracking_number
    balikpapan = Api(tokens.other_city)
    assert error_code(balikpapan.get(f"{REPORTS}/{number}")) == "not_found"
    assert balikpapan.get(f"{REPORTS}/{number}/timeline").status_code == 404
    assert balikpapan.get(REPORTS).json()["items"] == []
    for action, body in ACTIONS.items():
        response = balikpapan.post(f"{REPORTS}/{number}/{action}", body)
        assert response.status_code == 404, (action, response.content)
    attachment = report.attachments.get()
    assert balikpapan.get(f"/api/v1/attachments/{attachment.pk}").status_code == 404
    upload = balikpapan.upload(
        f"{REPORTS}/{number}/attachments",
        {"move": "follow_up", "message": "x", "files": [_png()]},
    )
    assert upload.status_code == 404
    assert report.events.count() == 3  # nothing happened


def _png():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.png", PNG, content_type="image/png")


def test_a_department_integration_sees_only_its_subtree(w: World) -> None:
    department_app = Api(integration_token(w.department, role="unit_officer"))
    at_city, _r = routed(w)
    forwarded, _r = routed(w)
    services.forward_report(actor=w.city_admin, report=forwarded, institution=w.department)
    listed = {i["tracking_number"] for i in department_app.get(REPORTS).json()["items"]}
    assert listed == {forwarded.tracking_number}
    assert department_app.get(f"{REPORTS}/{at_city.tracking_number}").status_code == 404
    followed = department_app.post(
        f"{REPORTS}/{forwarded.tracking_number}/follow-ups", {"message": "Kami tangani."}
    )
    assert followed.status_code == 200, followed.content
    assert followed.json()["event"]["actor_role"] == "unit_officer"


def test_confidential_reports_stay_inside_their_handlers_scope(w: World, tokens: Tokens) -> None:
    report, _r = routed(w, is_confidential=True)
    number = report.tracking_number
    assert Api(tokens.city).get(f"{REPORTS}/{number}").status_code == 200
    for outsider in (tokens.other_city, tokens.ministry, tokens.citizen):
        api = Api(outsider)
        assert api.get(f"{REPORTS}/{number}").status_code == 404
        assert number not in api.get(REPORTS).content.decode()
    public, _r = routed(w)
    assert Api(tokens.citizen).get(f"{REPORTS}/{public.tracking_number}").status_code == 200


def test_no_response_ever_names_an_anonymous_reporter(w: World, tokens: Tokens) -> None:
    reporter = make_user(
        "pelapor_rahasia",
        full_name="Bintang Kejora Anonim",
        email="bintang.kejora@contoh.id",
        nik="6472019876540002",
        phone="085398765432",
    )
    secrets_of_identity = [
        "Bintang Kejora",
        "bintang.kejora@contoh.id",
        "6472019876540002",
        "085398765432",
        "85398765432",
        "pelapor_rahasia",
    ]
    report, _r = answered(
        w,
        by=reporter,
        is_anonymous=True,
        body=(
            "NIK saya 6472019876540002, telp 085398765432, surel bintang.kejora@contoh.id. "
            "Ada pungli."
        ),
    )
    services.reopen_report(actor=reporter, report=report, message="Hubungi 085398765432.")
    number = report.tracking_number
    for name in (f.name for f in fields(Tokens)):
        api = Api(getattr(tokens, name))
        answers = [
            api.get(REPORTS),
            api.get(REPORTS, {"q": "pungli"}),
            api.get(f"{REPORTS}/{number}"),
            api.get(f"{REPORTS}/{number}/timeline"),
            api.post(f"{REPORTS}/{number}/follow-ups", {"message": "Kami cek."}),
        ]
        for response in answers:
            text = json.dumps(response.json())
            for secret in secrets_of_identity:
                assert secret not in text, (name, response.request["PATH_INFO"], secret)
    # The national admin sees the report as staff, still without the identity.
    detail = Api(tokens.national_admin).get(f"{REPORTS}/{number}").json()
    assert detail["view"] == "staff"
    assert detail["reporter_name"] == "Pelapor anonim"


def test_the_staff_lens_agrees_with_privacy(w: World, tokens: Tokens) -> None:
    reports = [routed(w)[0], submit(w)[0], routed(w)[0]]
    services.forward_report(actor=w.city_admin, report=reports[2], institution=w.department)
    for user in (w.city_admin, w.officer, w.unit_officer, w.other_admin, w.auditor, w.citizen):
        lens = StaffLens(Caller(user=user))
        for report in Report.objects.select_related(
            "queue_institution", "responsible_institution"
        ).filter(pk__in=[r.pk for r in reports]):
            assert lens.sees_as_staff(report) == is_staff_viewer(user, report)
