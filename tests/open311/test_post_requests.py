"""POST requests: form-encoded, api_key required, mapped onto submit_report (channel open311)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lapor.channels.models import Open311Client, Open311Request
from lapor.reports.models import Channel, Report, ReportEvent, State
from tests.open311.spec import POST_RESPONSE_FIELDS, child_names, parse_xml, text_of

pytestmark = pytest.mark.django_db

FORM = {
    "service_code": "INFRA-JALAN",
    "lat": "-0.502106",
    "long": "117.153709",
    "address_string": "Jl. Juanda No. 5, Samarinda",
    "email": "warga@contoh.id",
    "first_name": "Siti",
    "last_name": "Rahmawati",
    "phone": "081234567890",
    "description": "Lubang besar di tengah jalan sudah sebulan, membahayakan pengendara motor.",
    "device_id": "tt222111",
    "account_id": "123456",
    "media_url": "https://contoh.id/foto/lubang.jpg",
}


def post(client, fmt="xml", **fields):  # type: ignore[no-untyped-def]
    return client.post(f"/open311/v2/requests.{fmt}", fields)


def test_post_creates_a_report_and_answers_in_the_spec_shape(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    response = post(client, api_key=api_key, **FORM)
    assert response.status_code == 201, response.content
    root = parse_xml(response.content)
    assert root.tag == "service_requests" and child_names(root) == ["request"]
    request = root[0]
    assert child_names(request) == POST_RESPONSE_FIELDS
    number = text_of(request, "service_request_id")
    assert text_of(request, "account_id") == "123456"
    assert number in text_of(request, "service_notice")
    report = Report.objects.get(tracking_number=number)
    assert report.channel == Channel.OPEN311
    assert report.state == State.AWAITING_VERIFICATION
    assert report.category == roads
    assert report.report_type == "pengaduan"
    assert report.title == "Lubang besar di tengah jalan sudah sebulan, membahayakan…"
    assert report.body == FORM["description"]
    assert report.latitude == Decimal("-0.502106") and report.longitude == Decimal("117.153709")
    assert report.address == FORM["address_string"]
    assert report.contact_email == "warga@contoh.id"
    assert report.contact_phone == "081234567890"
    assert report.contact_name == "Siti Rahmawati"
    assert report.reporter is None
    event = ReportEvent.objects.get(report=report, action="submit")
    assert event.actor_role == "channel" and event.data["actor"] == "channel:open311"
    extra = Open311Request.objects.get(report=report)
    assert extra.media_url == FORM["media_url"]
    assert extra.device_id == "tt222111" and extra.account_id == "123456"
    assert Open311Client.objects.get().last_used_at is not None


def test_post_json_answer_is_an_array(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    data = post(client, "json", api_key=api_key, **FORM).json()
    assert isinstance(data, list) and list(data[0]) == POST_RESPONSE_FIELDS
    assert Report.objects.filter(tracking_number=data[0]["service_request_id"]).exists()


@pytest.mark.parametrize("key", [None, "", "o311_wrong-key"])
def test_post_without_a_valid_api_key_is_403_and_stores_nothing(client, roads, key) -> None:  # type: ignore[no-untyped-def]
    fields = dict(FORM)
    if key is not None:
        fields["api_key"] = key
    response = post(client, "json", **fields)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert "api_key" in response.json()[0]["description"]
    assert not Report.objects.exists()


def test_a_revoked_key_is_refused(client, roads) -> None:  # type: ignore[no-untyped-def]
    app, key = Open311Client.issue("Lama")
    Open311Client.objects.filter(pk=app.pk).update(is_active=False)
    assert post(client, api_key=key, **FORM).status_code == 403


def test_service_code_missing_is_400_and_unknown_is_404(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in FORM.items() if k != "service_code"}
    assert post(client, "json", api_key=api_key, **fields).status_code == 400
    response = post(client, "json", api_key=api_key, **{**FORM, "service_code": "NOPE"})
    assert response.status_code == 404
    root = parse_xml(post(client, "xml", api_key=api_key, **{**FORM, "service_code": "X"}).content)
    assert root.tag == "errors" and child_names(root[0]) == ["code", "description"]
    assert not Report.objects.exists()


def test_location_by_address_string_only(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in FORM.items() if k not in ("lat", "long")}
    response = post(client, "json", api_key=api_key, **fields)
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.latitude is None and report.address == FORM["address_string"]


def test_a_request_without_location_is_accepted_as_our_extension(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in FORM.items() if k not in ("lat", "long", "address_string")}
    assert post(client, "json", api_key=api_key, **fields).status_code == 201


def test_lat_without_long_is_400(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in FORM.items() if k != "long"}
    response = post(client, "json", api_key=api_key, **fields)
    assert response.status_code == 400
    assert "lat" in response.json()[0]["description"]


def test_coordinates_outside_indonesia_are_400(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "json", api_key=api_key, **{**FORM, "lat": "37.76", "long": "-122.42"})
    assert response.status_code == 400
    assert "Indonesia" in response.json()[0]["description"]
    assert not Report.objects.exists()


def test_address_id_is_a_kemendagri_region_code(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    assert post(client, "json", api_key=api_key, **FORM, address_id="64.72").status_code == 201
    report = Report.objects.get()
    assert report.regency is not None and report.regency.code == "64.72"
    assert report.province is not None and report.province.code == "64"
    response = post(client, "json", api_key=api_key, **FORM, address_id="99.99")
    assert response.status_code == 400


def test_attributes_set_type_title_date_region_and_flags(client, api_key, roads, world) -> None:  # type: ignore[no-untyped-def]
    response = post(
        client,
        "json",
        api_key=api_key,
        **FORM,
        **{
            "attribute[report_type]": "aspirasi",
            "attribute[title]": "Usul perbaikan jalan",
            "attribute[incident_date]": "2026-01-05",
            "attribute[regency]": "64.72",
            "attribute[institution]": world.city.code,
            "attribute[anonymous]": "true",
            "attribute[confidential]": "true",
        },
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.report_type == "aspirasi"
    assert report.title == "Usul perbaikan jalan"
    assert str(report.incident_date) == "2026-01-05"
    assert report.regency is not None and report.regency.code == "64.72"
    assert report.suggested_institution == world.city
    assert report.queue_institution == world.city
    assert report.is_anonymous and report.is_confidential


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("attribute[report_type]", "keluhan"),
        ("attribute[anonymous]", "maybe"),
        ("attribute[warna]", "merah"),
        ("attribute[incident_date]", "kemarin"),
        ("attribute[institution]", "TIDAK-ADA"),
    ],
)
def test_bad_attributes_are_400(client, api_key, roads, key, value) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "json", api_key=api_key, **FORM, **{key: value})
    assert response.status_code == 400, response.content
    assert not Report.objects.exists()


def test_description_is_required_by_us(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in FORM.items() if k != "description"}
    response = post(client, "json", api_key=api_key, **fields)
    assert response.status_code == 400
    assert "description" in response.json()[0]["description"]


def test_invalid_email_is_a_400_naming_the_field(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "json", api_key=api_key, **{**FORM, "email": "bukan-surel"})
    assert response.status_code == 400
    assert "surel" in response.json()[0]["description"].lower()


def test_without_email_or_phone_the_system_submits(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in FORM.items() if k not in ("email", "phone")}
    assert post(client, "json", api_key=api_key, **fields).status_code == 201
    event = ReportEvent.objects.get(action="submit")
    assert event.actor_role == "channel" and event.data["actor"] == "open311"


def test_institution_client_sends_to_its_institution_queue(client, roads, world) -> None:  # type: ignore[no-untyped-def]
    _, key = Open311Client.issue("Aplikasi Pemkot", world.city)
    assert post(client, "json", api_key=key, **FORM).status_code == 201
    assert Report.objects.get().queue_institution == world.city


def test_idempotency_key_replays_the_first_request(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    first = client.post(
        "/open311/v2/requests.json", {**FORM, "api_key": api_key}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = client.post(
        "/open311/v2/requests.json", {**FORM, "api_key": api_key}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Report.objects.count() == 1 and Open311Request.objects.count() == 1


def test_jurisdiction_id_other_than_ours_is_404(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "json", api_key=api_key, jurisdiction_id="sfgov.org", **FORM)
    assert response.status_code == 404
    ok = post(client, "json", api_key=api_key, jurisdiction_id="lapor.go.id", **FORM)
    assert ok.status_code == 201


def test_bad_media_url_is_400(client, api_key, roads) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "json", api_key=api_key, **{**FORM, "media_url": "javascript:x"})
    assert response.status_code == 400
