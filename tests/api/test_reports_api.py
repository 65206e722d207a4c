"""POST/GET /api/v1/reports, GET /api/v1/reports/{tracking} and its timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lapor.reports import services
from lapor.reports.models import Report
from tests.api.support import *  # noqa: F403
from tests.api.support import (
    REPORTS,
    Api,
    Tokens,
    error_code,
    fetch,
    in_progress,
    report_body,
    routed,
    user_token,
)
from tests.factories import World, submit

pytestmark = pytest.mark.django_db


# --- create ------------------------------------------------------------------------------------


def test_an_integration_submits_for_a_citizen_and_gets_the_secret_once(
    w: World, tokens: Tokens
) -> None:
    response = Api(tokens.city).post(
        REPORTS,
        report_body(
            suggested_institution=w.city.pk,
            contact_name="Siti Aminah",
            contact_phone="0812 3456 7890",
            category=w.category.pk,
            incident_date="2026-03-01",
            latitude=-0.5,
            longitude=117.15,
        ),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["created"] is True
    secret = created["guest_secret"]
    assert secret and len(secret) >= 20
    report = fetch(created["report"]["tracking_number"])
    assert report.channel == "api"
    assert report.reporter is None
    assert report.contact_phone == "081234567890"
    assert report.state == "awaiting_verification"
    assert report.category == w.category
    assert secret not in str(Report.objects.filter(pk=report.pk).values().get())
    assert created["report"]["view"] in {"staff", "reporter"}
    # The secret opens the report as its reporter, even for another caller.
    detail = Api(tokens.other_city).get(
        f"{REPORTS}/{report.tracking_number}", **{"X-Report-Secret": secret}
    )
    assert detail.status_code == 200
    assert detail.json()["view"] == "reporter"
    event = report.events.get()
    assert event.actor_role == "channel"
    assert event.data["actor"] == f"api:{created_prefix(tokens.city)}"


def created_prefix(raw: str) -> str:
    return raw.split("_")[1]


def test_the_web_channel_is_refused_for_tokens(tokens: Tokens) -> None:
    response = Api(tokens.city).post(REPORTS, report_body(channel="web"))
    assert response.status_code == 403
    assert error_code(response) == "not_allowed"
    assert not Report.objects.exists()


def test_a_user_token_must_name_its_channel_and_only_staff_take_in_offline_complaints(
    w: World, tokens: Tokens
) -> None:
    missing = Api(tokens.citizen).post(REPORTS, report_body())
    assert missing.status_code == 400
    assert "channel" in missing.json()["error"]["fields"]
    citizen = Api(tokens.citizen).post(REPORTS, report_body(channel="walk_in"))
    assert citizen.status_code == 403
    api_channel = Api(tokens.citizen).post(REPORTS, report_body(channel="api"))
    assert api_channel.status_code == 403
    letter = Api(tokens.city_admin).post(
        REPORTS, report_body(channel="letter", original_document="Surat No. 12/2026")
    )
    assert letter.status_code == 201, letter.content
    report = fetch(letter.json()["report"]["tracking_number"])
    assert report.intake_by == w.city_admin
    assert letter.json()["guest_secret"]


def test_an_integration_types_in_offline_complaints_as_its_service_account(
    w: World, tokens: Tokens
) -> None:
    response = Api(tokens.city).post(REPORTS, report_body(channel="phone"))
    assert response.status_code == 201, response.content
    report = fetch(response.json()["report"]["tracking_number"])
    assert report.intake_by is not None
    assert report.intake_by.username.startswith("integrasi-")


def test_schema_errors_are_422_and_domain_errors_are_400(w: World, tokens: Tokens) -> None:
    api = Api(tokens.city)
    schema = api.post(REPORTS, {"report_type": "keluhan", "title": 5, "extra": 1})
    assert schema.status_code == 422
    assert error_code(schema) == "invalid_body"
    fields = schema.json()["error"]["fields"]
    assert set(fields) >= {"report_type", "title", "body", "extra"}
    domain = api.post(REPORTS, report_body(title="abc"))
    assert domain.status_code == 400
    assert domain.json()["error"]["fields"] == {
        "title": ["Judul terlalu pendek (minimal 5 karakter)."]
    }
    unknown = api.post(REPORTS, report_body(category=999999))
    assert unknown.status_code == 400
    assert "category" in unknown.json()["error"]["fields"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": "a\x00b"},
        {"body": "teks \ud800 rusak"},
        {"incident_date": 1700000000},
        {"incident_date": "2026-02-30"},
        {"category": 2**70},
        {"category": True},
        {"latitude": "north"},
        {"is_anonymous": "maybe"},
        {"title": "x" * 201},
    ],
)
def test_bad_values_never_reach_the_database(tokens: Tokens, body: dict[str, Any]) -> None:
    response = Api(tokens.city).post(REPORTS, report_body(**body))
    assert response.status_code == 422, response.content
    assert not Report.objects.exists()


# --- list --------------------------------------------------------------------------------------


def _page(api: Api, **params: Any) -> dict[str, Any]:
    response = api.get(REPORTS, params)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_the_list_filters_by_state_type_institution_time_and_text(w: World, tokens: Tokens) -> None:
    handled, _r = in_progress(w, title="Jalan rusak di depan pasar")
    waiting, _r = submit(w, suggested_institution_id=w.city.pk, report_type="aspirasi")
    api = Api(tokens.city)
    every = {i["tracking_number"] for i in _page(api)["items"]}
    assert every == {handled.tracking_number, waiting.tracking_number}
    by_state = _page(api, state="in_progress")["items"]
    assert [i["tracking_number"] for i in by_state] == [handled.tracking_number]
    both = _page(api, state=["in_progress", "awaiting_verification"])["items"]
    assert len(both) == 2
    assert [i["tracking_number"] for i in _page(api, type="aspirasi")["items"]] == [
        waiting.tracking_number
    ]
    assert len(_page(api, institution=w.city.pk)["items"]) == 2
    assert _page(api, institution=w.other_city.pk)["items"] == []
    assert [i["tracking_number"] for i in _page(api, q="pasar")["items"]] == [
        handled.tracking_number
    ]
    assert [i["tracking_number"] for i in _page(api, q=waiting.tracking_number.lower())["items"]]
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert _page(api, updated_since=future)["items"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"state": "lost"}, "invalid_input"),
        ({"type": "keluhan"}, "invalid_input"),
        ({"limit": "0"}, "invalid_input"),
        ({"limit": "201"}, "invalid_input"),
        ({"updated_since": "2026-03-01T10:00:00"}, "invalid_input"),
        ({"updated_since": "1700000000"}, "invalid_input"),
        ({"institution": "999999"}, "unknown_institution"),
        ({"q": "081234567890"}, "q_personal_data"),
        ({"q": "siti@contoh.id"}, "q_personal_data"),
        ({"cursor": "garbage"}, "invalid_cursor"),
        ({"q": "a\x00"}, "invalid_input"),
    ],
)
def test_bad_list_parameters_are_400(tokens: Tokens, params: dict[str, str], code: str) -> None:
    response = Api(tokens.city).get(REPORTS, params)
    assert response.status_code == 400, response.content
    assert error_code(response) == code


def test_cursor_pagination_is_stable_under_inserts_and_changes(w: World, tokens: Tokens) -> None:
    first = [submit(w, suggested_institution_id=w.city.pk)[0] for _ in range(5)]
    api = Api(tokens.city)
    seen: list[str] = []
    page = _page(api, limit=2)
    seen += [i["tracking_number"] for i in page["items"]]
    # Between pages: new reports arrive and an already-seen one changes.
    later = [submit(w, suggested_institution_id=w.city.pk)[0] for _ in range(2)]
    services.hold_report(actor=w.city_admin, report=first[0], question="Di mana tepatnya?")
    while page["next_cursor"]:
        page = _page(api, limit=2, cursor=page["next_cursor"])
        seen += [i["tracking_number"] for i in page["items"]]
        assert len(page["items"]) <= 2
    expected = [r.tracking_number for r in first[1:]] + [r.tracking_number for r in later]
    assert seen[:2] == [first[0].tracking_number, first[1].tracking_number]
    # Nothing skipped, nothing repeated except the report that changed (it moved to the end).
    assert seen[2:] == [*expected[1:], first[0].tracking_number]


def test_a_cursor_only_works_with_its_filters(w: World, tokens: Tokens) -> None:
    for _ in range(3):
        submit(w, suggested_institution_id=w.city.pk)
    api = Api(tokens.city)
    cursor = _page(api, limit=1)["next_cursor"]
    assert cursor
    response = api.get(REPORTS, {"limit": 1, "cursor": cursor, "state": "on_hold"})
    assert response.status_code == 400
    assert error_code(response) == "cursor_mismatch"
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    assert error_code(api.get(REPORTS, {"cursor": tampered})) == "invalid_cursor"


def test_the_list_is_a_citizens_own_and_the_public_reports(w: World, tokens: Tokens) -> None:
    own, _r = submit(w, by=w.citizen)
    public, _r = routed(w)
    confidential, _r = routed(w, is_confidential=True)
    waiting, _r = submit(w)
    listed = {i["tracking_number"] for i in _page(Api(tokens.citizen))["items"]}
    assert listed == {own.tracking_number, public.tracking_number}
    assert confidential.tracking_number not in listed and waiting.tracking_number not in listed


# --- detail and timeline -------------------------------------------------------------------------


def test_detail_for_staff_has_everything_and_allowed_moves(w: World, tokens: Tokens) -> None:
    report, _r = routed(w, address="Jl. Merdeka 1", latitude="-0.5", longitude="117.15")
    response = Api(tokens.city).get(f"{REPORTS}/{report.tracking_number}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["view"] == "staff"
    assert detail["address"] == "Jl. Merdeka 1"
    assert detail["reporter_name"] == w.reporter.display_name()
    assert detail["queue_institution"]["id"] == w.city.pk
    assert detail["clock"]["stage"] == "completion"
    assert {"follow_up", "answer", "forward", "decline", "extend"} <= set(detail["allowed_actions"])


def test_detail_accepts_a_sloppily_typed_tracking_number(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)
    sloppy = report.tracking_number.lower().replace("-", " ")
    assert Api(tokens.city).get(f"{REPORTS}/{sloppy}").status_code == 200
    assert error_code(Api(tokens.city).get(f"{REPORTS}/26-XXXX-XXXX")) == "not_found"


def test_the_public_view_is_redacted(w: World) -> None:
    report, _r = routed(
        w, body="Hubungi saya di 081234567890, pungutan Rp 500.000 di SD.", address="Jl. A 1"
    )
    stranger = Api(user_token(w.citizen))
    detail = stranger.get(f"{REPORTS}/{report.tracking_number}").json()
    assert detail["view"] == "public"
    assert "081234567890" not in detail["body"]
    assert detail["address"] is None and detail["latitude"] is None
    assert detail["reporter_name"] != w.reporter.display_name()
    assert detail["satisfaction_rating"] is None


def test_the_timeline_shows_staff_everything_and_others_the_public_events(
    w: World, tokens: Tokens
) -> None:
    report, _r = routed(w)
    services.forward_report(actor=w.city_admin, report=report, institution=w.department)
    services.post_follow_up(
        actor=w.officer, report=report, message="Catatan internal", is_public=False
    )
    staff = Api(tokens.city).get(f"{REPORTS}/{report.tracking_number}/timeline").json()
    assert [e["action"] for e in staff] == ["submit", "route", "forward", "follow_up"]
    assert staff[2]["actor_name"] == w.city_admin.display_name()
    reporter = Api(tokens.reporter).get(f"{REPORTS}/{report.tracking_number}/timeline").json()
    assert [e["action"] for e in reporter] == ["submit", "route"]
    assert all(e["actor_name"] in (None, w.reporter.display_name()) for e in reporter)
    assert "clock_kept" not in reporter[1]["data"]
