"""The one error shape for every status, and the OpenAPI document and docs page."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client, override_settings

from lapor.api.api import api
from tests.api.support import *  # noqa: F403
from tests.api.support import REPORTS, Api, Tokens, error_code, report_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing", "/api/v1/", "/api/v1/reports/", "/api/v1/reports/x/y/z", "/api/v1/%00"],
)
def test_unknown_paths_answer_json_404(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert error_code(response) == "not_found"


def test_a_wrong_method_is_json_405_with_allow(tokens: Tokens) -> None:
    response = Client().delete(REPORTS, headers={"Authorization": f"Bearer {tokens.city}"})
    assert response.status_code == 405
    assert error_code(response) == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_a_body_over_the_limit_is_413_before_it_is_read(tokens: Tokens) -> None:
    with override_settings(API_MAX_BODY_BYTES=1000):
        response = Api(tokens.city).post(REPORTS, report_body(body="x" * 2000))
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_djangos_own_size_limit_is_413_too(tokens: Tokens) -> None:
    # Content-Length passes the API's limit, Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not.
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=500):
        response = Api(tokens.city).post(REPORTS, report_body(body="x" * 2000))
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_json_endpoint_refuses_other_content_types_with_415(
    tokens: Tokens, content_type: str
) -> None:
    response = Client().post(
        REPORTS,
        json.dumps(report_body()),
        content_type=content_type,
        headers={"Authorization": f"Bearer {tokens.city}"},
    )
    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


def test_broken_json_is_400(tokens: Tokens) -> None:
    response = Client().post(
        REPORTS,
        '{"title": ',
        content_type="application/json",
        headers={"Authorization": f"Bearer {tokens.city}"},
    )
    assert response.status_code == 400
    assert error_code(response) == "malformed_json"


@override_settings(API_RATE_LIMIT_SUBMIT_PER_MINUTE=2)
def test_submissions_are_rate_limited_per_token_with_retry_after(tokens: Tokens) -> None:
    api = Api(tokens.city)
    assert [api.post(REPORTS, report_body()).status_code for _ in range(2)] == [201, 201]
    limited = api.post(REPORTS, report_body())
    assert limited.status_code == 429
    assert error_code(limited) == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another token has its own count.
    assert Api(tokens.other_city).post(REPORTS, report_body()).status_code == 201


@override_settings(API_RATE_LIMIT_SUBMIT_PER_MINUTE=0, API_RATE_LIMIT_SUBMIT_PER_MINUTE_PER_IP=2)
def test_submissions_are_rate_limited_per_address(tokens: Tokens) -> None:
    statuses = [
        Api(token).post(REPORTS, report_body()).status_code
        for token in (tokens.city, tokens.other_city, tokens.ministry)
    ]
    assert statuses == [201, 201, 429]
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert Api(tokens.ministry, other_address).post(REPORTS, report_body()).status_code == 201


def test_the_openapi_document_describes_the_api(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    expected = {
        "/api/v1/reports": {"get", "post"},
        "/api/v1/reports/{tracking}": {"get"},
        "/api/v1/reports/{tracking}/timeline": {"get"},
        "/api/v1/reports/{tracking}/attachments": {"post"},
        "/api/v1/attachments/{attachment_id}": {"get"},
        "/api/v1/institutions": {"get"},
        "/api/v1/regions": {"get"},
        "/api/v1/categories": {"get"},
        "/api/v1/calendar/due-date": {"get"},
        "/api/v1/calendar/holidays": {"get"},
        "/api/v1/webhooks": {"get", "post"},
        "/api/v1/webhooks/events": {"get"},
        "/api/v1/webhooks/{subscription_id}": {"get", "patch", "delete"},
        "/api/v1/webhooks/{subscription_id}/resume": {"post"},
        "/api/v1/webhooks/{subscription_id}/deliveries": {"get"},
    }
    for action in (
        "route", "hold", "clarify", "archive", "decline", "forward", "follow-ups", "answer",
        "extend", "information", "reopen", "confirm", "rate", "ombudsman-consent", "escalate",
    ):  # fmt: skip
        expected[f"/api/v1/reports/{{tracking}}/{action}"] = {"post"}
    assert {p: set(m) for p, m in paths.items()} == expected
    create = paths["/api/v1/reports"]["post"]
    assert {"401", "409", "413", "415", "422", "429"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_the_docs_page_loads_nothing_from_outside(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert '"validatorUrl": null' in page
    assert "cdn" not in page.lower()


def test_unexpected_errors_are_500_in_the_shape_and_logged(
    tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lapor.api import reports

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(reports, "submit_report", broken)
    response = Api(tokens.city).post(REPORTS, report_body())
    assert response.status_code == 500
    assert error_code(response) == "server_error"
    assert api.urls_namespace == "api"
