"""Every lifecycle move through its action endpoint, and the errors the services raise."""

from __future__ import annotations

import pytest

from lapor.lib import clock
from lapor.reports import services
from tests.api.support import *  # noqa: F403
from tests.api.support import (
    REPORTS,
    Api,
    Tokens,
    answered,
    error_code,
    fetch,
    in_progress,
    routed,
    user_token,
)
from tests.factories import World, submit
from tests.reports.lifecycle import LATE, drive

pytestmark = pytest.mark.django_db


def move(api: Api, tracking: str, action: str, body: object = None, **headers: str) -> dict:  # type: ignore[type-arg]
    response = api.post(f"{REPORTS}/{tracking}/{action}", body, **headers)
    assert response.status_code == 200, (action, response.content)
    return response.json()  # type: ignore[no-any-return]


def test_an_integration_handles_a_report_from_routing_to_answer(w: World, tokens: Tokens) -> None:
    report, _reporter = submit(w, suggested_institution_id=w.city.pk)
    api = Api(tokens.city)
    number = report.tracking_number
    routed_ = move(
        api,
        number,
        "route",
        {
            "institution": w.city.pk,
            "report_type": "pengaduan",
            "resolution_class": "standard",
            "category": w.category.pk,
            "note": "Lengkap",
        },
    )
    assert routed_["state"] == "routed"
    assert routed_["event"]["action"] == "route"
    assert routed_["report"]["category"]["id"] == w.category.pk
    extended = move(api, number, "extend", {"days": 3, "reason": "Menunggu dinas"})
    assert extended["report"]["extension_days"] == 3
    forwarded = move(api, number, "forward", {"institution": w.department.pk, "note": "Tolong"})
    assert forwarded["report"]["queue_institution"]["id"] == w.department.pk
    followed = move(api, number, "follow-ups", {"message": "Sedang kami periksa."})
    assert followed["state"] == "in_progress"
    internal = move(api, number, "follow-ups", {"message": "Catatan", "is_public": False})
    assert internal["event"]["is_public"] is False
    answered_ = move(api, number, "answer", {"message": "Pungutan dihentikan."})
    assert answered_["state"] == "answered"
    assert fetch(number).state == "answered"


def test_the_reporter_confirms_and_rates_with_a_user_token(w: World, tokens: Tokens) -> None:
    report, _r = answered(w)
    api = Api(tokens.reporter)
    confirmed = move(api, report.tracking_number, "confirm", {"rating": 4, "comment": "Baik"})
    assert confirmed["state"] == "finished"
    assert confirmed["report"]["satisfaction_rating"] == 4
    again = api.post(f"{REPORTS}/{report.tracking_number}/rate", {"rating": 5})
    assert again.status_code == 409
    assert error_code(again) == "invalid_transition"


def test_the_reporter_rates_after_confirming_without_a_rating(w: World, tokens: Tokens) -> None:
    report, _r = answered(w)
    api = Api(tokens.reporter)
    move(api, report.tracking_number, "confirm")  # no body at all
    rated = move(api, report.tracking_number, "rate", {"rating": 5})
    assert rated["report"]["satisfaction_rating"] == 5


def test_a_guest_reporter_acts_through_the_secret(w: World, tokens: Tokens) -> None:
    created = Api(tokens.city).submit(suggested_institution=w.city.pk)
    number = created["report"]["tracking_number"]
    secret = {"X-Report-Secret": created["guest_secret"]}
    services.hold_report(actor=w.city_admin, report=fetch(number), question="Sekolah mana?")
    # Any token relays the citizen's moves once it holds the secret.
    relay = Api(tokens.other_city)
    clarified = move(relay, number, "clarify", {"message": "SD Negeri 001."}, **secret)
    assert clarified["state"] == "awaiting_verification"
    assert clarified["report"]["view"] == "reporter"
    w.route(fetch(number))
    info = move(relay, number, "information", {"message": "Ada kuitansinya."}, **secret)
    assert info["event"]["action"] == "add_information"
    services.post_answer(actor=w.city_admin, report=fetch(number), message="Selesai.")
    reopened = move(relay, number, "reopen", {"message": "Belum dikembalikan."}, **secret)
    assert reopened["state"] == "in_progress"
    wrong = relay.post(
        f"{REPORTS}/{number}/information", {"message": "x"}, **{"X-Report-Secret": "nope"}
    )
    assert wrong.status_code == 404


