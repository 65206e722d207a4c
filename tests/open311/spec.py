"""What the GeoReport v2 specification says each document holds, in its order.

Taken from the specification's response tables and XML examples
(http://wiki.open311.org/GeoReport_v2 and http://wiki.open311.org/Service_Discovery).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

DISCOVERY_FIELDS = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
DEFINITION_FIELDS = ["service_code", "attributes"]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
]
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
VALUE_FIELDS = ["key", "name"]
POST_RESPONSE_FIELDS = ["service_request_id", "service_notice", "account_id"]
TOKEN_FIELDS = ["service_request_id", "token"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
ERROR_FIELDS = ["code", "description"]

# W3C datetime with the required zone (Z or +HH:MM).
W3C_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def parse_xml(content: bytes) -> ET.Element:
    assert content.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), content[:60]
    return ET.fromstring(content)  # noqa: S314 (our own server's output, in a test)


def child_names(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def text_of(element: ET.Element, name: str) -> str:
    found = element.find(name)
    assert found is not None, f"<{name}> missing in <{element.tag}>"
    return found.text or ""
