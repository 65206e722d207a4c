"""The seed_holidays command and the Holiday admin (which must go through the services)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from io import StringIO
from typing import Any

import holidays
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from lapor.institutions.models import Region
from lapor.workdays.models import Holiday
from lapor.workdays.services import current_revision, get_calendar, seed_holidays

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., Any]


def package_count(years: range) -> int:
    return sum(
        len(holidays.country_holidays("ID", years=list(years), categories=(category,)))
        for category in ("public", "government")
    )


# --- command ----------------------------------------------------------------------------------


def test_command_seeds_the_given_years_and_says_how_many() -> None:
    out = StringIO()
    call_command("seed_holidays", "--years", "2026", stdout=out)
    assert out.getvalue().strip() == "25 holidays added for 2026."
    out = StringIO()
    call_command("seed_holidays", "--years", "2025-2027", stdout=out)
    added = package_count(range(2025, 2028)) - 25
    assert out.getvalue().strip() == f"{added} holidays added for 2025, 2026, 2027."


@time_machine.travel(datetime(2026, 6, 1, 3, 0, tzinfo=UTC), tick=False)
def test_command_defaults_to_last_year_through_two_years_ahead() -> None:
    out = StringIO()
    call_command("seed_holidays", stdout=out)
    expected = package_count(range(2025, 2029))
    assert out.getvalue().strip() == f"{expected} holidays added for 2025, 2026, 2027, 2028."
    assert Holiday.objects.filter(date__year=2024).count() == 0


@pytest.mark.parametrize("years", ["20x6", "2028-2024", "1800-1900", "2026-"])
def test_command_refuses_bad_years(years: str) -> None:
    with pytest.raises(CommandError):
        call_command("seed_holidays", "--years", years, stdout=StringIO())


# --- admin ------------------------------------------------------------------------------------


def form_data(**values: Any) -> dict[str, Any]:
    data = {"date": "2026-03-25", "name": "Libur daerah", "kind": "regional", "note": ""}
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_add_goes_through_the_service(
    admin_client: Client,
    kaltim: Region,
    calendar_signals: list[dict[str, Any]],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    revision = current_revision()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/workdays/holiday/add/", form_data(province=kaltim.pk))
    assert response.status_code == 302, response.content
    holiday = Holiday.objects.get()
    assert (holiday.kind, holiday.province, holiday.source) == ("regional", kaltim, "manual")
    assert current_revision() == revision + 1
    assert len(calendar_signals) == 1
    assert not get_calendar("64").is_working_day(date(2026, 3, 25))


def test_admin_refuses_a_regional_holiday_without_province(admin_client: Client) -> None:
    response = admin_client.post("/admin/workdays/holiday/add/", form_data())
    assert response.status_code == 200  # the form is shown again with the error
    assert not Holiday.objects.exists()


def test_admin_change_of_a_seeded_holiday_moves_it(
    admin_client: Client,
    calendar_signals: list[dict[str, Any]],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    seed_holidays([2026])
    original = Holiday.objects.get(date=date(2026, 3, 24), kind="cuti_bersama")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/workdays/holiday/{original.pk}/change/",
            form_data(
                date="2026-03-25", kind="cuti_bersama", name=original.name, note="SKB revisi"
            ),
        )
    assert response.status_code == 302, response.content
    original.refresh_from_db()
    assert original.is_removed
    moved = Holiday.objects.get(date=date(2026, 3, 25), kind="cuti_bersama")
    assert (moved.source, moved.note, moved.is_removed) == ("manual", "SKB revisi", False)
    assert len(calendar_signals) == 1


def test_admin_delete_only_removes(
    admin_client: Client,
    calendar_signals: list[dict[str, Any]],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    seed_holidays([2026])
    holiday = Holiday.objects.get(date=date(2026, 3, 20), kind="cuti_bersama")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/workdays/holiday/{holiday.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.is_removed
    assert len(calendar_signals) == 1
    assert seed_holidays([2026]) == 0


def test_admin_bulk_delete_only_removes(
    admin_client: Client, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    seed_holidays([2026])
    march = Holiday.objects.filter(date__month=3)
    ids = list(march.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/workdays/holiday/",
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
    assert response.status_code == 302
    assert Holiday.objects.count() == 25
    assert set(march.values_list("is_removed", flat=True)) == {True}


def test_admin_lists_and_filters_holidays(admin_client: Client) -> None:
    seed_holidays([2026])
    response = admin_client.get(
        "/admin/workdays/holiday/",
        {"year": "2026", "kind__exact": "cuti_bersama", "q": "Idul Fitri"},
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3


def test_calendar_revision_is_read_only_in_admin(admin_client: Client) -> None:
    assert admin_client.get("/admin/workdays/calendarrevision/").status_code == 200
    assert admin_client.get("/admin/workdays/calendarrevision/add/").status_code == 403
