"""Field types shared by the API's schemas: strict, bounded, and safe for both databases.

Pydantic's lax defaults would accept Unix timestamps as dates and answer in English; text must
never carry a NUL byte or a lone surrogate, which PostgreSQL refuses with a server error; ids
must fit a 64-bit column, which SQLite refuses with a server error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from annotated_types import Interval
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX_ID = 2**53  # JSON-safe and far inside a 64-bit column
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.,]+(Z|z|[+-][0-9:]+)?")
_UNSAFE_TEXT = re.compile(r"[\x00\ud800-\udfff]")


def invalid(kind: str, message: str) -> PydanticCustomError:
    # The message is final text; braces are escaped so pydantic does not format it.
    return PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}"))


def _safe_text(value: str) -> str:
    if _UNSAFE_TEXT.search(value):
        raise invalid("text_unsafe", _("Teks mengandung karakter yang tidak diizinkan."))
    return value


def _parse_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value).strip() if isinstance(value, str) else ""
    if not _ISO_DATE.fullmatch(text):
        raise invalid("date_format", _("Tanggal harus berformat YYYY-MM-DD, mis. 2026-03-18."))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise invalid("date_impossible", _("Tanggal ini tidak ada di kalender.")) from None
    if not 1900 <= day.year <= 2100:
        raise invalid("date_out_of_range", _("Tahun harus antara 1900 dan 2100."))
    return day


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    text = value.strip() if isinstance(value, str) else ""
    message = _("Waktu harus berformat ISO 8601 dengan zona waktu, mis. 2026-03-18T09:00:00+07:00.")
    if not _ISO_DATETIME.fullmatch(text):
        raise invalid("datetime_format", message)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid("datetime_format", message) from None
    if moment.tzinfo is None:
        raise invalid("datetime_naive", message)
    if not 1900 <= moment.year <= 2100:
        raise invalid("datetime_out_of_range", _("Tahun harus antara 1900 dan 2100."))
    return moment.astimezone(UTC)


def _strict_int(value: Any) -> Any:
    # JSON numbers only (booleans and numeric strings are refused); query strings are parsed
    # by Ninja as text, so their digits are accepted there.
    if isinstance(value, bool):
        raise invalid("int_type", _("Harus berupa bilangan bulat."))
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,19}", text):
            raise invalid("int_type", _("Harus berupa bilangan bulat."))
        return int(text)
    return value


Id = Annotated[int, Interval(ge=1, le=MAX_ID), BeforeValidator(_strict_int)]
IsoDate = Annotated[date, BeforeValidator(_parse_date)]
AwareDatetime = Annotated[datetime, BeforeValidator(_parse_datetime)]
SafeStr = Annotated[str, AfterValidator(_safe_text)]

# Text fields: at most N characters, no NUL byte or lone surrogate; "Required" ones non-empty.
Text8 = Annotated[str, Field(max_length=8), AfterValidator(_safe_text)]
Text30 = Annotated[str, Field(max_length=30), AfterValidator(_safe_text)]
Text40 = Annotated[str, Field(max_length=40), AfterValidator(_safe_text)]
Text200 = Annotated[str, Field(max_length=200), AfterValidator(_safe_text)]
Text254 = Annotated[str, Field(max_length=254), AfterValidator(_safe_text)]
Text255 = Annotated[str, Field(max_length=255), AfterValidator(_safe_text)]
Text4000 = Annotated[str, Field(max_length=4000), AfterValidator(_safe_text)]
RequiredText200 = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_safe_text)]
RequiredText4000 = Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_safe_text)]
RequiredText20000 = Annotated[
    str, Field(min_length=1, max_length=20000), AfterValidator(_safe_text)
]
