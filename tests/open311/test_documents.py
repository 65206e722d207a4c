"""Discovery, service list and service definitions, in XML and JSON, against the specification."""

from __future__ import annotations

import json

import pytest

from lapor.institutions.models import Category
from tests.open311.spec import (
    ATTRIBUTE_FIELDS,
    DATATYPES,
    DEFINITION_FIELDS,
    DISCOVERY_FIELDS,
    ENDPOINT_FIELDS,
    JSON_CONTENT_TYPE,
    SERVICE_FIELDS,
    VALUE_FIELDS,
    XML_CONTENT_TYPE,
    child_names,
    parse_xml,
    text_of,
)

pytestmark = pytest.mark.django_db


def test_discovery_xml_follows_the_service_discovery_specification(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/discovery.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == XML_CONTENT_TYPE
    root = parse_xml(response.content)
    assert root.tag == "discovery"
    assert child_names(root) == DISCOVERY_FIELDS
    endpoints = root.find("endpoints")
    assert endpoints is not None and child_names(endpoints) == ["endpoint"]
    endpoint = endpoints[0]
    assert child_names(endpoint) == ENDPOINT_FIELDS
    assert text_of(endpoint, "specification") == "http://wiki.open311.org/GeoReport_v2"
    assert text_of(endpoint, "url") == "http://testserver/open311/v2"
    assert text_of(endpoint, "type") in {"production", "test"}
    formats = endpoint.find("formats")
    assert formats is not None
    assert [f.text for f in formats.findall("format")] == ["text/xml", "application/json"]


def test_discovery_json_is_the_spark_mapping_of_the_xml(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/discovery.json")
    assert response["Content-Type"] == JSON_CONTENT_TYPE
    data = response.json()
    assert list(data) == DISCOVERY_FIELDS
    assert isinstance(data["endpoints"], list) and len(data["endpoints"]) == 1
    endpoint = data["endpoints"][0]
    assert list(endpoint) == ENDPOINT_FIELDS
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert data["changeset"] == endpoint["changeset"]


def test_service_list_has_every_active_category_with_its_group(client, world, roads) -> None:  # type: ignore[no-untyped-def]
    Category.objects.create(code="OLD", name="Kategori lama", is_active=False)
    root = parse_xml(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services"
    assert set(child_names(root)) == {"service"}
    by_code = {text_of(s, "service_code"): s for s in root}
    assert set(by_code) == {world.category.code, "INFRA", "INFRA-JALAN"}
    for element in root:
        assert child_names(element) == SERVICE_FIELDS
        assert text_of(element, "metadata") == "true"
        assert text_of(element, "type") == "realtime"
    child = by_code["INFRA-JALAN"]
    assert text_of(child, "service_name") == "Jalan rusak"
    assert text_of(child, "group") == "Infrastruktur"
    assert text_of(child, "description") == "Infrastruktur › Jalan rusak"
    assert text_of(child, "keywords") == "infrastruktur, jalan rusak"
    assert text_of(by_code["INFRA"], "group") == "Infrastruktur"


def test_service_list_json_is_an_array_of_objects_with_booleans(client, world, roads) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/open311/v2/services.json").json()
    assert isinstance(data, list) and len(data) == 3
    for service in data:
        assert list(service) == SERVICE_FIELDS
        assert service["metadata"] is True
        assert service["type"] == "realtime"
    xml_codes = [
        text_of(s, "service_code")
        for s in parse_xml(client.get("/open311/v2/services.xml").content)
    ]
    assert [s["service_code"] for s in data] == xml_codes


def test_service_definition_xml_lists_our_attributes(client, roads) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/services/INFRA-JALAN.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    assert root.tag == "service_definition"
    assert child_names(root) == DEFINITION_FIELDS
    assert text_of(root, "service_code") == "INFRA-JALAN"
    attributes = root.find("attributes")
    assert attributes is not None and set(child_names(attributes)) == {"attribute"}
    orders = []
    by_code = {}
    for attribute in attributes:
        names = child_names(attribute)
        assert names[: len(ATTRIBUTE_FIELDS)] == ATTRIBUTE_FIELDS
        datatype = text_of(attribute, "datatype")
        assert datatype in DATATYPES
        assert text_of(attribute, "variable") in {"true", "false"}
        assert text_of(attribute, "required") in {"true", "false"}
        if datatype.endswith("valuelist"):
            assert names == [*ATTRIBUTE_FIELDS, "values"]
            values = attribute.find("values")
            assert values is not None and len(values) > 0
            for value in values:
                assert value.tag == "value" and child_names(value) == VALUE_FIELDS
        else:
            assert names == ATTRIBUTE_FIELDS
        orders.append(int(text_of(attribute, "order")))
        by_code[text_of(attribute, "code")] = attribute
    assert orders == sorted(orders) and len(set(orders)) == len(orders) and min(orders) == 1
    report_type = by_code["report_type"]
    assert text_of(report_type, "datatype") == "singlevaluelist"
    keys = [v.findtext("key") for v in report_type.iter("value")]
    assert keys == ["pengaduan", "aspirasi", "informasi"]
    provinces = [v.findtext("key") for v in by_code["province"].iter("value")]
    assert "64" in provinces and "31" in provinces


def test_service_definition_json_matches_the_xml(client, roads) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/open311/v2/services/INFRA-JALAN.json").json()
    assert list(data) == DEFINITION_FIELDS
    first = data["attributes"][0]
    assert first["variable"] is True and first["required"] is False
    assert isinstance(first["order"], int)
    assert first["values"][0] == {"key": "pengaduan", "name": "Pengaduan"}
    title = next(a for a in data["attributes"] if a["code"] == "title")
    assert "values" not in title
    root = parse_xml(client.get("/open311/v2/services/INFRA-JALAN.xml").content)
    assert [a["code"] for a in data["attributes"]] == [
        a.findtext("code") for a in root.iter("attribute")
    ]


def test_unknown_or_inactive_service_code_is_a_404_in_the_spec_shape(client, world) -> None:  # type: ignore[no-untyped-def]
    Category.objects.create(code="OLD", name="Kategori lama", is_active=False)
    for code in ("NOPE", "OLD"):
        response = client.get(f"/open311/v2/services/{code}.json")
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404
        assert code in response.json()[0]["description"]


def test_json_bodies_are_utf8_not_escaped(client, world) -> None:  # type: ignore[no-untyped-def]
    Category.objects.create(code="SOS", name="Sosial › Bantuan")
    raw = client.get("/open311/v2/services.json").content
    assert "›".encode() in raw
    json.loads(raw)
