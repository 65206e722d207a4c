"""The REST API (Django Ninja) mounted at /api/v1/, and its one error shape.

Every error, including unexpected ones, answers `{"error": {"code", "message", "fields"}}`
(see lapor.api.errors), so clients parse a single format.
"""

from __future__ import annotations

import logging
from typing import Any, get_args

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic_core.core_schema import ErrorType

from lapor.api.calendar import router as calendar_router
from lapor.api.errors import ApiError, error_body
from lapor.reports.errors import DomainError

logger = logging.getLogger(__name__)

api = NinjaAPI(title="Lapor API", version="1", urls_namespace="api")

# Sources in an error's `loc` that are not part of the field name.
_LOCATIONS = frozenset({"query", "path", "body", "form", "file", "header", "cookie"})
_PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))
_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    429: "too_many_requests",
}


def _respond(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


def _field_message(error: dict[str, Any]) -> str:
    """Indonesian text for pydantic's common error types; our own validators' text as is."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind not in _PYDANTIC_ERROR_TYPES:  # a PydanticCustomError: its text is already ours
        return str(error.get("msg", _("Tidak valid.")))
    if kind == "missing":
        return _("Wajib diisi.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Harus berupa bilangan bulat.")
    if kind.startswith(("date_", "datetime_")):
        return _("Tanggal tidak valid; gunakan format YYYY-MM-DD.")
    if kind == "greater_than_equal":
        return _("Paling kecil %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Paling besar %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "string_too_long":
        return _("Terlalu panjang.")
    return str(error.get("msg", _("Tidak valid.")))


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in loc or () if str(p) not in _LOCATIONS]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc")), []).append(_field_message(error))
    return _respond(request, 400, "invalid_input", _("Masukan tidak valid."), fields)


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _respond(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    fields = getattr(exc, "fields", None)
    return _respond(request, exc.status, exc.code, exc.message, fields)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _respond(request, 400, "invalid_input", _("Masukan tidak valid."), fields)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, "not_found", _("Tidak ditemukan."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return _respond(request, exc.status_code, code, str(exc))


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with the traceback so error reporting still sees it; the client gets the shape.
    logger.exception("Unhandled API error on %s", request.path, exc_info=exc)
    return _respond(request, 500, "server_error", _("Terjadi kesalahan di server."))


api.add_router("/calendar", calendar_router)
