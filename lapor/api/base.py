"""NinjaAPI with JSON answers at the URL level and the shared parts of every operation's docs.

Ninja answers a wrong method with a plain-text 405 and leaves unknown paths to Django's HTML
404; here both answer the API's error shape. The OpenAPI document gains what every operation
shares (error responses, the Idempotency-Key and X-Report-Secret headers), written once here
instead of on each endpoint. The docs page is Ninja's bundled Swagger UI, served from local
static files (the "ninja" app), never from a CDN.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from lapor.api.access import MAX_SECRET_LENGTH
from lapor.api.errors import error_body
from lapor.api.idempotency import HEADER, KEY_PATTERN

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Permintaan tidak dapat dipakai (parameter, JSON rusak, atau ditolak aturan domain)",
    "401": "Tanpa kredensial, atau token tidak valid/dicabut",
    "403": "Tidak berwenang (atau pemeriksaan CSRF sesi gagal)",
    "404": "Tidak ditemukan atau di luar jangkauan pemanggil",
    "409": "Status laporan tidak mengizinkan langkah ini, atau konflik Idempotency-Key",
    "413": "Isi permintaan terlalu besar",
    "415": "Content-Type tidak didukung",
    "422": "Isi JSON tidak sesuai skema",
    "429": "Terlalu banyak permintaan (lihat Retry-After)",
}
IDEMPOTENCY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Kunci unik per permintaan (mis. UUID). Pengulangan dengan kunci yang sama "
    "mengembalikan jawaban pertama tanpa mengeksekusi ulang; berlaku 24 jam.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN},
}
SECRET_PARAMETER = {
    "name": "X-Report-Secret",
    "in": "header",
    "required": False,
    "description": "Rahasia laporan tamu (guest_secret): membuka laporan sebagai pelapornya.",
    "schema": {"type": "string", "maxLength": MAX_SECRET_LENGTH},
}


def _error_codes(method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["400", "404", "413"]
    if operation.get("security"):
        codes += ["401", "403"]
    if method == "post":
        codes += ["409", "415", "422", "429"]
    return codes


class LaporNinjaAPI(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        # validatorUrl None: Swagger UI would otherwise call an outside validator service.
        kwargs.setdefault("docs", Swagger(settings={"validatorUrl": None}))
        super().__init__(**kwargs)

    # --- URLs: JSON for wrong methods and unknown paths --------------------------------------

    def _json_errors(self, view: Callable[..., HttpResponseBase]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                return self.unknown_path(request)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                allowed = response.get("Allow", "")
                body = error_body("method_not_allowed", _("Metode HTTP tidak didukung di sini."))
                json_response = self.create_response(request, body, status=405)
                json_response["Allow"] = allowed
                return json_response
            return response

        return wrapped

    def unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        body = error_body("not_found", _("Alamat API ini tidak ada."))
        return self.create_response(request, body, status=404)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._json_errors(pattern.callback)
        urls.append(re_path(r"^.*$", self.unknown_path, name="unknown-path"))
        return urls

    # --- OpenAPI: what every operation shares -------------------------------------------------

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                for code in _error_codes(method, operation):
                    responses.setdefault(
                        code,
                        {
                            "description": ERROR_DESCRIPTIONS[code],
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
                parameters = operation.setdefault("parameters", [])
                if method == "post":
                    parameters.append(dict(IDEMPOTENCY_PARAMETER))
                if "{tracking}" in path or "/attachments/{" in path:
                    parameters.append(dict(SECRET_PARAMETER))
        return schema
