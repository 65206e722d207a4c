"""The inbox: what each persona must act on (or, read-only roles, may watch), sorted by the
current stage's deadline, coloured, counted, filtered, searched and paginated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from lapor.lib import clock
from lapor.reports import services
from lapor.reports.models import ArchiveReason, Report, ReportType, ResolutionClass, State
from lapor.workbench.views.inbox import PAGE_SIZE
from lapor.workdays.services import get_calendar
from tests.factories import World, fresh
from tests.workbench.conftest import NOT_STAFF, PERSONAS, at_city, client_for, routed

WITA = ZoneInfo("Asia/Makassar")
LONG_AGO = timedelta(days=150)
INBOX = reverse("workbench:inbox")


@dataclass
class Desk:
    """A small set of reports across the tree and the lifecycle."""

    reports: dict[str, Report]

    def numbers(self, *names: str) -> set[str]:
        return {self.reports[n].tracking_number for n in names}


def _build(world: World) -> Desk:
    now = clock.now()
    r: dict[str, Report] = {}
    r["national_queue"] = at_city(world, suggested_institution_id=None)
    r["city_wait"] = at_city(world)
    r["other_wait"] = at_city(world, suggested_institution_id=world.other_city.pk)
    r["ministry_wait"] = at_city(world, suggested_institution_id=world.ministry.pk)
    r["city_routed"] = routed(world, at_city(world))
    r["dept_in_progress"] = routed(world, at_city(world), to=world.department)
    services.post_follow_up(actor=world.officer, report=r["dept_in_progress"], message="Dicek.")
    r["unit_routed"] = routed(world, at_city(world), to=world.unit)
    other = at_city(world, suggested_institution_id=world.other_city.pk)
    world.route(other, world.other_city)
    services.forward_report(
        actor=world.other_admin, report=other, institution=world.other_department
    )
    r["other_routed"] = other
    r["city_hold"] = at_city(world)
    services.hold_report(actor=world.city_admin, report=r["city_hold"], question="Sekolah mana?")
    r["city_answered"] = routed(world, at_city(world))
    services.post_answer(actor=world.city_admin, report=r["city_answered"], message="Selesai.")
    r["city_archived"] = at_city(world)
    services.archive_report(
        actor=world.city_admin, report=r["city_archived"], reason_code=ArchiveReason.SPAM
    )
    with clock.at(now - LONG_AGO):
        r["city_overdue"] = routed(world, at_city(world))
        r["other_wait_overdue"] = at_city(world, suggested_institution_id=world.other_city.pk)
    return Desk({k: fresh(v) for k, v in r.items()})


EXPECTED = {
    "national_admin": {"national_queue", "city_overdue", "other_wait_overdue"},
    "province_admin": {
        "city_wait",
        "other_wait",
        "other_wait_overdue",
        "city_routed",
        "dept_in_progress",
        "unit_routed",
        "other_routed",
        "city_overdue",
    },
    "city_admin": {"city_wait", "city_routed", "dept_in_progress", "unit_routed", "city_overdue"},
    "officer": {"dept_in_progress", "unit_routed"},
    "unit_officer": {"unit_routed"},
    "leader": {
        "city_wait",
        "city_routed",
        "dept_in_progress",
        "unit_routed",
        "city_hold",
        "city_answered",
        "city_overdue",
    },
    "other_admin": {"other_wait", "other_wait_overdue", "other_routed"},
    "other_officer": {"other_routed"},
    "ministry_admin": {"ministry_wait"},
}
TRACKING = re.compile(r'class="tracking" href="[^"]+">([0-9A-Z-]+)</a>')


def _listed(client: Client, **params: Any) -> list[str]:
    response = client.get(INBOX, params)
    assert response.status_code == 200
    return TRACKING.findall(response.content.decode())


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_its_desk(world: World, persona: str) -> None:
    desk = _build(world)
    client = client_for(getattr(world, persona))
    if persona in NOT_STAFF:
        assert client.get(INBOX).status_code == 403
        return
    listed = _listed(client)
    assert len(listed) == len(set(listed))
    everything_open = set(desk.reports) - {"city_archived"}
    expected = everything_open if persona == "auditor" else EXPECTED[persona]
    assert set(listed) == desk.numbers(*expected)


def test_rows_come_earliest_deadline_first(world: World) -> None:
    desk = _build(world)
    listed = _listed(client_for(world.province_admin))
    due = {r.tracking_number: _due(r) for r in desk.reports.values() if r.tracking_number in listed}
    assert listed == sorted(listed, key=lambda n: due[n])
    # Verification (3 working days) of the old report fell due before its twin's completion.
    assert listed[:2] == [
        desk.reports["other_wait_overdue"].tracking_number,
        desk.reports["city_overdue"].tracking_number,
    ]


def _due(report: Report) -> datetime:
    value = {
        State.AWAITING_VERIFICATION: report.verification_due_at,
        State.ROUTED: report.completion_due_at,
        State.IN_PROGRESS: report.completion_due_at,
    }[State(report.state)]
    assert value is not None
    return value


def test_counts_per_stage_and_overdue(world: World) -> None:
    _build(world)
    html = client_for(world.province_admin).get(INBOX).content.decode()
    counts = dict(re.findall(r'href="\?state=(\w+)">[^<]+<strong>(\d+)</strong>', html))
    assert counts == {"awaiting_verification": "3", "routed": "4", "in_progress": "1"}
    assert re.search(r'href="\?colour=red">Lewat tenggat <strong>2</strong>', html)


def test_rows_are_coloured_by_the_stage_clock(world: World) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=WITA)  # a Monday
    with clock.at(start):
        report = routed(world, at_city(world))  # 14 working days: yellow from 80 %, the 12th
    calendar = get_calendar("64")
    assert calendar.working_days_between(start.date(), date(2026, 3, 17)) == 11
    assert calendar.working_days_between(start.date(), date(2026, 3, 18)) == 12
    client = client_for(world.city_admin)
    for moment, colour in (
        (start + timedelta(days=1), "green"),
        (datetime(2026, 3, 17, 9, 0, tzinfo=WITA), "green"),
        (datetime(2026, 3, 18, 9, 0, tzinfo=WITA), "yellow"),
        (fresh(report).completion_due_at + timedelta(minutes=1), "red"),
    ):
        with clock.at(moment):
            html = client.get(INBOX).content.decode()
            assert f'<tr class="deadline-{colour}">' in html, moment
            assert _listed(client, colour=colour) == [report.tracking_number]
            others = {"green", "yellow", "red"} - {colour}
            assert all(_listed(client, colour=c) == [] for c in others)


def test_filters_by_state_type_class_and_institution(world: World) -> None:
    desk = _build(world)
    aspiration = routed(
        world,
        at_city(world, report_type=ReportType.ASPIRATION),
        report_type=ReportType.ASPIRATION,
        resolution_class=ResolutionClass.SHORT,
    )
    client = client_for(world.province_admin)
    assert set(_listed(client, state="awaiting_verification")) == desk.numbers(
        "city_wait", "other_wait", "other_wait_overdue"
    )
    assert _listed(client, report_type="aspirasi") == [aspiration.tracking_number]
    assert _listed(client, resolution_class="short") == [aspiration.tracking_number]
    assert set(_listed(client, institution=world.other_city.pk)) == desk.numbers(
        "other_wait", "other_wait_overdue", "other_routed"
    )
    assert set(_listed(client, institution=world.department.pk)) == desk.numbers(
        "dept_in_progress", "unit_routed"
    )


def test_institution_filter_offers_only_the_scope(world: World) -> None:
    html = client_for(world.city_admin).get(INBOX).content.decode()
    assert world.department.name in html
    assert world.other_city.name not in html


def test_search_by_tracking_number_or_title(world: World) -> None:
    desk = _build(world)
    special = at_city(world, title="Jalan berlubang di depan SD Negeri 001")
    client = client_for(world.city_admin)
    number = desk.reports["city_routed"].tracking_number
    assert _listed(client, q=number) == [number]
    assert _listed(client, q=number.replace("-", "").lower()) == [number]
    assert _listed(client, q="berlubang") == [special.tracking_number]
    assert _listed(client, q="tidak ada judul seperti ini") == []


def test_pagination_keeps_the_filters(world: World) -> None:
    for index in range(27):
        at_city(world, title=f"Laporan antrean nomor {index:02d}")
    client = client_for(world.city_admin)
    first = _listed(client, q="antrean nomor")
    second_page = client.get(INBOX, {"q": "antrean nomor", "page": 2})
    second = TRACKING.findall(second_page.content.decode())
    assert len(first) == 25 and len(second) == 2
    assert not set(first) & set(second)
    assert "q=antrean+nomor&amp;page=1" in second_page.content.decode()


def test_read_only_roles_are_told_so(world: World) -> None:
    html = client_for(world.leader).get(INBOX).content.decode()
    assert "hanya baca" in html
    assert reverse("workbench:intake") not in html


def test_inbox_queries_do_not_grow_with_the_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.province_admin)
    client.get(INBOX)  # session warm
    for _ in range(3):
        at_city(world)
    # Fixed: session, user, memberships (desk, privacy, navigation), policy, scope institutions,
    # state counts, overdue count, page count, page rows (institutions joined, not fetched
    # per row), and one calendar look-up per province on the page (all here are in Kaltim).
    fixed = 12
    with django_assert_max_num_queries(fixed):
        client.get(INBOX)
    for _ in range(40):
        at_city(world)
    with django_assert_max_num_queries(fixed):
        response = client.get(INBOX)
    assert len(TRACKING.findall(response.content.decode())) == PAGE_SIZE


def test_search_never_confirms_a_number_inside_an_anonymous_report(world: World) -> None:
    hidden = at_city(world, is_anonymous=True, title="Pungli sekolah, hubungi 081355512345")
    named = at_city(world, title="Pungli sekolah, hubungi 081399988877")
    client = client_for(world.city_admin)
    assert _listed(client, q="081355512345") == []
    assert _listed(client, q="081399988877") == [named.tracking_number]
    assert set(_listed(client, q="Pungli sekolah")) == {
        hidden.tracking_number,
        named.tracking_number,
    }
