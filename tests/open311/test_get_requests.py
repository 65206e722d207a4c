"""GET requests and GET requests/{id}, tokens: fields, filters, window, paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.channels.models import Open311Client, Open311Request
from lapor.lib import clock
from lapor.reports import services
from lapor.reports.models import Report
from tests.factories import World, aware, submit
from tests.open311.conftest import published
from tests.open311.spec import (
    REQUEST_FIELDS,
    TOKEN_FIELDS,
    W3C_RE,
    child_names,
    parse_xml,
    text_of,
)

pytestmark = pytest.mark.django_db


def test_a_public_request_has_every_field_in_the_spec_order(client, world: World, roads) -> None:  # type: ignore[no-untyped-def]
    report = published(
        world,
        roads,
        address="Jl. Juanda No. 5",
        latitude="-0.502106",
        longitude="117.153709",
    )
    root = parse_xml(client.get("/open311/v2/requests.xml").content)
    assert root.tag == "service_requests" and child_names(root) == ["request"]
    request = root[0]
    assert child_names(request) == REQUEST_FIELDS
    assert text_of(request, "service_request_id") == report.tracking_number
    assert text_of(request, "status") == "open"
    assert text_of(request, "status_notes") == "Didisposisikan"
    assert text_of(request, "service_code") == "INFRA-JALAN"
    assert text_of(request, "service_name") == "Jalan rusak"
    assert text_of(request, "agency_responsible") == "Pemerintah Kota Samarinda"
    assert text_of(request, "description").startswith("Pungutan liar di sekolah dasar\n\n")
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C_RE.match(text_of(request, name)), name
    assert text_of(request, "address") == "Jl. Juanda No. 5, Kota Samarinda, Kalimantan Timur"
    assert text_of(request, "address_id") == "64.72"
    assert text_of(request, "lat") == "-0.502106" and text_of(request, "long") == "117.153709"
    assert text_of(request, "service_notice") == "" and text_of(request, "media_url") == ""


def test_json_requests_have_numbers_nulls_and_the_same_fields(client, world: World, roads) -> None:  # type: ignore[no-untyped-def]
    published(world, roads, latitude="-0.5", longitude="117.15")
    published(world, roads)
    data = client.get("/open311/v2/requests.json").json()
    assert isinstance(data, list) and len(data) == 2
    for row in data:
        assert list(row) == REQUEST_FIELDS
        assert row["service_notice"] is None and row["zipcode"] is None
    located = next(r for r in data if r["lat"] is not None)
    assert located["lat"] == -0.5 and located["long"] == 117.15
    assert sum(r["lat"] is None for r in data) == 1


def test_expected_datetime_is_the_completion_deadline(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = published(world)
    row = client.get(f"/open311/v2/requests/{report.tracking_number}.json").json()[0]
    due = Report.objects.get(pk=report.pk).completion_due_at
    assert due is not None
    assert (
        row["expected_datetime"]
        == due.astimezone(timezone.get_default_timezone()).replace(microsecond=0).isoformat()
    )


def test_answered_then_finished_is_closed_with_its_closing_time(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report, reporter = submit(world)
    world.route(report, world.city)
    services.post_answer(actor=world.city_admin, report=report, message="Sudah ditangani.")
    row = client.get(f"/open311/v2/requests/{report.tracking_number}.json").json()[0]
    assert row["status"] == "open" and row["status_notes"] == "Dijawab"
    services.confirm_report(actor=reporter, report=report)
    row = client.get(f"/open311/v2/requests/{report.tracking_number}.json").json()[0]
    closed_at = Report.objects.get(pk=report.pk).closed_at
    assert closed_at is not None
    assert row["status"] == "closed" and row["status_notes"] == "Selesai"
    assert (
        row["updated_datetime"]
        == closed_at.astimezone(timezone.get_default_timezone()).replace(microsecond=0).isoformat()
    )
    assert row["expected_datetime"] is None


def test_filters_status_service_code_and_id_list(client, world: World, roads) -> None:  # type: ignore[no-untyped-def]
    road = published(world, roads)
    school = published(world)
    finished, reporter = submit(world)
    world.route(finished, world.city)
    services.post_answer(actor=world.city_admin, report=finished, message="Selesai.")
    services.confirm_report(actor=reporter, report=finished)

    def ids(query: str) -> set[str]:
        return {
            r["service_request_id"] for r in client.get(f"/open311/v2/requests.json?{query}").json()
        }

    assert ids("status=open") == {road.tracking_number, school.tracking_number}
    assert ids("status=closed") == {finished.tracking_number}
    assert ids("status=open,closed") == ids("")
    assert ids("service_code=INFRA-JALAN") == {road.tracking_number}
    assert ids(f"service_code=INFRA-JALAN,{world.category.code}&status=open") == {
        road.tracking_number,
        school.tracking_number,
    }
    # A list of ids overrides every other argument (and is read leniently: case, dashes).
    loose = school.tracking_number.lower().replace("-", "")
    assert ids(f"service_request_id={road.tracking_number},{loose}&status=closed") == {
        road.tracking_number,
        school.tracking_number,
    }


def test_default_window_is_the_last_90_days(client, world: World) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    with clock.at(now - timedelta(days=120)):
        old = published(world)
    recent = published(world)
    rows = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in rows] == [recent.tracking_number]
    start = (now - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = client.get(f"/open311/v2/requests.json?start_date={start}&end_date={end}").json()
    assert [r["service_request_id"] for r in rows] == [old.tracking_number]


def test_start_date_alone_opens_a_90_day_window(client, world: World) -> None:  # type: ignore[no-untyped-def]
    with clock.at(aware(2026, 1, 5, 10)):
        january = published(world)
    with clock.at(aware(2026, 6, 5, 10)):
        published(world)
    rows = client.get("/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B07:00").json()
    assert [r["service_request_id"] for r in rows] == [january.tracking_number]
    assert rows[0]["requested_datetime"] == "2026-01-05T10:00:00+07:00"


@pytest.mark.parametrize(
    "query",
    [
        "start_date=kemarin",
        "start_date=2026-01-01T00:00:00",  # no zone
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",  # > 90 days
        "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        "start_date=2026-02-30",
        "status=pending",
        "page=0",
        "page_size=1001",
        "page=x",
    ],
)
def test_bad_query_arguments_are_400(client, world: World, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400, query
    body = response.json()
    assert body[0]["code"] == 400 and body[0]["description"]


def test_page_and_page_size_extension(client, world: World) -> None:  # type: ignore[no-untyped-def]
    made = []
    for day in range(1, 6):
        with clock.at(aware(2026, 3, day, 10)):
            made.append(published(world).tracking_number)
    window = "start_date=2026-03-01T00:00:00Z&end_date=2026-03-31T00:00:00Z"
    newest_first = list(reversed(made))
    pages = [
        [
            r["service_request_id"]
            for r in client.get(f"/open311/v2/requests.json?{window}&page_size=2&page={p}").json()
        ]
        for p in (1, 2, 3, 4)
    ]
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:], []]


def test_at_most_1000_rows(client, world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lapor.api.open311 import queries

    monkeypatch.setattr(queries, "MAX_ROWS", 2)
    for _ in range(3):
        published(world)
    assert len(client.get("/open311/v2/requests.json").json()) == 2


def test_single_request_xml_and_unknown_id(client, world: World) -> None:  # type: ignore[no-untyped-def]
    report = published(world)
    root = parse_xml(client.get(f"/open311/v2/requests/{report.tracking_number}.xml").content)
    assert root.tag == "service_requests" and len(root) == 1
    assert child_names(root[0]) == REQUEST_FIELDS
    for missing in ("26-0000-0000", "bukan-nomor"):
        response = client.get(f"/open311/v2/requests/{missing}.xml")
        assert response.status_code == 404
        errors = parse_xml(response.content)
        assert errors.tag == "errors" and text_of(errors[0], "code") == "404"


def test_token_resolves_an_open311_request_once_public(client, world: World, roads) -> None:  # type: ignore[no-untyped-def]
    app, key = Open311Client.issue("Aplikasi")
    created = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "INFRA-JALAN", "description": "Jalan berlubang besar."},
    ).json()[0]
    number = created["service_request_id"]
    assert client.get(f"/open311/v2/tokens/{number}.json").status_code == 404
    world.route(Report.objects.get(tracking_number=number), world.city)
    data = client.get(f"/open311/v2/tokens/{number}.json").json()
    assert data == [{"service_request_id": number, "token": number}]
    root = parse_xml(client.get(f"/open311/v2/tokens/{number}.xml").content)
    assert child_names(root[0]) == TOKEN_FIELDS
    # A public report that did not come through Open311 has no token.
    web = published(world)
    assert client.get(f"/open311/v2/tokens/{web.tracking_number}.json").status_code == 404
    assert Open311Request.objects.filter(client=app).count() == 1


def test_reads_allow_cross_origin_clients(client, world: World) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/open311/v2/requests.json")["Access-Control-Allow-Origin"] == "*"
