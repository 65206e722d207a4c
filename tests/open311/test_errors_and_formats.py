"""The format comes from the extension; errors keep the specification's shape."""

from __future__ import annotations

import pytest

from tests.open311.spec import ERROR_FIELDS, XML_CONTENT_TYPE, child_names, parse_xml

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/open311/v2/services.csv", 400),
        ("/open311/v2/requests.html", 400),
        ("/open311/v2/nothing-here.xml", 404),
        ("/open311/v2/services/", 404),
    ],
)
def test_unknown_paths_and_formats_answer_in_the_error_shape(client, path, status) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"] == XML_CONTENT_TYPE
    root = parse_xml(response.content)
    assert root.tag == "errors" and child_names(root) == ["error"]
    assert child_names(root[0]) == ERROR_FIELDS
    assert root[0].findtext("code") == str(status)


def test_json_errors_are_an_array_of_code_and_description(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/missing.json")
    assert response.status_code == 404
    assert list(response.json()[0]) == ERROR_FIELDS


def test_wrong_method_is_a_400_with_allow(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/open311/v2/services.json")
    assert response.status_code == 400
    assert response["Allow"] == "GET"
    assert client.delete("/open311/v2/requests.json").status_code == 400


def test_foreign_jurisdiction_is_404_ours_or_none_is_fine(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/open311/v2/services.json?jurisdiction_id=sfgov.org").status_code == 404
    assert client.get("/open311/v2/services.json?jurisdiction_id=lapor.go.id").status_code == 200
    assert client.get("/open311/v2/services.json?jurisdiction_id=").status_code == 200


def test_the_root_serves_discovery_in_xml(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/open311/v2/")
    assert response.status_code == 200
    assert parse_xml(response.content).tag == "discovery"


def test_text_that_xml_cannot_carry_is_removed(client, world) -> None:  # type: ignore[no-untyped-def]
    from tests.open311.conftest import published

    published(world, body="Ada karakter kendali \x0b\x1b di sini, tetap terbaca.")
    response = client.get("/open311/v2/requests.xml")
    root = parse_xml(response.content)
    assert "tetap terbaca" in (root[0].findtext("description") or "")
