"""The REST API (Django Ninja) mounted at /api/v1/, and its one error shape.

Every error, including unexpected ones, answers `{"error": {"code", "message", "fields"}}`
(see lapor.api.errors), so clients parse a single format: also a 405, a path that matches no
operation, a body that is too large (413) or of the wrong type (415). docs/api.md lists them.

400 and 422: a request that cannot be used as sent is 400 (a bad query, path or header
parameter, as the calendar endpoints always answered; a body that is not JSON; a value the
domain refuses, such as an unknown category). A JSON body that parses but does not fit the
operation's schema (a missing or unknown field, a wrong type, a string too long) is 422
`invalid_body`: nothing was looked up or changed.
"""

from __future__ import annotations

import logging
from typing import Any, get_args

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic_core.core_schema import ErrorType

from lapor.api.actions import router as actions_router
from lapor.api.auth import Unauthorized
from lapor.api.base import LaporNinjaAPI
from lapor.api.calendar import router as calendar_router
from lapor.api.errors import ApiError, error_body
from lapor.api.files import router as files_router
from lapor.api.guard import guard
from lapor.api.idempotency import mark_executed
from lapor.api.ratelimit import RateLimited
from lapor.api.reference import router as reference_router
from lapor.api.reports import router as reports_router
from lapor.api.webhooks import router as webhooks_router
from lapor.reports.errors import DomainError

logger = logging.getLogger(__name__)

api = LaporNinjaAPI(title="Lapor API", version="1", urls_namespace="api")

# Sources in an error's `loc` that are not part of the field name.
_LOCATIONS = frozenset({"query", "path", "body", "form", "file", "header", "cookie"})
_PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))
_BODY_LOCATIONS = frozenset({"body", "form", "file"})
_HTTP_CODES = {
    400: "bad_request",
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
        return _("Terlalu panjang (maksimal %(limit)s karakter).") % {
            "limit": ctx.get("max_length")
        }
    if kind == "string_too_short":
        return _("Wajib diisi.")
    if kind == "literal_error":
        return _("Harus salah satu dari: %(expected)s.") % {"expected": ctx.get("expected")}
    if kind == "extra_forbidden":
        return _("Field tidak dikenal.")
    if kind in {"string_type", "string_unicode"}:
        return _("Harus berupa teks.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Harus berupa true atau false.")
    if kind in {"float_parsing", "float_type", "finite_number"}:
        return _("Harus berupa angka.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Harus berupa objek JSON.")
    if kind in {"list_type"}:
        return _("Harus berupa daftar.")
    if kind in {"greater_than", "less_than"}:
        return _("Di luar rentang yang diizinkan.")
    return str(error.get("msg", _("Tidak valid.")))


def _field_name(loc: Any) -> str:
    loc = tuple(loc or ())
    if loc and loc[0] == "body":
        # ("body", <the one schema parameter>, field, ...): the parameter's name is ours, not
        # the client's; an error about the body as a whole belongs to "__all__".
        loc = loc[2:]
    elif loc and str(loc[0]) in _LOCATIONS:
        loc = loc[1:]
    return ".".join(str(p) for p in loc) or "__all__"


def _in_body(error: dict[str, Any]) -> bool:
    loc: tuple[Any, ...] = tuple(error.get("loc") or ())
    return bool(loc) and str(loc[0]) in _BODY_LOCATIONS


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc")), []).append(_field_message(error))
    if exc.errors and all(_in_body(e) for e in exc.errors):
        return _respond(
            request, 422, "invalid_body", _("Isi permintaan tidak sesuai skema."), fields
        )
    return _respond(request, 400, "invalid_input", _("Masukan tidak valid."), fields)


@api.exception_handler(Unauthorized)
def on_unauthorized(request: HttpRequest, exc: Unauthorized) -> HttpResponse:
    response = _respond(request, 401, exc.code, exc.message)
    response["WWW-Authenticate"] = 'Bearer realm="lapor", error="invalid_token"'
    return response


@api.exception_handler(AuthenticationError)
def on_missing_credentials(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = _("Perlu autentikasi: kirim header Authorization: Bearer <token>.")
    response = _respond(request, 401, "unauthorized", message)
    response["WWW-Authenticate"] = 'Bearer realm="lapor"'
    return response


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _respond(request, 429, exc.code, exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _respond(request, 413, "payload_too_large", _("Isi permintaan terlalu besar."))


@api.exception_handler(TooManyFilesSent)
def on_too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    return _respond(request, 413, "payload_too_large", _("Terlalu banyak berkas."))


@api.exception_handler(SuspiciousOperation)
@api.exception_handler(MultiPartParserError)
@api.exception_handler(UnreadablePostError)
def on_malformed_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _respond(request, 400, "malformed_request", _("Permintaan tidak dapat dibaca."))


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
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        message = _("Isi permintaan bukan JSON yang valid.")
        return _respond(request, 400, "malformed_json", message)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return _respond(request, exc.status_code, code, str(exc))


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with the traceback so error reporting still sees it; the client gets the shape.
    logger.exception("Unhandled API error on %s", request.path, exc_info=exc)
    return _respond(request, 500, "server_error", _("Terjadi kesalahan di server."))


# Before Ninja reads anything: 413/415 and the Idempotency-Key rule (see lapor.api.guard).
api.add_decorator(guard, mode="view")
# Marks that a request reached its endpoint: only such responses are kept for replays.
api.add_decorator(mark_executed, mode="operation")

api.add_router("/calendar", calendar_router)
api.add_router("", reports_router)
api.add_router("", actions_router)
api.add_router("", files_router)
api.add_router("", reference_router)
api.add_router("", webhooks_router)
