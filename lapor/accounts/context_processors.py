"""Template context about the viewer's roles (for navigation only; never for authorisation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lapor.accounts.models import Membership


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_staff_member": False}
    return {
        "is_staff_member": Membership.objects.filter(
            user=user, is_active=True, institution__is_active=True
        ).exists()
    }
