"""Open311 GeoReport v2 endpoints. The format is chosen by the extension (.xml or .json);
errors use the specification's shape and status codes (400, 403, 404)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from lapor.api.open311 import documents
from lapor.api.open311.guards import (
    check_submission_rate,
    refuse_control_characters,
    request_values,
)
from lapor.api.open311.queries import find_request, find_requests
from lapor.api.open311.render import Open311Error, error_response, respond
from lapor.api.open311.submission import authenticate, create_request
from lapor.channels.models import Open311Request
from lapor.institutions.models import Category

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def open311_view(methods: tuple[str, ...]) -> Callable[[View], View]:
    """Method check, jurisdiction check, the spec's error shape, and CORS for reads."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str = "xml", **kwargs: Any) -> Any:
            try:
                if request.method not in (*methods, "HEAD" if "GET" in methods else ""):
                    response = error_response(
                        Open311Error(400, f"Metode {request.method} tidak didukung di sini."),
                        fmt,
                    )
                    response["Allow"] = ", ".join(methods)
                    return response
                refuse_control_characters(request_values(request, kwargs))
                _check_jurisdiction(request)
                response = view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = error_response(error, fmt)
            except Exception:
                logger.exception("Open311 error on %s", request.path)
                response = error_response(
                    Open311Error(400, "Kesalahan layanan; silakan hubungi pengelola."), fmt
                )
            if request.method in ("GET", "HEAD"):
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapper

    return decorate


def _check_jurisdiction(request: HttpRequest) -> None:
    source = request.POST if request.method == "POST" else request.GET
    given = (source.get("jurisdiction_id") or "").strip()
    if given and given != settings.OPEN311_JURISDICTION_ID:
        raise Open311Error(404, f"jurisdiction_id {given!r} tidak dilayani di sini.")


def _endpoint_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/open311/v2").rstrip("/")


@open311_view(("GET",))
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(documents.discovery(_endpoint_url(request)), fmt)


@open311_view(("GET",))
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = list(Category.objects.filter(is_active=True).order_by("code"))
    return respond(documents.services(categories), fmt)


@open311_view(("GET",))
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(404, f"service_code {code!r} tidak ditemukan.")
    return respond(documents.service_definition(category), fmt)


@open311_view(("GET", "POST"))
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        client = authenticate((request.POST.get("api_key") or "").strip())
        check_submission_rate(request, client)
        key = request.headers.get("Idempotency-Key", "").strip()[:80]
        refuse_control_characters([("Idempotency-Key", key)])
        result = create_request(request.POST, client, key)
        return respond(
            documents.created(result.report, result.account_id),
            fmt,
            status=201 if result.created else 200,
        )
    return respond(documents.requests_document(find_requests(request.GET)), fmt)


@open311_view(("GET",))
def service_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    report = find_request(request_id)
    if report is None:
        # Unverified, confidential and unknown requests look the same from outside.
        raise Open311Error(404, "service_request_id tidak ditemukan.")
    return respond(documents.requests_document([report]), fmt)


@open311_view(("GET",))
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    # Our requests are realtime: the token of a request is its service_request_id, answered
    # (like GET requests/{id}) once the report is public.
    report = find_request(token)
    if report is None or not Open311Request.objects.filter(report=report).exists():
        raise Open311Error(404, "token tidak ditemukan.")
    return respond(documents.token(report, token), fmt)


@open311_view(("GET",))
def root(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(documents.discovery(_endpoint_url(request)), fmt)


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    fmt = "json" if rest.endswith(".json") else "xml"
    known = rest.split("/", 1)[0].split(".", 1)[0]
    if known in {"discovery", "services", "requests", "tokens"} and "." in rest.rsplit("/", 1)[-1]:
        error = Open311Error(400, "Format tidak didukung: gunakan .xml atau .json.")
    else:
        error = Open311Error(404, f"Sumber daya {rest!r} tidak ada di Open311 GeoReport v2.")
    return error_response(error, fmt)
