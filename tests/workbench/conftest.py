"""Fixtures of the workbench view tests: logged-in clients and reports placed in the tree."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from PIL import Image

from lapor.accounts.models import User
from lapor.institutions.models import Institution
from lapor.reports import services
from lapor.reports.models import Report, ReportType, ResolutionClass
from tests.factories import World, build_world, fresh, submit

# Every persona of the shared world, by its World attribute.
PERSONAS = (
    "national_admin",
    "auditor",
    "province_admin",
    "city_admin",
    "officer",
    "unit_officer",
    "leader",
    "other_admin",
    "other_officer",
    "ministry_admin",
    "reporter",
    "citizen",
)
# Personas with no staff membership: every workbench page refuses them (403).
NOT_STAFF = frozenset({"reporter", "citizen"})


@pytest.fixture(autouse=True, scope="module")
def _fast_password_hashing() -> Iterator[None]:
    # The world creates a dozen accounts; nothing here tests password hashing.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_world(
    _fast_password_hashing: None, django_db_setup: None, django_db_blocker: Any
) -> Iterator[World]:
    # One world per module, inside a transaction rolled back when the module ends.
    with django_db_blocker.unblock(), rolled_back():
        yield build_world()


@pytest.fixture
def db(shared_world: World, django_db_blocker: Any) -> Iterator[None]:
    """This folder's `db`: a savepoint over the module's world, rolled back after each test."""
    with django_db_blocker.unblock(), rolled_back():
        yield


@pytest.fixture
def world(shared_world: World, db: None) -> World:
    return shared_world


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def login() -> Callable[[User], Client]:
    return client_for


def at_city(world: World, **overrides: Any) -> Report:
    """A report waiting in Pemkot Samarinda's verification queue."""
    overrides.setdefault("suggested_institution_id", world.city.pk)
    report, _ = submit(world, **overrides)
    return report


def routed(world: World, report: Report, to: Institution | None = None, **kw: Any) -> Report:
    """Routed by the city admin to the city, then forwarded down to `to` when given."""
    services.route_report(
        actor=world.city_admin,
        report=report,
        institution=world.city,
        report_type=kw.pop("report_type", ReportType.COMPLAINT),
        resolution_class=kw.pop("resolution_class", ResolutionClass.STANDARD),
        category=world.category,
    )
    if to is not None and to != world.city:
        services.forward_report(actor=world.city_admin, report=report, institution=world.department)
        if to == world.unit:
            services.forward_report(actor=world.officer, report=report, institution=world.unit)
    return fresh(report)


def snapshot(report: Report) -> tuple[Any, ...]:
    """What a refused move must leave as it was."""
    r = fresh(report)
    return (
        r.state,
        r.queue_institution_id,
        r.last_event_sequence,
        r.events.count(),
        r.assignments.count(),
        r.attachments.count(),
        r.completion_due_at,
        r.extension_days,
        r.updated_at,
    )


def png_bytes(colour: str = "red") -> bytes:
    """A small real PNG (the services re-encode images, so it must decode)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()
