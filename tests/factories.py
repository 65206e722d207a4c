"""Shared personas and builders. Small on purpose: tests say what they need in one call."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lapor.accounts.models import Membership, Role, User
from lapor.institutions.models import Category, Institution, Region
from lapor.institutions.regions import ensure_regions
from lapor.institutions.services import create_institution
from lapor.reports import services
from lapor.reports.actors import SYSTEM, GuestActor
from lapor.reports.models import Report, ReportType, ResolutionClass
from lapor.reports.services import ReportInput

_counter = itertools.count(1)
PASSWORD = "sandi-uji-Lapor-2026"


def make_user(username: str | None = None, **fields: Any) -> User:
    username = username or f"user{next(_counter)}"
    fields.setdefault("full_name", username.replace("_", " ").title())
    fields.setdefault("email", f"{username}@contoh.id")
    return User.objects.create_user(username=username, password=PASSWORD, **fields)


def make_staff(role: str, institution: Institution, username: str | None = None) -> User:
    user = make_user(username)
    Membership.objects.create(user=user, institution=institution, role=role)
    return user


def make_institution(
    name: str, kind: str, parent: Institution | None = None, region_code: str | None = None
) -> Institution:
    region = Region.objects.get(code=region_code) if region_code else None
    return create_institution(
        code=f"I{next(_counter):05d}", name=name, kind=kind, parent=parent, region=region
    )


@dataclass
class World:
    """A small tree: national body > Pemprov Kaltim > Pemkot Samarinda > Disdik > SD unit,
    a second regency (Balikpapan) and a ministry, with one person per role."""

    national: Institution
    province: Institution
    city: Institution
    department: Institution
    unit: Institution
    other_city: Institution
    other_department: Institution
    ministry: Institution
    category: Category
    national_admin: User
    auditor: User
    province_admin: User
    city_admin: User
    officer: User
    unit_officer: User
    leader: User
    other_admin: User
    other_officer: User
    ministry_admin: User
    reporter: User
    citizen: User

    def city_zone(self) -> ZoneInfo:
        return ZoneInfo(self.city.effective_timezone)

    def route(self, report: Report, target: Institution | None = None, **kw: Any) -> Report:
        return services.route_report(
            actor=self.national_admin,
            report=report,
            institution=target or self.city,
            report_type=kw.pop("report_type", ReportType.COMPLAINT),
            resolution_class=kw.pop("resolution_class", ResolutionClass.STANDARD),
            **kw,
        )


def build_world() -> World:
    ensure_regions()
    national = make_institution("Pengelola SP4N-LAPOR! Nasional", "national")
    ministry = make_institution("Kementerian Pendidikan", "ministry", national)
    province = make_institution("Pemerintah Provinsi Kalimantan Timur", "province", national, "64")
    city = make_institution("Pemerintah Kota Samarinda", "city", province, "64.72")
    department = make_institution("Dinas Pendidikan Kota Samarinda", "department", city, "64.72")
    unit = make_institution("SD Negeri 001 Samarinda", "unit", department, "64.72")
    other_city = make_institution("Pemerintah Kota Balikpapan", "city", province, "64.71")
    other_department = make_institution(
        "Dinas Kesehatan Kota Balikpapan", "department", other_city, "64.71"
    )
    category = Category.objects.create(code=f"C{next(_counter)}", name="Pendidikan")
    return World(
        national=national,
        province=province,
        city=city,
        department=department,
        unit=unit,
        other_city=other_city,
        other_department=other_department,
        ministry=ministry,
        category=category,
        national_admin=make_staff(Role.NATIONAL_ADMIN, national),
        auditor=make_staff(Role.AUDITOR, national),
        province_admin=make_staff(Role.INSTITUTION_ADMIN, province),
        city_admin=make_staff(Role.INSTITUTION_ADMIN, city),
        officer=make_staff(Role.UNIT_OFFICER, department),
        unit_officer=make_staff(Role.UNIT_OFFICER, unit),
        leader=make_staff(Role.LEADERSHIP, city),
        other_admin=make_staff(Role.INSTITUTION_ADMIN, other_city),
        other_officer=make_staff(Role.UNIT_OFFICER, other_department),
        ministry_admin=make_staff(Role.INSTITUTION_ADMIN, ministry),
        reporter=make_user(nik="6472011234560001", phone="081234567890"),
        citizen=make_user(),
    )


def report_input(**overrides: Any) -> ReportInput:
    values: dict[str, Any] = {
        "report_type": ReportType.COMPLAINT,
        "title": "Pungutan liar di sekolah dasar",
        "body": "Kepala sekolah meminta uang seragam Rp 500.000 kepada setiap wali murid.",
        "province_code": "64",
        "regency_code": "64.72",
    }
    values.update(overrides)
    return ReportInput(**values)


def submit(
    world: World | None = None, *, by: User | str | None = "reporter", **overrides: Any
) -> tuple[Report, GuestActor | User]:
    """Submit a report; returns it with the actor that acts as its reporter."""
    if by == "guest":
        result = services.submit_report(actor=None, data=report_input(**overrides))
        return result.report, GuestActor(result.guest_secret)
    if by == "system":
        overrides.setdefault("channel", "sms")
        result = services.submit_report(actor=SYSTEM, data=report_input(**overrides))
        return result.report, GuestActor(result.guest_secret)
    user = world.reporter if by == "reporter" and world else by
    assert isinstance(user, User)
    result = services.submit_report(actor=user, data=report_input(**overrides))
    return result.report, user


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def aware(*args: int, tz: str = "Asia/Jakarta") -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))  # type: ignore[misc]
