"""Fuzz every operation of the OpenAPI document with schemathesis, in-process (WSGI).

A bounded number of examples per operation (valid and invalid data, with an integration
token): no answer may be a server error, and every answer must conform to the document
(status code documented, content type, response body schema). Runs on SQLite and PostgreSQL
like every other test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from lapor.reports import services
from lapor.reports.models import Attachment
from tests.api.support import *  # noqa: F403
from tests.api.support import PNG, Tokens
from tests.factories import World, submit

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    # As Django's test client does: the WSGI handler must not close the connection that holds
    # the test's transaction when a request starts or finishes.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def live_report(w: World) -> tuple[str, int]:
    """A report in progress at the city (the fuzzing token's scope) with one file."""
    report, _reporter = submit(w, suggested_institution_id=w.city.pk)
    w.route(report)
    services.post_follow_up(
        actor=w.city_admin, report=report, message="Sedang diperiksa.", uploads=[("a.png", PNG)]
    )
    return report.tracking_number, Attachment.objects.get(report=report).pk


# Loaded at collection: the OpenAPI document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    phases=[Phase.generate],
)
@pytest.mark.django_db
def test_no_operation_fails_or_breaks_its_contract(
    case: Any, tokens: Tokens, live_report: tuple[str, int]
) -> None:
    # Path parameters point at a real report and file in the token's scope, so that bodies
    # reach the services instead of stopping at a 404.
    # (Only for valid data: an invalid path value must stay invalid.)
    tracking, attachment_id = live_report
    positive = case.meta is None or not case.meta.generation.mode.is_negative
    if positive and case.path_parameters and "tracking" in case.path_parameters:
        case.path_parameters["tracking"] = tracking
    if positive and case.path_parameters and "attachment_id" in case.path_parameters:
        case.path_parameters["attachment_id"] = attachment_id
    # identity: the WSGI transport does not undo GZipMiddleware's compression.
    headers = {"Authorization": f"Bearer {tokens.city}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
