"""Holiday services: seeding, edits, regional holidays, deadlines, cache and signal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from lapor.institutions.models import WIB, WIT, WITA, Region
from lapor.workdays.models import Holiday
from lapor.workdays.services import (
    add_holiday,
    current_revision,
    deadline_at,
    due_date,
    get_calendar,
    remove_holiday,
    seed_holidays,
    update_holiday,
)

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., Any]


def seeded(day: date, kind: str = Holiday.Kind.CUTI_BERSAMA) -> Holiday:
    return Holiday.objects.get(date=day, kind=kind, province=None)


# --- seeding ----------------------------------------------------------------------------------


def test_seeding_adds_national_holidays_and_cuti_bersama_once() -> None:
    assert seed_holidays([2026]) == 25
    assert Holiday.objects.filter(kind=Holiday.Kind.NATIONAL).count() == 17
    assert Holiday.objects.filter(kind=Holiday.Kind.CUTI_BERSAMA).count() == 8
    assert seed_holidays([2026]) == 0
    assert seed_holidays([2025, 2026]) == Holiday.objects.filter(date__year=2025).count()
    assert Holiday.objects.count() == Holiday.objects.values("date", "kind").distinct().count()


def test_seeded_rows_are_marked_and_named_in_indonesian() -> None:
    seed_holidays([2026])
    holiday = seeded(date(2026, 3, 20))
    assert holiday.source == Holiday.Source.SEED
    assert holiday.name == "Cuti Bersama Hari Raya Idul Fitri"
    assert seeded(date(2026, 3, 19), Holiday.Kind.NATIONAL).name == "Hari Suci Nyepi"


def test_seeding_never_resurrects_a_removed_holiday() -> None:
    seed_holidays([2026])
    remove_holiday(actor=None, holiday=seeded(date(2026, 3, 20)))
    assert seed_holidays([2026]) == 0
    assert seeded(date(2026, 3, 20)).is_removed
    assert get_calendar().is_working_day(date(2026, 3, 20))


def test_seeding_never_overwrites_a_manual_edit() -> None:
    seed_holidays([2026])
    edited = update_holiday(
        actor=None, holiday=seeded(date(2026, 3, 23)), name="Cuti bersama (revisi SKB)"
    )
    assert edited.source == Holiday.Source.MANUAL
    seed_holidays([2026])
    assert seeded(date(2026, 3, 23)).name == "Cuti bersama (revisi SKB)"


def test_moving_a_seeded_holiday_keeps_the_old_date_removed() -> None:
    seed_holidays([2026])
    original = seeded(date(2026, 3, 24))
    moved = update_holiday(actor=None, holiday=original, date=date(2026, 3, 25))
    assert moved.pk != original.pk
    assert (moved.date, moved.source, moved.is_removed) == (
        date(2026, 3, 25),
        Holiday.Source.MANUAL,
        False,
    )
    original.refresh_from_db()
    assert original.is_removed
    assert seed_holidays([2026]) == 0
    calendar = get_calendar()
    assert calendar.is_working_day(date(2026, 3, 24))
    assert not calendar.is_working_day(date(2026, 3, 25))


def test_seed_years_are_bounded() -> None:
    assert seed_holidays([]) == 0
    with pytest.raises(ValueError, match=r"1990\.\.2100"):
        seed_holidays([1900])


# --- manual edits -----------------------------------------------------------------------------


def test_regional_holiday_needs_a_province_and_only_regional_may_have_one(kaltim: Region) -> None:
    with pytest.raises(ValidationError):
        add_holiday(actor=None, date=date(2026, 3, 25), name="X", kind=Holiday.Kind.REGIONAL)
    with pytest.raises(ValidationError):
        add_holiday(
            actor=None,
            date=date(2026, 3, 25),
            name="X",
            kind=Holiday.Kind.NATIONAL,
            province=kaltim,
        )
    with pytest.raises(ValidationError):
        add_holiday(actor=None, date=date(2026, 3, 25), name="X", kind="weekend")
    assert not Holiday.objects.exists()


def test_regional_holiday_needs_a_province_not_a_city(samarinda: Region) -> None:
    with pytest.raises(ValidationError):
        add_holiday(
            actor=None,
            date=date(2026, 3, 25),
            name="HUT Kota",
            kind=Holiday.Kind.REGIONAL,
            province=samarinda,
        )


def test_adding_twice_is_refused_but_readding_a_removed_holiday_restores_it() -> None:
    first = add_holiday(
        actor=None, date=date(2026, 7, 1), name="Libur", kind=Holiday.Kind.NATIONAL, note="Keppres"
    )
    with pytest.raises(ValidationError):
        add_holiday(actor=None, date=date(2026, 7, 1), name="Lagi", kind=Holiday.Kind.NATIONAL)
    remove_holiday(actor=None, holiday=first)
    again = add_holiday(
        actor=None, date=date(2026, 7, 1), name="Libur lagi", kind=Holiday.Kind.NATIONAL
    )
    assert again.pk == first.pk
    assert (again.is_removed, again.name, again.note) == (False, "Libur lagi", "")
    assert Holiday.objects.count() == 1


def test_removing_never_deletes() -> None:
    holiday = add_holiday(actor=None, date=date(2026, 7, 1), name="L", kind=Holiday.Kind.NATIONAL)
    remove_holiday(actor=None, holiday=holiday)
    remove_holiday(actor=None, holiday=holiday)  # already removed: no error, no change
    holiday.refresh_from_db()
    assert holiday.is_removed
    assert get_calendar().is_working_day(date(2026, 7, 1))


def test_update_refuses_unknown_fields() -> None:
    holiday = add_holiday(actor=None, date=date(2026, 7, 1), name="L", kind=Holiday.Kind.NATIONAL)
    with pytest.raises(TypeError):
        update_holiday(actor=None, holiday=holiday, source=Holiday.Source.SEED)


def test_regional_holidays_only_affect_their_province(kaltim: Region, kalsel: Region) -> None:
    seed_holidays([2026])
    add_holiday(
        actor=None,
        date=date(2026, 3, 25),
        name="Libur daerah (uji)",
        kind=Holiday.Kind.REGIONAL,
        province=kaltim,
    )
    # 5 WD after 18 March: 25, 26, 27, 30, 31 March; without 25 March in Kaltim: 1 April.
    assert due_date(date(2026, 3, 18), 5, "64") == date(2026, 4, 1)
    assert due_date(date(2026, 3, 18), 5, "63") == date(2026, 3, 31)
    assert due_date(date(2026, 3, 18), 5) == date(2026, 3, 31)
    assert due_date(date(2026, 3, 18), 5, None) == date(2026, 3, 31)


def test_get_calendar_refuses_a_regency_code() -> None:
    with pytest.raises(ValueError, match="province code"):
        get_calendar("64.72")


# --- deadlines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        # 5 WD after 18 March 2026 is 31 March; its last microsecond in each zone, in UTC.
        (WIB, datetime(2026, 3, 31, 16, 59, 59, 999999, tzinfo=UTC)),
        (WITA, datetime(2026, 3, 31, 15, 59, 59, 999999, tzinfo=UTC)),
        (WIT, datetime(2026, 3, 31, 14, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_deadline_is_the_end_of_the_local_day(tz: str, expected: datetime) -> None:
    seed_holidays([2026])
    routed = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)  # 09:00 WIB, 10:00 WITA, 11:00 WIT
    deadline = deadline_at(routed, 5, tz=tz, province_code=None)
    assert deadline == expected
    assert deadline.tzinfo is UTC


def test_deadline_counts_from_the_local_date_in_the_institutions_zone() -> None:
    seed_holidays([2026])
    # 16:30 UTC is 23:30 on Thursday 12 March in WIB but 00:30 on Friday 13 March in WITA, so
    # 1 WD later is Friday 13 March in WIB and Monday 16 March in WITA.
    routed = datetime(2026, 3, 12, 16, 30, tzinfo=UTC)
    wib = deadline_at(routed, 1, tz=WIB, province_code=None)
    wita = deadline_at(routed, 1, tz=WITA, province_code=None)
    assert wib == datetime(2026, 3, 13, 16, 59, 59, 999999, tzinfo=UTC)
    assert wita == datetime(2026, 3, 16, 15, 59, 59, 999999, tzinfo=UTC)


def test_deadline_uses_the_provinces_regional_holidays(kaltim: Region) -> None:
    seed_holidays([2026])
    add_holiday(
        actor=None,
        date=date(2026, 3, 31),
        name="Libur daerah (uji)",
        kind=Holiday.Kind.REGIONAL,
        province=kaltim,
    )
    routed = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)
    assert deadline_at(routed, 5, tz=WITA, province_code="64") == datetime(
        2026, 4, 1, 15, 59, 59, 999999, tzinfo=UTC
    )


def test_deadline_refuses_naive_datetimes_and_unknown_zones() -> None:
    with pytest.raises(ValueError, match="aware"):
        deadline_at(datetime(2026, 3, 18, 9, 0), 5, tz=WIB, province_code=None)
    with pytest.raises(ValueError, match="time zone"):
        deadline_at(datetime(2026, 3, 18, tzinfo=UTC), 5, tz="Mars/Olympus", province_code=None)


# --- revision, cache, signal ------------------------------------------------------------------


def test_calendar_is_cached_with_one_query(
    django_assert_num_queries: Any, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seed_holidays([2026])
    first = get_calendar()
    with django_assert_num_queries(1):
        assert get_calendar() is first


def test_revision_bump_invalidates_the_cache(
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seed_holidays([2026])
    before = current_revision()
    cached = get_calendar()
    assert cached.is_working_day(date(2026, 7, 1))
    with django_capture_on_commit_callbacks(execute=True):
        add_holiday(actor=None, date=date(2026, 7, 1), name="L", kind=Holiday.Kind.NATIONAL)
    assert current_revision() == before + 1
    fresh = get_calendar()
    assert fresh is not cached
    assert not fresh.is_working_day(date(2026, 7, 1))


def test_a_holiday_written_behind_the_services_back_is_seen_at_once(
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seed_holidays([2026])
    cached = get_calendar()
    assert get_calendar() is cached  # unchanged table: the cache answers
    # Another process (or a raw write) adds a row without bumping the calendar revision: the
    # holiday table's trigger changes the reference stamp, so the cache still cannot miss it.
    Holiday.objects.create(date=date(2026, 7, 1), name="L", kind=Holiday.Kind.NATIONAL)
    assert not get_calendar().is_working_day(date(2026, 7, 1))


def test_a_rolled_back_change_is_never_served_from_the_cache() -> None:
    assert get_calendar().is_working_day(date(2026, 7, 1))
    with pytest.raises(RuntimeError), transaction.atomic():
        add_holiday(actor=None, date=date(2026, 7, 1), name="L", kind=Holiday.Kind.NATIONAL)
        assert not get_calendar().is_working_day(date(2026, 7, 1))  # seen inside
        raise RuntimeError("roll back")
    assert get_calendar().is_working_day(date(2026, 7, 1))
    assert get_calendar() is get_calendar()  # and the committed calendar is cached again


def test_each_change_sends_the_signal_once_after_commit(
    calendar_signals: list[dict[str, Any]],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        holiday = add_holiday(
            actor=None, date=date(2026, 7, 1), name="L", kind=Holiday.Kind.NATIONAL
        )
    assert calendar_signals == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(calendar_signals) == 1
    assert calendar_signals[0]["sender"] is Holiday
    assert calendar_signals[0]["revision"] == current_revision()

    for action in (
        lambda: update_holiday(actor=None, holiday=holiday, name="Libur"),
        lambda: remove_holiday(actor=None, holiday=holiday),
        lambda: seed_holidays([2026]),
    ):
        calendar_signals.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        assert [s["revision"] for s in calendar_signals] == [current_revision()]


def test_no_change_sends_no_signal(
    calendar_signals: list[dict[str, Any]],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seed_holidays([2026])
        holiday = seeded(date(2026, 3, 20))
        remove_holiday(actor=None, holiday=holiday)
    calendar_signals.clear()
    revision = current_revision()
    with django_capture_on_commit_callbacks(execute=True):
        assert seed_holidays([2026]) == 0
        update_holiday(actor=None, holiday=holiday, name=holiday.name)
        remove_holiday(actor=None, holiday=holiday)
    assert calendar_signals == []
    assert current_revision() == revision


def test_a_failing_receiver_does_not_break_the_change(
    django_capture_on_commit_callbacks: CaptureCallbacks, caplog: pytest.LogCaptureFixture
) -> None:
    from lapor.workdays.signals import calendar_changed

    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("receiver bug")

    calendar_changed.connect(broken, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            add_holiday(actor=None, date=date(2026, 7, 1), name="L", kind=Holiday.Kind.NATIONAL)
    finally:
        calendar_changed.disconnect(broken)
    assert Holiday.objects.filter(date=date(2026, 7, 1)).exists()
    assert "receiver" in caplog.text
