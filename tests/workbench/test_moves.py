"""Every move of the workbench, posted by every persona: it happens only where the workflow
table and the persona's scope allow it; otherwise 403, 404 or 409 and nothing changes.

The expected outcome of each (state, move, persona) is written out by hand below.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lapor.lib import clock
from lapor.reports import services
from lapor.reports.models import Report, State
from tests.factories import World, fresh
from tests.workbench.conftest import (
    NOT_STAFF,
    PERSONAS,
    at_city,
    client_for,
    png_bytes,
    routed,
    snapshot,
)

MOVES = (
    "route",
    "hold",
    "archive",
    "decline",
    "forward",
    "follow_up",
    "answer",
    "extend",
    "escalate",
)
OK = 302


def _data(world: World, move: str, report: Report) -> dict[str, Any]:
    """Valid input of `move` for `report` where it sits."""
    child = world.department if report.queue_institution == world.city else world.unit
    return {
        "route": {
            "route-report_type": "pengaduan",
            "route-resolution_class": "standard",
            "route-institution": world.city.pk,
        },
        "hold": {"hold-question": "Di sekolah mana kejadiannya?"},
        "archive": {"archive-reason_code": "spam"},
        "decline": {"decline-reason": "Sekolah swasta, bukan wewenang kami."},
        "forward": {"forward-institution": child.pk},
        "follow_up": {
            "follow_up-message": "Sedang kami periksa.",
            "follow_up-visibility": "public",
        },
        "answer": {"answer-message": "Pungutan telah dihentikan."},
        "extend": {"extend-days": "2", "extend-reason": "Menunggu hasil pemeriksaan."},
        "escalate": {"escalate-note": ""},
    }[move]


def _url(move: str, report: Report) -> str:
    return reverse(f"workbench:{move}", args=[report.tracking_number])


# --- a report waiting for verification at Pemkot Samarinda -----------------------------------

ADMINS_IN_SCOPE = ("national_admin", "province_admin", "city_admin")
WAITING: dict[str, dict[str, int]] = {
    "route": dict.fromkeys(ADMINS_IN_SCOPE, OK),
    "hold": dict.fromkeys(ADMINS_IN_SCOPE, OK),
    "archive": dict.fromkeys(ADMINS_IN_SCOPE, OK),
    # Not our authority at verification: the institution admins hand it one level up; the
    # national queue has no level above, so the national admin has no such move.
    "decline": {"national_admin": 403, "province_admin": OK, "city_admin": OK},
    # Handler moves: the institution admins hold a handler role, but not in this state.
    "forward": {"national_admin": 403, "province_admin": 409, "city_admin": 409},
    "follow_up": {"national_admin": 403, "province_admin": 409, "city_admin": 409},
    "answer": {"national_admin": 403, "province_admin": 409, "city_admin": 409},
    "extend": dict.fromkeys(ADMINS_IN_SCOPE, 409),
    "escalate": dict.fromkeys(ADMINS_IN_SCOPE, 409),
}
WAITING_SEEN_READ_ONLY = ("auditor", "leader")
WAITING_TO = {
    "route": State.ROUTED,
    "hold": State.ON_HOLD,
    "archive": State.ARCHIVED,
    "decline": State.AWAITING_VERIFICATION,
}

# --- a report routed to the city and forwarded to its Dinas Pendidikan ------------------------

HANDLERS_IN_SCOPE = ("province_admin", "city_admin", "officer")
ROUTED: dict[str, dict[str, int]] = {
    "route": {"national_admin": 409, "province_admin": 409, "city_admin": 409, "officer": 403},
    "hold": {"national_admin": 409, "province_admin": 409, "city_admin": 409, "officer": 403},
    "archive": {"national_admin": 409, "province_admin": 409, "city_admin": 409, "officer": 403},
    "decline": {"national_admin": 403, **dict.fromkeys(HANDLERS_IN_SCOPE, OK)},
    "forward": {"national_admin": 403, **dict.fromkeys(HANDLERS_IN_SCOPE, OK)},
    "follow_up": {"national_admin": 403, **dict.fromkeys(HANDLERS_IN_SCOPE, OK)},
    "answer": {"national_admin": 403, **dict.fromkeys(HANDLERS_IN_SCOPE, OK)},
    "extend": {"national_admin": OK, **dict.fromkeys(HANDLERS_IN_SCOPE, OK)},
    # The completion deadline has not passed: a conflict for admins, refused for the officer.
    "escalate": {"national_admin": 409, "province_admin": 409, "city_admin": 409, "officer": 403},
}
ROUTED_SEEN_READ_ONLY = ("auditor", "leader")
ROUTED_TO = {
    "decline": State.AWAITING_VERIFICATION,
    "forward": State.ROUTED,
    "follow_up": State.IN_PROGRESS,
    "answer": State.ANSWERED,
    "extend": State.ROUTED,
}


def _expected(
    table: dict[str, dict[str, int]], read_only: tuple[str, ...], move: str, who: str
) -> int:
    if who in NOT_STAFF or who in read_only:
        return 403
    return table[move].get(who, 404)


def _check(world: World, report: Report, move: str, who: str, expected: int, to: State) -> None:
    before = snapshot(report)
    response = client_for(getattr(world, who)).post(_url(move, report), _data(world, move, report))
    assert response.status_code == expected, response.content.decode()[:500]
    if expected == OK:
        after = fresh(report)
        assert after.state == to
        assert after.events.count() == before[3] + 1
        assert after.events.last().actor == getattr(world, who)
    else:
        assert snapshot(report) == before
        if expected == 409:
            assert "telah berubah sementara itu" in response.content.decode()


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("who", PERSONAS)
def test_moves_on_a_report_waiting_at_the_city(world: World, move: str, who: str) -> None:
    report = at_city(world)
    expected = _expected(WAITING, WAITING_SEEN_READ_ONLY, move, who)
    _check(world, report, move, who, expected, WAITING_TO.get(move, State.AWAITING_VERIFICATION))


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("who", PERSONAS)
def test_moves_on_a_report_at_the_department(world: World, move: str, who: str) -> None:
    report = routed(world, at_city(world), to=world.department)
    expected = _expected(ROUTED, ROUTED_SEEN_READ_ONLY, move, who)
    _check(world, report, move, who, expected, ROUTED_TO.get(move, State.ROUTED))


# --- after a move ---------------------------------------------------------------------------


def test_success_redirects_to_the_report_with_a_message(world: World) -> None:
    report = at_city(world)
    client = client_for(world.city_admin)
    response = client.post(_url("route", report), _data(world, "route", report), follow=True)
    assert response.redirect_chain == [
        (reverse("workbench:report", args=[report.tracking_number]), 302)
    ]
    html = response.content.decode()
    assert "Laporan diverifikasi dan didisposisikan." in html
    assert "Didisposisikan" in html


def test_a_move_that_leaves_the_scope_lands_in_the_inbox(world: World) -> None:
    report = routed(world, at_city(world))
    client = client_for(world.city_admin)
    response = client.post(_url("decline", report), _data(world, "decline", report), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workbench:inbox")
    assert "kini di luar cakupan Anda" in response.content.decode()
    assert fresh(report).queue_institution == world.province


def test_a_stale_form_gets_409_and_the_fresh_page(world: World) -> None:
    report = at_city(world)
    client = client_for(world.city_admin)
    client.get(reverse("workbench:route", args=[report.tracking_number]))
    services.hold_report(actor=world.province_admin, report=report, question="Sekolah mana?")
    response = client.post(_url("route", report), _data(world, "route", report))
    assert response.status_code == 409
    html = response.content.decode()
    assert "telah berubah sementara itu" in html and "Ditunda" in html
    assert fresh(report).state == State.ON_HOLD


def test_escalation_after_the_deadline_with_consent(world: World) -> None:
    report = routed(world, at_city(world), to=world.department)
    late = fresh(report).completion_due_at + timedelta(days=1)
    with clock.at(late):
        services.consent_to_ombudsman(actor=world.reporter, report=report)
        page = client_for(world.city_admin).get(
            reverse("workbench:report", args=[report.tracking_number])
        )
        assert "Pelapor telah menyetujui." in page.content.decode()
        response = client_for(world.city_admin).post(
            _url("escalate", report), {"escalate-note": "Lewat 60 hari."}
        )
    assert response.status_code == OK
    assert fresh(report).state == State.ESCALATED


# --- input errors: 400 on the re-rendered form, nothing written -----------------------------


def test_class_that_does_not_fit_the_type_is_a_field_error(world: World) -> None:
    report = at_city(world)
    before = snapshot(report)
    data = {**_data(world, "route", report), "route-resolution_class": "short"}
    response = client_for(world.city_admin).post(_url("route", report), data)
    assert response.status_code == 400
    form = response.context["moves"][0].form
    assert "resolution_class" in form.errors
    assert "14 atau 60 hari kerja" in response.content.decode()
    assert snapshot(report) == before


def test_missing_required_text_is_a_field_error(world: World) -> None:
    report = at_city(world)
    before = snapshot(report)
    response = client_for(world.city_admin).post(_url("hold", report), {"hold-question": "  "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert snapshot(report) == before


def test_duplicate_needs_an_original_that_exists(world: World) -> None:
    report = at_city(world)
    original = at_city(world, title="Laporan asli tentang pungutan")
    client = client_for(world.city_admin)
    before = snapshot(report)
    response = client.post(_url("archive", report), {"archive-reason_code": "duplicate"})
    assert response.status_code == 400
    assert "Pilih laporan asli" in response.content.decode()
    response = client.post(
        _url("archive", report),
        {"archive-reason_code": "duplicate", "archive-duplicate_of": "26-0000-0000"},
    )
    assert response.status_code == 400
    assert "tidak ditemukan" in response.content.decode()
    assert snapshot(report) == before
    typed = original.tracking_number.replace("-", " ").lower()
    response = client.post(
        _url("archive", report),
        {"archive-reason_code": "duplicate", "archive-duplicate_of": typed},
    )
    assert response.status_code == OK
    archived = fresh(report)
    assert archived.state == State.ARCHIVED and archived.duplicate_of == original


def test_extension_beyond_the_policy_is_a_field_error(world: World) -> None:
    report = routed(world, at_city(world))
    before = snapshot(report)
    data = {"extend-days": "30", "extend-reason": "Pemeriksaan lapangan."}
    response = client_for(world.city_admin).post(_url("extend", report), data)
    assert response.status_code == 400
    assert "melebihi batas kebijakan" in response.content.decode()
    assert snapshot(report) == before


def test_routing_outside_the_admins_subtree_is_refused(world: World) -> None:
    report = at_city(world)
    before = snapshot(report)
    data = {**_data(world, "route", report), "route-institution": world.other_city.pk}
    response = client_for(world.city_admin).post(_url("route", report), data)
    assert response.status_code == 403
    assert "di luar wilayah kewenangan" in response.content.decode()
    assert snapshot(report) == before


def test_forwarding_sideways_is_refused(world: World) -> None:
    report = routed(world, at_city(world))
    before = snapshot(report)
    data = {"forward-institution": world.other_department.pk}
    response = client_for(world.province_admin).post(_url("forward", report), data)
    assert response.status_code == 403
    assert snapshot(report) == before


def test_follow_up_internal_note_and_answer_with_attachments(world: World) -> None:
    report = routed(world, at_city(world), to=world.department)
    client = client_for(world.officer)
    response = client.post(
        _url("follow_up", report),
        {"follow_up-message": "Cek ke sekolah besok.", "follow_up-visibility": "internal"},
    )
    assert response.status_code == OK
    note = fresh(report).events.last()
    assert note.action == "follow_up" and note.is_public is False
    files = [
        SimpleUploadedFile("surat-1.png", png_bytes("red"), content_type="image/png"),
        SimpleUploadedFile("surat-2.png", png_bytes("blue"), content_type="image/png"),
    ]
    response = client.post(
        _url("answer", report),
        {"answer-message": "Pungutan dihentikan.", "answer-attachments": files},
    )
    assert response.status_code == OK
    answered = fresh(report)
    assert answered.state == State.ANSWERED
    assert sorted(a.name for a in answered.events.last().attachments.all()) == [
        "surat-1.png",
        "surat-2.png",
    ]


def test_a_bad_upload_is_a_field_error(world: World) -> None:
    report = routed(world, at_city(world), to=world.department)
    before = snapshot(report)
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(world.officer).post(
        _url("answer", report), {"answer-message": "Jawaban.", "answer-attachments": [bad]}
    )
    assert response.status_code == 400
    assert "virus.exe" in response.context["moves"][1].form.errors["attachments"][0]
    assert snapshot(report) == before


def test_get_on_a_move_url_is_not_allowed(world: World) -> None:
    report = at_city(world)
    assert client_for(world.city_admin).get(_url("hold", report)).status_code == 405


def test_posts_without_a_csrf_token_are_refused(world: World) -> None:
    report = at_city(world)
    client = client_for(world.city_admin)
    client.handler.enforce_csrf_checks = True
    before = snapshot(report)
    response = client.post(_url("hold", report), _data(world, "hold", report))
    assert response.status_code == 403
    assert snapshot(report) == before
    page = client.get(reverse("workbench:route", args=[report.tracking_number]))
    token = page.context["csrf_token"]
    data = {**_data(world, "hold", report), "csrfmiddlewaretoken": str(token)}
    assert client.post(_url("hold", report), data).status_code == OK