def test_hold_archive_and_decline(w: World, tokens: Tokens) -> None:
    api = Api(tokens.city)
    held, _r = submit(w, suggested_institution_id=w.city.pk)
    assert move(api, held.tracking_number, "hold", {"question": "Di mana?"})["state"] == "on_hold"

    original, _r = submit(w, suggested_institution_id=w.city.pk)
    duplicate, _r = submit(w, suggested_institution_id=w.city.pk)
    archived = move(
        api,
        duplicate.tracking_number,
        "archive",
        {"reason_code": "duplicate", "duplicate_of": original.tracking_number},
    )
    assert archived["report"]["duplicate_of"] == original.tracking_number
    unknown = api.post(
        f"{REPORTS}/{original.tracking_number}/archive",
        {"reason_code": "duplicate", "duplicate_of": "26-XXXX-XXXX"},
    )
    assert unknown.status_code == 400
    assert "duplicate_of" in unknown.json()["error"]["fields"]

    report, _r = routed(w)
    declined = move(api, report.tracking_number, "decline", {"reason": "Urusan provinsi."})
    assert declined["state"] == "awaiting_verification"
    # The report left the integration's subtree: no report in the answer, no more access.
    assert declined["report"] is None
    assert api.get(f"{REPORTS}/{report.tracking_number}").status_code == 404


def test_ombudsman_consent_and_escalation(w: World) -> None:
    report, _reporter = drive(w, "in_progress")
    number = report.tracking_number
    with clock.at(LATE):
        consent = Api(user_token(w.reporter)).post(f"{REPORTS}/{number}/ombudsman-consent")
        assert consent.status_code == 200, consent.content
        escalated = move(
            Api(user_token(w.national_admin)), number, "escalate", {"note": "Lewat tenggat"}
        )
    assert escalated["state"] == "escalated"


def test_escalation_before_the_deadline_is_a_conflict(w: World, tokens: Tokens) -> None:
    report, _r = in_progress(w)
    response = Api(tokens.national_admin).post(f"{REPORTS}/{report.tracking_number}/escalate")
    assert response.status_code == 409
    assert error_code(response) == "invalid_transition"


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("hold", {"question": "Di mana?"}),
        ("archive", {"reason_code": "spam"}),
        ("route", {"report_type": "pengaduan", "resolution_class": "standard"}),
    ],
)
def test_a_move_from_the_wrong_state_is_409(
    w: World, tokens: Tokens, action: str, body: dict[str, object]
) -> None:
    if action == "route":
        body = {**body, "institution": w.city.pk}
    report, _r = routed(w)
    response = Api(tokens.city).post(f"{REPORTS}/{report.tracking_number}/{action}", body)
    assert response.status_code == 409, response.content
    assert error_code(response) == "invalid_transition"


def test_a_move_the_caller_may_not_make_is_403(w: World, tokens: Tokens) -> None:
    report, _r = in_progress(w)
    # The reporter sees the report but may not answer it.
    response = Api(tokens.reporter).post(
        f"{REPORTS}/{report.tracking_number}/answer", {"message": "Sudah beres."}
    )
    assert response.status_code == 403
    assert error_code(response) == "not_allowed"
    # Read-only staff (auditor) neither.
    audit = Api(tokens.auditor).post(
        f"{REPORTS}/{report.tracking_number}/follow-ups", {"message": "Halo"}
    )
    assert audit.status_code == 403


def test_service_validation_errors_are_400_with_fields(w: World, tokens: Tokens) -> None:
    report, _r = routed(w)
    response = Api(tokens.city).post(
        f"{REPORTS}/{report.tracking_number}/extend", {"days": 200, "reason": "Lama"}
    )
    assert response.status_code == 400
    assert "days" in response.json()["error"]["fields"]
    blank = Api(tokens.city).post(
        f"{REPORTS}/{report.tracking_number}/follow-ups", {"message": "   "}
    )
    assert blank.status_code == 400
    assert "message" in blank.json()["error"]["fields"]


def test_bodies_that_break_the_schema_are_422(w: World, tokens: Tokens) -> None:
    report, _r = answered(w)
    url = f"{REPORTS}/{report.tracking_number}"
    api = Api(tokens.reporter)
    assert api.post(f"{url}/confirm", {"rating": 9}).status_code == 422
    assert api.post(f"{url}/rate", {}).status_code == 422
    assert api.post(f"{url}/ombudsman-consent", {"x": 1}).status_code == 422
    assert Api(tokens.city).post(f"{url}/extend", {"days": "many", "reason": "x"}).status_code == (
        422
    )
