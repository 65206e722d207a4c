"""Hand-built report histories for the dashboard tests: every move through the services, at
a chosen moment (lapor.lib.clock.at), so working days and deadlines are known in advance.

No holidays are seeded in these tests: working days are Monday to Friday.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from lapor.accounts.models import User
from lapor.dashboards.refresh import refresh_stats
from lapor.institutions.models import Category, Institution
from lapor.lib import clock
from lapor.reports import services
from lapor.reports.models import Report, ReportType, ResolutionClass, State
from tests.factories import World, aware, fresh, submit


def at(*args: int) -> datetime:
    """A moment in WIB (UTC+7): at(2025, 3, 3, 9) is Monday 3 March 2025, 09:00."""
    return aware(*args)


def handler_for(world: World, institution: Institution) -> User:
    by_place = {
        world.city.pk: world.city_admin,
        world.department.pk: world.officer,
        world.unit.pk: world.unit_officer,
        world.other_city.pk: world.other_admin,
        world.other_department.pk: world.other_officer,
        world.ministry.pk: world.ministry_admin,
        world.province.pk: world.province_admin,
    }
    return by_place[institution.pk]


def story(
    world: World,
    *,
    submitted: datetime,
    to: Institution | None = None,
    routed: datetime | None = None,
    responded: datetime | None = None,
    answered: datetime | None = None,
    confirmed: datetime | None = None,
    reopens: Sequence[tuple[datetime, datetime]] = (),
    rating: int | None = None,
    resolution_class: str = ResolutionClass.STANDARD,
    report_type: str = ReportType.COMPLAINT,
    declined: datetime | None = None,
    category: Category | None = None,
    **submit_fields: Any,
) -> Report:
    """One report's life. `reopens` are (reopened, answered again) pairs after `answered`;
    `declined` makes the institution hand it back ("not our authority") after routing."""
    target = to or world.city
    with clock.at(submitted):
        report, reporter = submit(world, **submit_fields)
    if routed is None:
        return fresh(report)
    with clock.at(routed):
        world.route(
            report,
            target,
            report_type=report_type,
            resolution_class=resolution_class,
            category=category,
        )
    handler = handler_for(world, target)
    if declined is not None:
        with clock.at(declined):
            services.decline_report(actor=handler, report=report, reason="Bukan wewenang kami.")
        return fresh(report)
    if responded is not None:
        with clock.at(responded):
            services.post_follow_up(actor=handler, report=report, message="Sedang diperiksa.")
    if answered is not None:
        with clock.at(answered):
            services.post_answer(actor=handler, report=report, message="Sudah selesai.")
        for reopened, answered_again in reopens:
            with clock.at(reopened):
                services.reopen_report(actor=reporter, report=report, message="Belum beres.")
            with clock.at(answered_again):
                services.post_answer(actor=handler, report=report, message="Sudah diperbaiki.")
    if confirmed is not None:
        with clock.at(confirmed):
            services.confirm_report(actor=reporter, report=report, rating=rating)
    return fresh(report)


def refresh() -> None:
    refresh_stats(full=True)


def sweep(moment: datetime | None = None) -> None:
    """One pass of the deadline sweeper (which flags overdue reports), at `moment` or now."""
    from lapor.reports.sweeps import Sweeper

    if moment is None:
        Sweeper().run_pass()
        return
    with clock.at(moment):
        Sweeper().run_pass()


def march(day: int, hour: int = 9) -> datetime:
    """A moment in March 2025 (WIB). 3 March 2025 is a Monday."""
    return at(2025, 3, day, hour)


def known_city_set(world: World) -> dict[str, Report]:
    """Six reports with hand-computed answers (see test_indicators.py):

    a: routed Mon 3 Mar, first response Wed 5 (2 WD), answered Mon 10 (5 WD, on time), rated 5.
    b: first response Mon 17 (10 WD: late), answered Sat 22 (14 WD but after the deadline at
       the end of Fri 21: late), rated 2.
    c: first response Tue 4 (1 WD), answered Fri 21 (on time), then reopened twice and answered
       again Thu 27 (18 WD: late), finished without a rating.
    d: routed and never handled: overdue.
    e: submitted, never verified (national queue): overdue verification.
    f: routed to the city, which declined it ("not our authority"): back in the province's
       queue, overdue verification.
    """
    r = {
        "a": story(world, submitted=march(3), routed=march(3, 10), responded=march(5),
                   answered=march(10), confirmed=march(11), rating=5, category=world.category),
        "b": story(world, submitted=march(3), routed=march(3, 10), responded=march(17),
                   answered=march(22), confirmed=march(24), rating=2, by="system"),
        "c": story(world, submitted=march(3), routed=march(3, 10), responded=march(4),
                   answered=march(21, 16), reopens=[(march(24), march(25)), (march(26), march(27))],
                   confirmed=march(28)),
        "d": story(world, submitted=march(4), routed=march(4, 10)),
        "e": story(world, submitted=march(5)),
        "f": story(world, submitted=march(6), routed=march(6, 10), declined=march(7)),
    }  # fmt: skip
    sweep()  # d, e and f are flagged overdue
    return r


_bulk_numbers = itertools.count(1)


def bulk_reports(
    world: World,
    institution: Institution,
    n: int,
    *,
    on_time: int,
    day: date,
    rating: int | None = None,
) -> list[Report]:
    """`n` finished complaints (class 14 WD) routed to `institution` on `day` (a Monday), built
    directly for volume: `on_time` answered after 3 working days, the rest after 20 (late).

    Rows written without the services, only so a test can have hundreds of reports quickly;
    the fields are those the services would leave (first response the next working day).
    """
    from lapor.workdays.calendar import add_working_days

    zone = ZoneInfo(institution.effective_timezone)

    def moment(d: date, hour: int) -> datetime:
        return datetime.combine(d, time(hour), tzinfo=zone)

    rows = []
    for i in range(n):
        answered_day = add_working_days(day, 3 if i < on_time else 20)
        rows.append(
            Report(
                tracking_number=f"BLK{next(_bulk_numbers):09d}",
                report_type=ReportType.COMPLAINT,
                resolution_class=ResolutionClass.STANDARD,
                title=f"Laporan massal {i}",
                body="Isi laporan massal untuk uji volume.",
                state=State.FINISHED,
                queue_institution=institution,
                responsible_institution=institution,
                submitted_at=moment(day, 8),
                routed_at=moment(day, 10),
                first_response_at=moment(add_working_days(day, 1), 10),
                answered_at=moment(answered_day, 10),
                closed_at=moment(add_working_days(answered_day, 1), 10),
                satisfaction_rating=rating,
            )
        )
    return Report.objects.bulk_create(rows)
