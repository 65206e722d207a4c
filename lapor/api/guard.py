"""What every API operation checks before Ninja reads the body, and the idempotency hook.

Applied to every operation as a Ninja "view" decorator (it runs before authentication and
parsing): 413 for a body over the limit (from Content-Length, before anything is read), 415 for
a body whose Content-Type the operation does not take, then the Idempotency-Key rule for POSTs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from lapor.api.access import secret_header
from lapor.api.auth import identify
from lapor.api.errors import ApiError
from lapor.api.idempotency import HEADER, run_idempotent

BodyKind = Literal["json", "multipart"]


def expected_body(operation: Any) -> BodyKind | None:
    """What an operation reads: a JSON body, a multipart form, or no body at all."""
    sources = {getattr(m, "__ninja_param_source__", None) for m in operation.models}
    if sources & {"form", "file"}:
        return "multipart"
    if "body" in sources:
        return "json"
    return None


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django itself treats it


def check_body(request: HttpRequest, expects: BodyKind | None) -> None:
    """ApiError 413 or 415 if the body is too large or of a type the operation cannot read."""
    length = _content_length(request)
    limit = settings.API_MAX_UPLOAD_BYTES if expects == "multipart" else settings.API_MAX_BODY_BYTES
    if length > int(limit):
        message = _("Isi permintaan terlalu besar (maksimal %(limit)d bita).") % {"limit": limit}
        raise ApiError(413, "payload_too_large", message)
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE") or expects is None:
        return
    content_type = (request.content_type or "").lower()
    if expects == "multipart":
        if content_type != "multipart/form-data":
            raise ApiError(
                415,
                "unsupported_media_type",
                _("Kirim sebagai multipart/form-data (berkas di field `files`)."),
            )
    elif length > 0 and not (content_type == "application/json" or content_type.endswith("+json")):
        raise ApiError(
            415, "unsupported_media_type", _("Kirim isi permintaan sebagai application/json.")
        )


def guard(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    operation = getattr(run, "__self__", None)
    expects = expected_body(operation) if operation is not None else None
    view_name = getattr(getattr(operation, "view_func", None), "__name__", "")

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        api = operation.api  # type: ignore[union-attr]
        try:
            check_body(request, expects)
            secret_header(request)  # a malformed secret is refused before any replay
            if request.method == "POST" and HEADER in request.headers:
                try:
                    caller = identify(request)
                except ApiError:
                    caller = None  # the operation's own authentication answers
                if caller is not None:
                    return run_idempotent(
                        request, caller, lambda: run(request, *args, **kwargs), view_name=view_name
                    )
        except Exception as exc:  # the operation's own errors never get here: run() answers them
            return api.on_exception(request, exc)  # type: ignore[no-any-return]
        return run(request, *args, **kwargs)

    return guarded
