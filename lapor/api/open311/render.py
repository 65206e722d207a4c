"""One document, two formats: GeoReport v2 XML, and JSON by the Spark convention (a container
of one repeated child kind is an array; an empty element is null), as the specification says
the JSON must be a programmatic mapping of the XML."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# Characters XML 1.0 cannot carry (a citizen's text may contain them): removed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class El:
    """An element: a leaf with a value, or a container of children. `array` marks a
    container whose children are one repeated element (a JSON array in Spark)."""

    name: str
    value: Any = None
    children: list[El] | None = None
    array: bool = False


def leaf(name: str, value: Any) -> El:
    return El(name, value)


def node(name: str, *children: El) -> El:
    return El(name, children=list(children))


def array(name: str, children: list[El]) -> El:
    return El(name, children=children, array=True)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _build(parent: ET.Element | None, el: El) -> ET.Element:
    element = ET.Element(el.name) if parent is None else ET.SubElement(parent, el.name)
    if el.children is None:
        element.text = _text(el.value)
    else:
        for child in el.children:
            _build(element, child)
    return element


def to_xml(root: El) -> bytes:
    body = ET.tostring(_build(None, root), encoding="unicode")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body.encode()


def _json_value(el: El) -> Any:
    if el.children is None:
        value = el.value
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return float(value)
        return value
    if el.array:
        return [_json_value(child) for child in el.children]
    return {child.name: _json_value(child) for child in el.children}


def to_json(root: El) -> bytes:
    return json.dumps(_json_value(root), ensure_ascii=False).encode()


def respond(root: El, fmt: str, status: int = 200) -> HttpResponse:
    content = to_json(root) if fmt == "json" else to_xml(root)
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])
    return response


@dataclass
class Open311Error(Exception):
    """An error answered in the specification's shape: <errors><error><code>, <description>."""

    status: int
    description: str
    extra: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def error_document(status: int, descriptions: list[str]) -> El:
    return array(
        "errors",
        [node("error", leaf("code", status), leaf("description", d)) for d in descriptions],
    )


def error_response(error: Open311Error, fmt: str) -> HttpResponse:
    descriptions = [error.description, *error.extra]
    response = respond(error_document(error.status, descriptions), fmt, error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response
