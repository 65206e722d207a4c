"""The reference stamp and the process-wide reference cache.

The cache may only ever serve what the database holds: every write to a watched table, by any
path (a service, `.update()`, raw SQL, another process), changes the stamp in the same
transaction, and the next read loads afresh. Bookkeeping columns (a token's last use) do not.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from lapor.accounts.models import Membership, Role
from lapor.api.auth import issue_token
from lapor.api.models import ApiToken
from lapor.channels.models import Open311Client
from lapor.institutions import refcache
from lapor.institutions.lookups import active_category, region_by_code
from lapor.institutions.models import Category, ReferenceStamp, Region
from lapor.institutions.stamps import WATCHED
from lapor.lib import memo
from lapor.reports.models import DeadlinePolicy
from lapor.reports.permissions import active_memberships
from lapor.reports.policy import current_policy
from lapor.workdays.models import Holiday
from lapor.workdays.services import get_calendar
from tests.factories import World, make_institution, make_user
from tests.notifications.helpers import ROOT, worker_env


def stamp() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM institutions_referencestamp WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def models_by_table() -> dict[str, Any]:
    return {m._meta.db_table: m for m in apps.get_models() if m._meta.db_table in WATCHED}


@pytest.fixture
def every_table_has_a_row(world: World) -> None:
    issue_token(name="Uji", institution=world.city)
    Open311Client.issue("Aplikasi uji")
    current_policy()
    Holiday.objects.create(date=date(2031, 3, 3), name="Libur uji", kind="national")


def test_every_watched_table_is_a_model() -> None:
    assert set(models_by_table()) == set(WATCHED)


@pytest.mark.usefixtures("every_table_has_a_row")
@pytest.mark.parametrize("table", sorted(WATCHED))
def test_an_update_of_any_watched_column_changes_the_stamp(table: str) -> None:
    model = models_by_table()[table]
    row = model.objects.order_by("pk").first()
    assert row is not None, f"no row in {table}"
    ignored = WATCHED[table]
    for field in model._meta.concrete_fields:
        before = stamp()
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET "{field.column}" = "{field.column}" WHERE "id" = %s',  # noqa: S608
                [row.pk],
            )
        changed = stamp() != before
        if field.column in ignored:
            assert not changed, f"{table}.{field.column} is bookkeeping: the stamp must hold"
        else:
            assert changed, (
                f"{table}.{field.column} changes no stamp: a field added after the triggers "
                "were made needs a migration calling stamps.watch_table again"
            )


def _new_row(table: str, world: World) -> Any:
    """A fresh row of `table` that nothing refers to."""
    province = Region.objects.get(code="64")
    makers: dict[str, Any] = {
        "institutions_region": lambda: Region.objects.create(
            code="64.99", name="Kabupaten Uji", level="regency", province=province
        ),
        "institutions_category": lambda: Category.objects.create(code="UJI", name="Uji"),
        "institutions_institution": lambda: make_institution("Unit uji", "unit", world.unit),
        "accounts_user": lambda: make_user(),
        "accounts_membership": lambda: Membership.objects.create(
            user=world.citizen, institution=world.city, role=Role.LEADERSHIP
        ),
        "api_apitoken": lambda: ApiToken.objects.create(
            name="Uji", prefix="0123456789abcdef", secret_hash="0" * 64, user=world.citizen
        ),
        "channels_open311client": lambda: Open311Client.objects.create(
            name="Uji", key_prefix="o311_uji", key_hash="f" * 64
        ),
        "reports_deadlinepolicy": lambda: DeadlinePolicy.objects.create(pk=2),
        "workdays_holiday": lambda: Holiday.objects.create(
            date=date(2031, 3, 4), name="Libur uji", kind="national"
        ),
    }
    return makers[table]()


@pytest.mark.parametrize("table", sorted(WATCHED))
def test_inserts_and_deletes_change_the_stamp(table: str, world: World) -> None:
    before = stamp()
    row = _new_row(table, world)
    after_insert = stamp()
    assert after_insert not in (before, None)
    type(row).objects.filter(pk=row.pk).delete()
    assert stamp() not in (after_insert, None)


def test_the_cache_loads_once_until_the_stamp_changes(world: World) -> None:
    loads: list[int] = []

    def load() -> Category:
        loads.append(1)
        return Category.objects.get(pk=world.category.pk)

    assert refcache.remember(("probe",), load).name == "Pendidikan"
    assert refcache.remember(("probe",), load).name == "Pendidikan"
    assert len(loads) == 1
    Category.objects.filter(pk=world.category.pk).update(name="Pendidikan Dasar")
    assert refcache.remember(("probe",), load).name == "Pendidikan Dasar"
    assert len(loads) == 2


def test_callers_get_private_copies(world: World) -> None:
    region = region_by_code("64.72")
    assert region is not None and region.province is not None
    region.name = "diubah"
    region.province.name = "diubah juga"
    again = region_by_code("64.72")
    assert again is not None and again.province is not None
    assert again.name != "diubah" and again.province.name != "diubah juga"
    assert again is not region and again.province is not region.province


def test_misses_are_never_kept(world: World) -> None:
    for number in range(50):
        assert active_category(code=f"TIDAK-ADA-{number}") is None
    assert not any(key[1] == ("category-code", "TIDAK-ADA-0") for key in refcache._entries)


def test_the_cache_is_emptied_at_its_limit(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refcache, "LIMIT", 3)
    for code in ("11", "12", "13", "14"):
        assert region_by_code(code) is not None
    assert len(refcache._entries) <= 3


def test_without_the_stamp_row_nothing_is_cached(world: World) -> None:
    ReferenceStamp.objects.all().delete()
    assert stamp() is None
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return 1

    refcache.remember(("probe",), load)
    refcache.remember(("probe",), load)
    assert len(loads) == 2
    Category.objects.create(code="BARU", name="Baru")  # the triggers bring the row back
    assert stamp() is not None


def test_a_policy_changed_behind_the_services_back_is_seen(world: World) -> None:
    days = current_policy().verification_days
    DeadlinePolicy.objects.filter(pk=1).update(verification_days=days + 4)
    assert current_policy().verification_days == days + 4


def test_a_holiday_written_directly_is_seen_by_the_calendar(world: World) -> None:
    day = date(2031, 7, 8)  # a Tuesday
    assert get_calendar("64").is_working_day(day)
    Holiday.objects.create(date=day, name="Libur uji", kind="national")
    assert not get_calendar("64").is_working_day(day)
    Holiday.objects.filter(date=day).update(is_removed=True)
    assert get_calendar("64").is_working_day(day)


def test_a_membership_switched_off_by_update_is_gone_at_once(world: World) -> None:
    assert active_memberships(world.officer)
    Membership.objects.filter(user=world.officer).update(is_active=False)
    assert active_memberships(world.officer) == []


def test_a_request_that_writes_reads_its_own_write(world: World) -> None:
    with memo.request_scope():
        assert [m.role for m in active_memberships(world.citizen)] == []
        Membership.objects.create(user=world.citizen, institution=world.city, role=Role.LEADERSHIP)
        assert [m.role for m in active_memberships(world.citizen)] == [Role.LEADERSHIP]


def test_a_token_revoked_behind_the_cache_is_refused_at_once(world: World) -> None:
    token, raw = issue_token(name="Integrasi uji", institution=world.city)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/reports").status_code == 200
    assert client.get("/api/v1/reports").status_code == 200  # served from the cache
    type(token).objects.filter(pk=token.pk).update(is_active=False)  # another node, say
    response = client.get("/api/v1/reports")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_deactivated_service_account_is_refused_at_once(world: World) -> None:
    token, raw = issue_token(name="Integrasi uji", institution=world.city)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/reports").status_code == 200
    type(token.user).objects.filter(pk=token.user_id).update(is_active=False)
    assert client.get("/api/v1/reports").status_code == 401


def test_using_a_token_does_not_empty_the_cache(world: World) -> None:
    _, raw = issue_token(name="Integrasi uji", institution=world.city)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.get("/api/v1/reports")  # writes last_used_at once
    before = stamp()
    client.get("/api/v1/reports")
    assert stamp() == before


@pytest.mark.django_db(transaction=True)
def test_a_write_by_another_process_is_seen_by_this_one() -> None:
    category = Category.objects.create(code="PROSES", name="Sebelum")
    assert active_category(pk=category.pk).name == "Sebelum"  # type: ignore[union-attr]
    script = (
        "from lapor.institutions.models import Category; "
        f"Category.objects.filter(pk={category.pk}).update(name='Sesudah')"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=worker_env(),
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert active_category(pk=category.pk).name == "Sesudah"  # type: ignore[union-attr]
