"""Working-day calendar endpoints: /api/v1/calendar/due-date and /api/v1/calendar/holidays.

Query values are parsed by hand-written validators rather than pydantic's defaults: pydantic
would accept Unix timestamps as dates, Unicode digits as integers, and answer in English.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from annotated_types import Interval
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from lapor.api.errors import ApiError
from lapor.institutions.models import Region
from lapor.workdays.models import Holiday
from lapor.workdays.services import due_date as compute_due_date

router = Router(tags=["calendar"])

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_DAYS = 3650  # ten years of working days: far beyond any legal limit, bounds the work
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")
_PROVINCE = re.compile(r"[0-9]{2}")
_REGENCY = re.compile(r"[0-9]{2}(\.[0-9]{1,4})+")


def _invalid(kind: str, message: str) -> PydanticCustomError:
    # The message is already final text; escape braces so pydantic does not format it.
    return PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}"))


def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not _ISO_DATE.fullmatch(text):
        raise _invalid("date_format", _("Tanggal harus berformat YYYY-MM-DD, mis. 2026-03-18."))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise _invalid(
            "date_impossible", _("Tanggal %(value)s tidak ada di kalender.") % {"value": text}
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _invalid(
            "date_out_of_range",
            _("Tanggal harus antara tahun %(min)d dan %(max)d.")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return day


def _parse_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not _INTEGER.fullmatch(text):
        raise _invalid("integer", _("Harus berupa bilangan bulat, mis. 5."))
    return int(text)


def _parse_days(value: Any) -> int:
    days = _parse_int(value)
    if days < 0:
        raise _invalid("negative", _("Jumlah hari kerja tidak boleh negatif."))
    if days > MAX_DAYS:
        raise _invalid(
            "too_large", _("Jumlah hari kerja paling banyak %(max)d.") % {"max": MAX_DAYS}
        )
    return days


def _parse_year(value: Any) -> int:
    year = _parse_int(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _invalid(
            "year_out_of_range",
            _("Tahun harus antara %(min)d dan %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return year


IsoDate = Annotated[date, BeforeValidator(_parse_date)]
# The Interval only documents the range in OpenAPI; the BeforeValidator has already enforced it
# with a clearer message.
WorkingDays = Annotated[int, Interval(ge=0, le=MAX_DAYS), BeforeValidator(_parse_days)]
Year = Annotated[int, Interval(ge=MIN_YEAR, le=MAX_YEAR), BeforeValidator(_parse_year)]
PROVINCE_HELP = "Kode provinsi Kemendagri (dua digit, mis. 64) untuk menyertakan libur daerahnya."


def _resolve_province(code: str | None) -> str | None:
    """The validated province code, or None; ApiError 400 for anything that is not one."""
    if code is None or not code.strip():
        return None
    code = code.strip()
    if _REGENCY.fullmatch(code):
        message = _(
            "%(code)s adalah kode kabupaten/kota; gunakan kode provinsi, mis. %(province)s."
        ) % {"code": code, "province": code.split(".")[0]}
        raise ApiError(400, "not_a_province", message, {"province": [message]})
    # The format check comes first so that no arbitrary text (NUL bytes, megabytes) reaches SQL.
    if _PROVINCE.fullmatch(code):
        region = Region.objects.filter(code=code).values_list("level", flat=True).first()
        if region == Region.Level.PROVINCE:
            return code
    message = _("Kode provinsi tidak dikenal: %(code)s.") % {"code": code[:20]}
    raise ApiError(400, "unknown_province", message, {"province": [message]})


class DueDateOut(Schema):
    start: date
    days: int
    province: str | None
    due_date: date


class HolidayOut(Schema):
    date: date
    name: str
    kind: str


@router.get("/due-date", response=DueDateOut, summary="Tenggat dalam hari kerja")
def due_date(
    request: HttpRequest,
    start: Query[IsoDate],
    days: Query[WorkingDays],
    province: str | None = Query(None, description=PROVINCE_HELP, examples=["64"]),
) -> dict[str, Any]:
    """The `days`-th working day after `start` (the start day itself is never counted), skipping
    weekends, national holidays, cuti bersama and the province's regional holidays."""
    province_code = _resolve_province(province)
    try:
        result = compute_due_date(start, days, province_code)
    except ValueError:
        message = _("Tenggat jatuh di luar rentang kalender (tahun %(min)d–%(max)d).") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }
        raise ApiError(400, "out_of_range", message, {"days": [message]}) from None
    return {"start": start, "days": days, "province": province_code, "due_date": result}


@router.get("/holidays", response=list[HolidayOut], summary="Hari libur setahun")
def holidays(
    request: HttpRequest,
    year: Query[Year],
    province: str | None = Query(None, description=PROVINCE_HELP, examples=["64"]),
) -> list[dict[str, Any]]:
    """National holidays, cuti bersama and (with `province`) that province's regional
    holidays in `year`, sorted by date. Holidays removed by an admin are not listed."""
    province_code = _resolve_province(province)
    rows = (
        Holiday.objects.active()
        .for_province(province_code)
        .in_year(year)
        .order_by("date", "kind", "name")
        .values("date", "name", "kind")
    )
    return [dict(row) for row in rows]
