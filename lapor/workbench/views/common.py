"""What every workbench page shares: the staff check, the report lookup and the error pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lapor.accounts.models import Membership, Role, User
from lapor.lib.tracking import normalize_tracking_number
from lapor.reports.errors import DomainError, NotAllowed, NotFound, ValidationError
from lapor.reports.models import Report
from lapor.reports.permissions import active_memberships
from lapor.reports.privacy import is_staff_viewer

REPORT_RELATIONS = (
    "queue_institution__region__province",
    "responsible_institution__region__province",
    "suggested_institution",
    "category__parent",
    "province",
    "regency",
    "reporter",
    "intake_by",
    "duplicate_of",
)


@dataclass(frozen=True)
class Desk:
    """The signed-in staff member and the memberships they work under."""

    user: User
    memberships: list[Membership]

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.memberships)

    @property
    def is_national_admin(self) -> bool:
        return self.has_role(Role.NATIONAL_ADMIN)

    @property
    def handles_reports(self) -> bool:
        """For navigation only: read-only roles neither handle nor take in reports."""
        return self.has_role(Role.NATIONAL_ADMIN, Role.INSTITUTION_ADMIN, Role.UNIT_OFFICER)

    @property
    def watches_messages(self) -> bool:
        """Admins answer for messages that could not be delivered in their scope."""
        return self.has_role(Role.NATIONAL_ADMIN, Role.INSTITUTION_ADMIN)

    @property
    def positions(self) -> list[str]:
        return [f"{m.get_role_display()}, {m.institution.name}" for m in self.memberships]


class Refused(Exception):
    """Stop the request with an error page (403, 404 or 409)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message


ERROR_TEMPLATES = {403: "workbench/403.html", 404: "workbench/404.html"}


def error_page(
    request: HttpRequest, status: int, message: str = "", desk: Desk | None = None
) -> HttpResponse:
    template = ERROR_TEMPLATES.get(status, "workbench/error.html")
    context = {"message": message, "status": status, "desk": desk}
    return render(request, template, context, status=status)


StaffView = Callable[..., HttpResponse]


def staff_view(view: StaffView) -> Callable[..., HttpResponse]:
    """Login (else the login page), a staff membership (else 403); errors become pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        assert isinstance(user, User)
        memberships = active_memberships(user)
        if not memberships:
            message = _("Halaman ini hanya untuk petugas pengelola pengaduan.")
            return error_page(request, 403, message)
        desk = Desk(user, memberships)
        try:
            return view(request, desk, *args, **kwargs)
        except Refused as refusal:
            return error_page(request, refusal.status, refusal.message, desk)
        except NotAllowed as error:
            return error_page(request, 403, error.message, desk)
        except NotFound:
            return error_page(request, 404, desk=desk)
        except DomainError as error:  # any other refusal a service may add later
            return error_page(request, error.status, error.message, desk)

    return wrapper


def report_for_staff(desk: Desk, tracking: str) -> Report:
    """The report, if the viewer sees it as staff; 404 otherwise (its existence stays hidden)."""
    number = normalize_tracking_number(tracking)
    report = (
        Report.objects.select_related(*REPORT_RELATIONS).filter(tracking_number=number).first()
        if number
        else None
    )
    if report is None or not is_staff_viewer(desk.user, report):
        raise Refused(404)
    return report


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field messages onto the form's fields (the rest onto the form)."""
    placed = False
    for name, messages in error.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def conflict_message(error: DomainError) -> str:
    return _(
        "Tindakan tidak dapat dilakukan: %(reason)s Laporan mungkin telah berubah sementara "
        "itu; halaman ini menampilkan keadaannya yang terbaru."
    ) % {"reason": error.message}
