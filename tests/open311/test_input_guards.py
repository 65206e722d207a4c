"""Bad input is refused with a clear 400 (or 429) in the specification's error shape, never a
database error hidden behind a generic message: control characters, page bounds, dates out of
range, oversized id lists, non-finite coordinates, and the submission rate limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from lapor.channels.models import Open311Client
from lapor.reports.models import Report
from tests.open311.spec import ERROR_FIELDS, child_names, parse_xml
from tests.open311.test_post_requests import FORM

pytestmark = pytest.mark.django_db


def errors_of(response: Any, fmt: str) -> list[dict[str, str]]:
    """The error list in either format, as [{code, description}]."""
    if fmt == "json":
        data = response.json()
        assert all(list(e) == ERROR_FIELDS for e in data)
        return [{"code": str(e["code"]), "description": e["description"]} for e in data]
    root = parse_xml(response.content)
    assert root.tag == "errors" and set(child_names(root)) == {"error"}
    return [
        {"code": e.findtext("code") or "", "description": e.findtext("description") or ""}
        for e in root
    ]


def post(client: Client, fmt: str, **fields: str) -> Any:
    return client.post(f"/open311/v2/requests.{fmt}", fields)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "Jalan rusak\x00 parah sekali di depan pasar."),
        ("address_string", "Jl. Juanda\x00 5"),
        ("first_name", "Siti\x07"),
        ("attribute[title]", "Judul\x1b"),
        ("service_code", "INFRA-JALAN\x00"),
        ("device_id", "dev\x7f"),
    ],
)
def test_a_control_character_in_a_posted_field_is_a_400_naming_it(  # type: ignore[no-untyped-def]
    client, api_key, roads, fmt, field, value
) -> None:
    response = post(client, fmt, **{**FORM, "api_key": api_key, field: value})
    assert response.status_code == 400, response.content
    errors = errors_of(response, fmt)
    assert errors[0]["code"] == "400"
    assert field in errors[0]["description"]
    assert "Kesalahan layanan" not in errors[0]["description"]
    assert not Report.objects.exists()


def test_tabs_and_line_breaks_are_text_and_pass(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    description = "Baris pertama\r\nbaris kedua\tdengan tab, jalan berlubang di depan pasar."
    response = post(client, "json", **{**FORM, "api_key": api_key, "description": description})
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query",
    [
        "service_code=INFRA%00",
        "status=open%00",
        "start_date=2026-01-01%00",
        "service_request_id=26%00ABC",
    ],
)
def test_a_control_character_in_a_query_is_a_400(client, fmt, query) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/open311/v2/requests.{fmt}?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert name in errors_of(response, fmt)[0]["description"]


@pytest.mark.parametrize(
    "path", ["services/INFRA%00.json", "requests/26%00X.json", "tokens/a%00.json"]
)
def test_a_control_character_in_the_path_is_a_400(client, path) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/open311/v2/{path}")
    assert response.status_code == 400
    assert "karakter kendali" in response.json()[0]["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("page=99999999999999999999", "page"),
        ("page=1000001", "page"),
        ("page=0", "page"),
        ("page_size=1001", "page_size"),
        ("page_size=99999999999999999999", "page_size"),
        ("page=abc", "page"),
    ],
)
def test_page_and_page_size_are_bounded(client, world, fmt, query, named) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/open311/v2/requests.{fmt}?{query}")
    assert response.status_code == 400
    description = errors_of(response, fmt)[0]["description"]
    assert named in description and "Kesalahan layanan" not in description


def test_the_last_allowed_page_is_an_empty_list(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/requests.json?page=1000000&page_size=1000")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query",
    [
        "start_date=0001-01-01",
        "end_date=0001-01-01",
        "start_date=9999-12-31",
        "end_date=9999-12-31T23:59:59Z",
        "start_date=99999-01-01",
        "start_date=1899-12-31T23:00:00Z",
        "start_date=2026-01-01T00:00:00+99:00",
    ],
)
def test_dates_out_of_range_are_a_400(client, world, fmt, query) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/open311/v2/requests.{fmt}?{query}")
    assert response.status_code == 400
    description = errors_of(response, fmt)[0]["description"]
    assert query.split("=")[0] in description


def test_an_incident_date_out_of_range_is_a_400(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    fields = {**FORM, "api_key": api_key, "attribute[incident_date]": "0001-01-01"}
    response = post(client, "json", **fields)
    assert response.status_code == 400
    assert "incident_date" in response.json()[0]["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_more_ids_than_a_page_is_a_400(client, world, fmt) -> None:  # type: ignore[no-untyped-def]
    ids = ",".join(f"26-ABCD-{i:04d}" for i in range(1001))
    response = client.get(f"/open311/v2/requests.{fmt}", {"service_request_id": ids})
    assert response.status_code == 400
    assert "service_request_id" in errors_of(response, fmt)[0]["description"]
    thousand = ",".join(f"26-ABCD-{i:04d}" for i in range(1000))
    ok = client.get(f"/open311/v2/requests.{fmt}", {"service_request_id": thousand})
    assert ok.status_code == 200


def test_too_many_service_codes_is_a_400(client, world) -> None:  # type: ignore[no-untyped-def]
    codes = ",".join(f"C{i}" for i in range(201))
    response = client.get("/open311/v2/requests.json", {"service_code": codes})
    assert response.status_code == 400
    assert "service_code" in response.json()[0]["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("lat", "lon"), [("nan", "117.1"), ("-0.5", "inf"), ("1e999", "117"), ("-inf", "NaN")]
)
def test_non_finite_coordinates_are_a_400(client, api_key, roads, fmt, lat, lon) -> None:  # type: ignore[no-untyped-def]
    response = post(client, fmt, **{**FORM, "api_key": api_key, "lat": lat, "long": lon})
    assert response.status_code == 400, response.content
    description = " ".join(e["description"] for e in errors_of(response, fmt))
    assert "Koordinat" in description
    assert not Report.objects.exists()


# --- rate limits (our extension: the specification has no 429) --------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@override_settings(API_RATE_LIMIT_SUBMIT_PER_MINUTE=2, API_RATE_LIMIT_SUBMIT_PER_MINUTE_PER_IP=0)
def test_submissions_are_rate_limited_per_key_with_retry_after(client, api_key, roads, fmt) -> None:  # type: ignore[no-untyped-def]
    statuses = [post(client, fmt, **{**FORM, "api_key": api_key}).status_code for _ in range(2)]
    assert statuses == [201, 201]
    limited = post(client, fmt, **{**FORM, "api_key": api_key})
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    errors = errors_of(limited, fmt)
    assert errors[0]["code"] == "429" and "detik" in errors[0]["description"]
    assert Report.objects.count() == 2
    # Another client key has its own count.
    _, other_key = Open311Client.issue("Aplikasi lain")
    assert post(client, fmt, **{**FORM, "api_key": other_key}).status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
@override_settings(API_RATE_LIMIT_SUBMIT_PER_MINUTE=0, API_RATE_LIMIT_SUBMIT_PER_MINUTE_PER_IP=2)
def test_submissions_are_rate_limited_per_address(client, roads, fmt) -> None:  # type: ignore[no-untyped-def]
    keys = [Open311Client.issue(f"Klien {i}")[1] for i in range(3)]
    statuses = [post(client, fmt, **{**FORM, "api_key": key}).status_code for key in keys]
    assert statuses == [201, 201, 429]
    assert errors_of(post(client, fmt, **{**FORM, "api_key": keys[0]}), fmt)[0]["code"] == "429"
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert post(elsewhere, fmt, **{**FORM, "api_key": keys[2]}).status_code == 201


@override_settings(API_RATE_LIMIT_SUBMIT_PER_MINUTE=1)
def test_a_refused_key_is_not_counted(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        assert post(client, "json", **{**FORM, "api_key": "o311_wrong"}).status_code == 403
    assert post(client, "json", **{**FORM, "api_key": api_key}).status_code == 201
