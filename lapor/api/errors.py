"""The API's one error shape and the exception that produces it.

Every error answer, whatever raised it, is::

    {"error": {"code": "<snake_case>", "message": "<human readable>", "fields": {name: [msgs]}}}
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raise from an endpoint to answer `status` with the error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
