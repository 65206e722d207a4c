"""The Django admin: master data is editable, reports are shown and never written."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from lapor.accounts.models import User
from lapor.institutions.models import Institution, Region
from lapor.reports import services
from lapor.reports.demo.timeline import WITA
from lapor.reports.models import DeadlinePolicy, Report, ReportEvent, State
from lapor.workdays.services import clear_calendar_cache, seed_holidays

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture(scope="module")
def _demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """A small demo (every model has rows), rolled back after the module."""
    with django_db_blocker.unblock():
        clear_calendar_cache()
        with transaction.atomic():
            year = timezone.localdate(timezone=WITA).year
            # Run the seeding's on-commit hooks so the calendar cache works (see test_demo_data).
            with TestCase.captureOnCommitCallbacks(execute=True):
                seed_holidays(range(year - 1, year + 2))
            call_command("demo_data", reports=24, seed=7, stdout=StringIO())
            anonymous = services.submit_report(
                actor=User.objects.get(username="warga"),
                data=services.ReportInput(
                    report_type="pengaduan",
                    title="Pungutan di loket puskesmas",
                    body="Petugas loket meminta uang pendaftaran di luar tarif resmi.",
                    regency_code="64.72",
                    is_anonymous=True,
                ),
            ).report
            services.reveal_reporter_identity(
                actor=User.objects.get(username="admin.nasional"),
                report=anonymous,
                purpose="Uji halaman admin: dugaan penyalahgunaan kanal.",
            )
            yield
            transaction.set_rollback(True)
        clear_calendar_cache()


pytestmark = pytest.mark.usefixtures("_demo")


@pytest.fixture
def client(db: None) -> Client:
    # Logging in with the demo password is tested in test_demo_data; force_login skips PBKDF2.
    browser = Client()
    browser.force_login(User.objects.get(username="admin.nasional"))
    return browser


def _url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_admin_pages_load(client: Client, model: type[models.Model]) -> None:
    assert client.get(_url(model, "changelist")).status_code == 200
    model_admin = admin.site._registry[model]
    request = client.get(_url(model, "changelist")).wsgi_request
    if model_admin.has_add_permission(request):
        assert client.get(_url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        assert client.get(_url(model, "change", obj.pk)).status_code == 200


def test_changelist_search_and_filters(client: Client) -> None:
    report = Report.objects.first()
    assert report is not None
    compact = report.tracking_number.replace("-", "").lower()
    response = client.get(_url(Report, "changelist"), {"q": compact})
    assert report.tracking_number in response.content.decode()
    assert client.get(_url(Report, "changelist"), {"state__exact": "routed"}).status_code == 200
    assert client.get(_url(Region, "changelist"), {"q": "64.72"}).status_code == 200
    assert client.get(_url(Region, "changelist"), {"level__exact": "city"}).status_code == 200
    assert client.get(_url(Institution, "changelist"), {"kind__exact": "unit"}).status_code == 200


def test_report_change_page_is_read_only(client: Client) -> None:
    report = Report.objects.filter(state=State.ROUTED).first()
    assert report is not None
    page = client.get(_url(Report, "change", report.pk)).content.decode()
    assert 'name="_save"' not in page
    data = {**model_to_dict(report), "state": State.FINISHED, "title": "Diubah dari admin"}
    clean = {k: v for k, v in data.items() if v is not None}
    response = client.post(_url(Report, "change", report.pk), clean)
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == State.ROUTED and report.title != "Diubah dari admin"
    assert client.get(_url(Report, "add")).status_code == 403
    assert client.post(_url(Report, "delete", report.pk), {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def test_anonymous_reporter_is_not_shown(client: Client) -> None:
    report = Report.objects.filter(is_anonymous=True, reporter__isnull=False).first()
    assert report is not None and report.reporter is not None
    page = client.get(_url(Report, "change", report.pk)).content.decode()
    reporter = report.reporter
    for secret in (reporter.full_name, reporter.nik, reporter.email, reporter.phone):
        assert secret not in page
    assert "Disembunyikan" in page
    events = client.get(_url(ReportEvent, "changelist"), {"q": report.tracking_number})
    listing = events.content.decode()
    assert f'field-actor_label">{reporter.username}<' not in listing
    assert 'field-actor_label">Pelapor anonim<' in listing


def test_institution_added_under_a_parent_gets_its_path(client: Client) -> None:
    parent = Institution.objects.get(code="KOTA-64.72")
    response = client.post(
        _url(Institution, "add"),
        {
            "code": "6472-DISPORA",
            "name": "Dinas Pemuda dan Olahraga Kota Samarinda",
            "kind": "department",
            "parent": parent.pk,
            "region": Region.objects.get(code="64.72").pk,
            "timezone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Institution.objects.get(code="6472-DISPORA")
    assert created.path == f"{parent.path}{created.pk:07d}."
    assert created.depth == parent.depth + 1
    assert created.is_within(parent)
    assert created.effective_timezone == "Asia/Makassar"


def test_moving_an_institution_repaths_its_subtree(client: Client) -> None:
    department = Institution.objects.get(code="6472-DISHUB")
    unit = Institution.objects.get(code="6472-DISHUB-U1")
    new_parent = Institution.objects.get(code="KOTA-64.71")
    data = {k: v for k, v in model_to_dict(department).items() if v is not None}
    data.update(parent=new_parent.pk, is_active="on")
    response = client.post(_url(Institution, "change", department.pk), data)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.path.startswith(new_parent.path) and unit.depth == new_parent.depth + 2


def test_institution_cannot_move_below_itself(client: Client) -> None:
    department = Institution.objects.get(code="6472-DISHUB")
    unit = Institution.objects.get(code="6472-DISHUB-U1")
    data = {k: v for k, v in model_to_dict(department).items() if v is not None}
    data.update(parent=unit.pk, is_active="on")
    response = client.post(_url(Institution, "change", department.pk), data)
    assert response.status_code == 200  # the form comes back with an error
    department.refresh_from_db()
    assert department.parent_id != unit.pk


def test_deadline_policy_is_a_singleton_that_records_its_editor(client: Client) -> None:
    policy = DeadlinePolicy.objects.get(pk=1)
    assert client.get(_url(DeadlinePolicy, "add")).status_code == 403
    assert client.post(_url(DeadlinePolicy, "delete", 1), {"post": "yes"}).status_code == 403
    data = {k: v for k, v in model_to_dict(policy).items() if v is not None}
    data["max_bounces"] = 3
    response = client.post(_url(DeadlinePolicy, "change", 1), data)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.max_bounces == 3
    assert policy.updated_by == User.objects.get(username="admin.nasional")


def test_changing_a_limit_schedules_the_deadline_recompute(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    data = {k: v for k, v in model_to_dict(DeadlinePolicy.objects.get(pk=1)).items() if v}
    data["verification_days"] = 4
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(_url(DeadlinePolicy, "change", 1), data)
    assert response.status_code == 302
    assert len(callbacks) == 1


def test_regions_are_read_only(client: Client) -> None:
    region = Region.objects.get(code="64")
    assert client.get(_url(Region, "add")).status_code == 403
    page = client.get(_url(Region, "change", region.pk)).content.decode()
    assert 'name="_save"' not in page
    response = client.post(_url(Region, "change", region.pk), {"name": "Diubah"})
    assert response.status_code == 403
    region.refresh_from_db()
    assert region.name == "Kalimantan Timur"
