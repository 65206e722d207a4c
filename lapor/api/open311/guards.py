"""What every Open311 request is checked for before its values reach a query or a service:
no control characters in any parameter, and the submission rate limits of the REST API.

Control characters: a NUL cannot be stored by PostgreSQL and the others are never part of a
citizen's text; refusing them with a 400 that names the field beats a database error. Tab,
line feed and carriage return are text and pass.

Rate limits: the REST API's counters and settings (lapor.api.ratelimit), per Open311 client
key and per client address. The address counter is the same one REST submissions count in:
one address has one budget, whichever door it uses. The specification has no 429; ours is an
extension answered in the specification's error shape, with Retry-After (docs/open311.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.translation import gettext as _

from lapor.api.open311.render import Open311Error
from lapor.api.ratelimit import RateLimited, count_submission
from lapor.channels.models import Open311Client

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _shown(name: str) -> str:
    return _CONTROL.sub("?", name)[:60]


def refuse_control_characters(pairs: Iterable[tuple[str, str]]) -> None:
    """Open311Error 400 naming the first parameter (or path part) holding a control character."""
    for name, value in pairs:
        if _CONTROL.search(name) or _CONTROL.search(value):
            raise Open311Error(
                400,
                _("%(field)s berisi karakter kendali (mis. NUL) yang tidak diizinkan.")
                % {"field": _shown(name)},
            )


def request_values(request: HttpRequest, path_values: dict[str, object]) -> list[tuple[str, str]]:
    """Every value the request carries: query, form fields, and the parts of the path."""
    pairs = [(k, v) for k, values in request.GET.lists() for v in values]
    if request.method == "POST":
        pairs += [(k, v) for k, values in request.POST.lists() for v in values]
    pairs += [(k, v) for k, v in path_values.items() if isinstance(v, str)]
    return pairs


def check_submission_rate(request: HttpRequest, client: Open311Client) -> None:
    """Count one submission; Open311Error 429 (with Retry-After) when a limit is hit."""
    try:
        count_submission(request, f"open311:{client.pk}")
    except RateLimited as limited:
        raise Open311Error(
            429, limited.message, headers={"Retry-After": str(limited.retry_after)}
        ) from None
