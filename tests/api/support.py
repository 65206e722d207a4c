"""Shared helpers of the REST API tests: tokens for the personas and a small JSON client.

Import the fixtures into a test module with ``from tests.api.support import *  # noqa``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.test.client import MULTIPART_CONTENT
from PIL import Image

from lapor.accounts.models import Role, User
from lapor.api.auth import issue_token
from lapor.api.models import ApiToken
from lapor.institutions.models import Institution
from lapor.reports import services
from lapor.reports.actors import GuestActor
from lapor.reports.models import Report
from tests.factories import World, build_world, fresh, submit

REPORTS = "/api/v1/reports"


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "report_type": "pengaduan",
        "title": "Pungutan liar di sekolah dasar",
        "body": "Kepala sekolah meminta uang seragam Rp 500.000 kepada setiap wali murid.",
        "province": "64",
        "regency": "64.72",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


class Api:
    """A test client speaking JSON with one bearer token (or none)."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(path, params or {}, headers=self.headers(headers))

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        data = "" if body is None else json.dumps(body)
        return self.client.post(
            path, data, content_type="application/json", headers=self.headers(headers)
        )

    def upload(self, path: str, data: dict[str, Any], **headers: str) -> Any:
        return self.client.post(
            path, data, content_type=MULTIPART_CONTENT, headers=self.headers(headers)
        )

    def submit(self, **overrides: Any) -> dict[str, Any]:
        response = self.post(REPORTS, report_body(**overrides))
        assert response.status_code == 201, response.content
        return response.json()  # type: ignore[no-any-return]


@dataclass
class Tokens:
    """Raw tokens: integrations of the city and of the other city, and personal ones."""

    city: str
    other_city: str
    ministry: str
    reporter: str
    citizen: str
    national_admin: str
    city_admin: str
    officer: str
    auditor: str


def user_token(user: User) -> str:
    return issue_token(name=f"token {user.username}", user=user)[1]


def integration_token(institution: Institution, role: str = Role.INSTITUTION_ADMIN) -> str:
    return issue_token(name=f"app {institution.name}", institution=institution, role=role)[1]


def token_row(raw: str) -> ApiToken:
    return ApiToken.objects.get(prefix=raw.split("_")[1])


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def w(db: None) -> World:
    return build_world()


@pytest.fixture
def tokens(w: World) -> Tokens:
    return Tokens(
        city=integration_token(w.city),
        other_city=integration_token(w.other_city),
        ministry=integration_token(w.ministry),
        reporter=user_token(w.reporter),
        citizen=user_token(w.citizen),
        national_admin=user_token(w.national_admin),
        city_admin=user_token(w.city_admin),
        officer=user_token(w.officer),
        auditor=user_token(w.auditor),
    )


def fetch(tracking: str) -> Report:
    return Report.objects.get(tracking_number=tracking)


def routed(w: World, **overrides: Any) -> tuple[Report, User | GuestActor]:
    """A report submitted by the reporter, verified and routed to the city now."""
    overrides.setdefault("suggested_institution_id", w.city.pk)
    report, reporter = submit(w, **overrides)
    w.route(report)
    return fresh(report), reporter


def in_progress(w: World, **overrides: Any) -> tuple[Report, User | GuestActor]:
    report, reporter = routed(w, **overrides)
    services.post_follow_up(actor=w.city_admin, report=report, message="Sedang diperiksa.")
    return fresh(report), reporter


def answered(w: World, **overrides: Any) -> tuple[Report, User | GuestActor]:
    report, reporter = in_progress(w, **overrides)
    services.post_answer(actor=w.city_admin, report=report, message="Sudah dihentikan.")
    return fresh(report), reporter


def error_code(response: Any) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["message"]
    return str(body["error"]["code"])


__all__ = [
    "PNG",
    "REPORTS",
    "Api",
    "Tokens",
    "_fast_password_hashing",
    "_fresh_rate_limits",
    "answered",
    "error_code",
    "fetch",
    "in_progress",
    "integration_token",
    "report_body",
    "routed",
    "token_row",
    "tokens",
    "user_token",
    "w",
]
