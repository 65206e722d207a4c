"""Domain errors. Pages and the API turn each into a clear message and status."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose. Nothing has been written when raised."""

    status = 400
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidTransition(DomainError):
    """The move is not allowed from the report's current state (or it changed meanwhile)."""

    status = 409
    code = "invalid_transition"


class NotAllowed(DomainError):
    """The actor has no right to make this move on this report."""

    status = 403
    code = "not_allowed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class ValidationError(DomainError):
    """Bad input to a service; `fields` maps a field name to its messages."""

    status = 400
    code = "validation_error"

    def __init__(
        self, message: str, *, fields: dict[str, list[str]] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.fields = fields or {}
