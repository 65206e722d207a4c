"""Helpers of the portal's view tests: filling the submit form as a browser would."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.test.client import MULTIPART_CONTENT

from lapor.reports.models import Report

_TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')


def html(response: Any) -> str:
    return response.content.decode()


def form_token(client: Client) -> str:
    response = client.get("/lapor/")
    assert response.status_code == 200
    match = _TOKEN_RE.search(html(response))
    assert match, "the submit form carries no token"
    return match.group(1)


def report_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "report_type": "pengaduan",
        "title": "Pungutan liar di sekolah dasar",
        "body": "Kepala sekolah meminta uang seragam Rp 500.000 kepada setiap wali murid.",
        "province": "64",
        "regency": "64.72",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_report(client: Client, token: str | None = None, **overrides: Any) -> Any:
    data = report_data(**overrides)
    data["token"] = token if token is not None else form_token(client)
    return client.post("/lapor/", data, content_type=MULTIPART_CONTENT)


def submitted_report(response: Any) -> Report:
    """The report a successful submission redirected to."""
    assert response.status_code == 302, html(response)[:2000]
    tracking = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return Report.objects.get(tracking_number=tracking)


def private_link(client: Client, report: Report) -> str:
    page = html(client.get(f"/lapor/terkirim/{report.tracking_number}/"))
    match = re.search(r'id="private-link" type="text" readonly value="([^"]+)"', page)
    assert match, "no private link on the result page"
    return match.group(1)


def open_as_guest(client: Client, report: Report, secret: str) -> None:
    """Follow the private link once, as the guest's browser does."""
    response = client.get(f"/lacak/{report.tracking_number}/", {"kunci": secret})
    assert response.status_code == 302, response.status_code
    assert response["Location"] == f"/lacak/{report.tracking_number}/"


def reporter_client(reporter: Any, report: Report) -> Client:
    """A browser acting as the report's reporter: logged in, or holding the guest secret."""
    from lapor.reports.actors import GuestActor

    client = Client()
    if isinstance(reporter, GuestActor):
        open_as_guest(client, report, reporter.secret)
    else:
        client.force_login(reporter)
    return client
