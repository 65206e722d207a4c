"""GET /api/v1/calendar/due-date and /api/v1/calendar/holidays, successes and every error."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja.errors import HttpError

from lapor.api.api import api
from lapor.api.errors import ApiError
from lapor.institutions.models import Region
from lapor.reports.errors import NotAllowed
from lapor.workdays.models import Holiday
from lapor.workdays.services import add_holiday, remove_holiday, seed_holidays

pytestmark = pytest.mark.django_db

DUE = "/api/v1/calendar/due-date"
HOLIDAYS = "/api/v1/calendar/holidays"


@pytest.fixture
def calendar_2026(kaltim: Region, kalsel: Region) -> None:
    seed_holidays([2026])
    add_holiday(
        actor=None,
        date=date(2026, 3, 25),
        name="Libur daerah Kaltim (uji)",
        kind=Holiday.Kind.REGIONAL,
        province=kaltim,
    )
    add_holiday(
        actor=None,
        date=date(2026, 3, 26),
        name="Libur daerah Kalsel (uji)",
        kind=Holiday.Kind.REGIONAL,
        province=kalsel,
    )


def error(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def invalid(**fields: str) -> dict[str, Any]:
    return error("invalid_input", "Masukan tidak valid.", {k: [v] for k, v in fields.items()})


# --- due-date ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("calendar_2026")
def test_due_date_nationally(client: Client) -> None:
    response = client.get(DUE, {"start": "2026-03-18", "days": "5"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "start": "2026-03-18",
        "days": 5,
        "province": None,
        "due_date": "2026-03-31",
    }


@pytest.mark.usefixtures("calendar_2026")
def test_due_date_with_a_provinces_regional_holidays(client: Client) -> None:
    response = client.get(DUE, {"start": "2026-03-18", "days": "5", "province": "64"})
    assert response.json() == {
        "start": "2026-03-18",
        "days": 5,
        "province": "64",
        "due_date": "2026-04-01",  # 25 March is off in Kaltim
    }
    other = client.get(DUE, {"start": "2026-03-18", "days": "5", "province": "63"})
    assert other.json()["due_date"] == "2026-04-01"  # 26 March is off in Kalsel
    empty = client.get(DUE, {"start": "2026-03-18", "days": "5", "province": ""})
    assert empty.json()["province"] is None


@pytest.mark.usefixtures("calendar_2026")
def test_due_date_zero_days_is_the_start(client: Client) -> None:
    response = client.get(DUE, {"start": "2026-03-21", "days": "0"})
    assert response.json()["due_date"] == "2026-03-21"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"start": "2026-02-30", "days": "5"},
            invalid(start="Tanggal 2026-02-30 tidak ada di kalender."),
        ),
        (
            {"start": "18/03/2026", "days": "5"},
            invalid(start="Tanggal harus berformat YYYY-MM-DD, mis. 2026-03-18."),
        ),
        (
            {"start": "1700000000", "days": "5"},  # pydantic alone would take a Unix timestamp
            invalid(start="Tanggal harus berformat YYYY-MM-DD, mis. 2026-03-18."),
        ),
        (
            {"start": "1989-12-31", "days": "5"},
            invalid(start="Tanggal harus antara tahun 1990 dan 2100."),
        ),
        ({"days": "5"}, invalid(start="Wajib diisi.")),
        ({"start": "2026-03-18"}, invalid(days="Wajib diisi.")),
        (
            {"start": "2026-03-18", "days": "-1"},
            invalid(days="Jumlah hari kerja tidak boleh negatif."),
        ),
        (
            {"start": "2026-03-18", "days": "1.5"},
            invalid(days="Harus berupa bilangan bulat, mis. 5."),
        ),
        (
            {"start": "2026-03-18", "days": "lima"},
            invalid(days="Harus berupa bilangan bulat, mis. 5."),
        ),
        (
            {"start": "2026-03-18", "days": "٥"},  # an Arabic-Indic digit: int() would accept it
            invalid(days="Harus berupa bilangan bulat, mis. 5."),
        ),
        (
            {"start": "2026-03-18", "days": "3651"},
            invalid(days="Jumlah hari kerja paling banyak 3650."),
        ),
        (
            {"start": "2026-03-18", "days": "9" * 5000},
            invalid(days="Harus berupa bilangan bulat, mis. 5."),
        ),
        (
            {"start": "x", "days": "y"},
            error(
                "invalid_input",
                "Masukan tidak valid.",
                {
                    "start": ["Tanggal harus berformat YYYY-MM-DD, mis. 2026-03-18."],
                    "days": ["Harus berupa bilangan bulat, mis. 5."],
                },
            ),
        ),
        (
            {"start": "2100-12-01", "days": "30"},
            error(
                "out_of_range",
                "Tenggat jatuh di luar rentang kalender (tahun 1990–2100).",
                {"days": ["Tenggat jatuh di luar rentang kalender (tahun 1990–2100)."]},
            ),
        ),
    ],
)
def test_due_date_rejects_bad_input(
    client: Client, params: dict[str, str], expected: dict[str, Any]
) -> None:
    response = client.get(DUE, params)
    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.usefixtures("calendar_2026")
@pytest.mark.parametrize("path", [DUE, HOLIDAYS])
def test_unknown_province_is_a_bad_request(client: Client, path: str) -> None:
    message = "Kode provinsi tidak dikenal: 99."
    response = client.get(
        path, {"start": "2026-03-18", "days": "5", "year": "2026", "province": "99"}
    )
    assert response.status_code == 400
    assert response.json() == error("unknown_province", message, {"province": [message]})
    response = client.get(
        path, {"start": "2026-03-18", "days": "5", "year": "2026", "province": "Kaltim"}
    )
    assert response.json()["error"]["code"] == "unknown_province"


@pytest.mark.usefixtures("calendar_2026", "samarinda")
@pytest.mark.parametrize("path", [DUE, HOLIDAYS])
def test_regency_code_where_a_province_is_expected(client: Client, path: str) -> None:
    message = "64.72 adalah kode kabupaten/kota; gunakan kode provinsi, mis. 64."
    response = client.get(
        path, {"start": "2026-03-18", "days": "5", "year": "2026", "province": "64.72"}
    )
    assert response.status_code == 400
    assert response.json() == error("not_a_province", message, {"province": [message]})


# --- holidays ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("calendar_2026")
def test_holidays_of_a_year_nationally(client: Client) -> None:
    response = client.get(HOLIDAYS, {"year": "2026"})
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 25
    assert body[0] == {"date": "2026-01-01", "name": "Tahun Baru Masehi", "kind": "national"}
    assert [row["date"] for row in body] == sorted(row["date"] for row in body)
    assert {row["kind"] for row in body} == {"national", "cuti_bersama"}
    march = [row for row in body if row["date"].startswith("2026-03")]
    assert [(row["date"], row["kind"]) for row in march] == [
        ("2026-03-18", "cuti_bersama"),
        ("2026-03-19", "national"),
        ("2026-03-20", "cuti_bersama"),
        ("2026-03-21", "national"),
        ("2026-03-22", "national"),
        ("2026-03-23", "cuti_bersama"),
        ("2026-03-24", "cuti_bersama"),
    ]


@pytest.mark.usefixtures("calendar_2026")
def test_holidays_include_only_that_provinces_regional_ones(client: Client) -> None:
    body = client.get(HOLIDAYS, {"year": "2026", "province": "64"}).json()
    regional = [row for row in body if row["kind"] == "regional"]
    assert regional == [
        {"date": "2026-03-25", "name": "Libur daerah Kaltim (uji)", "kind": "regional"}
    ]
    assert len(body) == 26


@pytest.mark.usefixtures("calendar_2026")
def test_removed_holidays_are_not_listed(client: Client) -> None:
    remove_holiday(actor=None, holiday=Holiday.objects.get(date=date(2026, 3, 20)))
    dates = [row["date"] for row in client.get(HOLIDAYS, {"year": "2026"}).json()]
    assert "2026-03-20" not in dates
    assert len(dates) == 24


def test_holidays_of_an_empty_year(client: Client) -> None:
    response = client.get(HOLIDAYS, {"year": "1990"})
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, invalid(year="Wajib diisi.")),
        ({"year": "1989"}, invalid(year="Tahun harus antara 1990 dan 2100.")),
        ({"year": "2101"}, invalid(year="Tahun harus antara 1990 dan 2100.")),
        ({"year": "dua ribu"}, invalid(year="Harus berupa bilangan bulat, mis. 5.")),
    ],
)
def test_holidays_reject_bad_input(
    client: Client, params: dict[str, str], expected: dict[str, Any]
) -> None:
    response = client.get(HOLIDAYS, params)
    assert response.status_code == 400
    assert response.json() == expected


# --- never a 500 ------------------------------------------------------------------------------

# Any text, including NUL bytes and non-Latin digits; sometimes the parameter is absent.
values = st.none() | st.text(max_size=30) | st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,3})?")
dates_or_text = values | st.dates().map(date.isoformat)


@pytest.mark.usefixtures("kaltim", "samarinda")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=dates_or_text, days=values, province=values, year=values)
def test_arbitrary_query_strings_never_cause_a_server_error(
    client: Client, start: str | None, days: str | None, province: str | None, year: str | None
) -> None:
    params = {"start": start, "days": days, "province": province, "year": year}
    query = {k: v for k, v in params.items() if v is not None}
    for path in (DUE, HOLIDAYS):
        response = client.get(path, query)
        assert response.status_code in {200, 400}, response.content
        body = response.json()
        if response.status_code == 400:
            assert set(body) == {"error"}
            assert set(body["error"]) == {"code", "message", "fields"}
            assert isinstance(body["error"]["message"], str) and body["error"]["message"]
            for messages in body["error"]["fields"].values():
                assert messages and all(isinstance(m, str) for m in messages)


# --- the error shape for other errors ---------------------------------------------------------


def test_openapi_documents_the_parameters(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Lapor API"
    params = {p["name"]: p for p in schema["paths"][DUE]["get"]["parameters"]}
    assert params["days"]["schema"]["maximum"] == 3650
    assert params["start"]["schema"]["format"] == "date"


@pytest.mark.parametrize(
    ("exc", "status", "body"),
    [
        (Http404("no such report"), 404, error("not_found", "Tidak ditemukan.")),
        (
            ApiError(409, "already_routed", "Sudah didisposisi.", {"institution": ["x"]}),
            409,
            error("already_routed", "Sudah didisposisi.", {"institution": ["x"]}),
        ),
        (
            HttpError(429, "Too many requests."),
            429,
            error("too_many_requests", "Too many requests."),
        ),
        (NotAllowed("Bukan wewenang Anda."), 403, error("not_allowed", "Bukan wewenang Anda.")),
        (
            DjangoValidationError({"name": ["Wajib diisi."]}),
            400,
            error("invalid_input", "Masukan tidak valid.", {"name": ["Wajib diisi."]}),
        ),
        (RuntimeError("bug"), 500, error("server_error", "Terjadi kesalahan di server.")),
    ],
)
def test_every_error_has_the_one_shape(
    rf: RequestFactory, exc: Exception, status: int, body: dict[str, Any]
) -> None:
    response = api.on_exception(rf.get("/api/v1/anything"), exc)
    assert response.status_code == status
    assert json.loads(response.content) == body
