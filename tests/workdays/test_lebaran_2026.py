"""Fixed cases around Lebaran (Idul Fitri 1447 H) 2026.

Source: SKB 3 Menteri (Menteri Agama No. 1497 Tahun 2025, Menteri Ketenagakerjaan No. 2 Tahun
2025, Menteri PANRB No. 5 Tahun 2025) tentang Hari Libur Nasional dan Cuti Bersama Tahun 2026,
signed 19 September 2025: 17 national holidays and 8 days of cuti bersama, listed below.

The expected due dates were worked out by hand from this list and the weekends, not with the
code under test. March 2026 starts on a Sunday; the Lebaran block runs from Wednesday 18 March
(cuti bersama Nyepi) to Tuesday 24 March (cuti bersama Idul Fitri).
"""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from lapor.workdays.calendar import WorkCalendar

NATIONAL_2026 = {
    date(2026, 1, 1): "Tahun Baru 2026 Masehi",
    date(2026, 1, 16): "Isra Mikraj Nabi Muhammad SAW",
    date(2026, 2, 17): "Tahun Baru Imlek 2577 Kongzili",
    date(2026, 3, 19): "Hari Suci Nyepi (Tahun Baru Saka 1948)",
    date(2026, 3, 21): "Idul Fitri 1447 H",  # Saturday
    date(2026, 3, 22): "Idul Fitri 1447 H",  # Sunday
    date(2026, 4, 3): "Wafat Yesus Kristus",
    date(2026, 4, 5): "Kebangkitan Yesus Kristus (Paskah)",  # Sunday
    date(2026, 5, 1): "Hari Buruh Internasional",
    date(2026, 5, 14): "Kenaikan Yesus Kristus",
    date(2026, 5, 27): "Idul Adha 1447 H",
    date(2026, 5, 31): "Hari Raya Waisak 2570 BE",  # Sunday
    date(2026, 6, 1): "Hari Lahir Pancasila",
    date(2026, 6, 16): "1 Muharam Tahun Baru Islam 1448 H",
    date(2026, 8, 17): "Proklamasi Kemerdekaan",
    date(2026, 8, 25): "Maulid Nabi Muhammad SAW",
    date(2026, 12, 25): "Kelahiran Yesus Kristus",
}
CUTI_BERSAMA_2026 = {
    date(2026, 2, 16): "Tahun Baru Imlek",
    date(2026, 3, 18): "Hari Suci Nyepi",
    date(2026, 3, 20): "Idul Fitri 1447 H",
    date(2026, 3, 23): "Idul Fitri 1447 H",
    date(2026, 3, 24): "Idul Fitri 1447 H",
    date(2026, 5, 15): "Kenaikan Yesus Kristus",
    date(2026, 5, 28): "Idul Adha 1447 H",
    date(2026, 12, 24): "Kelahiran Yesus Kristus",
}


@pytest.fixture(scope="module")
def skb_2026() -> WorkCalendar:
    return WorkCalendar([*NATIONAL_2026, *CUTI_BERSAMA_2026])


def test_holidays_package_matches_the_decree() -> None:
    """What `seed_holidays` imports equals the SKB; fails loudly if an upgrade changes it."""
    public = holidays.country_holidays("ID", years=2026, categories=("public",))
    government = holidays.country_holidays("ID", years=2026, categories=("government",))
    assert set(public) == set(NATIONAL_2026)
    assert set(government) == set(CUTI_BERSAMA_2026)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Routed on Wednesday 18 March (cuti bersama) with 5 WD: 25, 26, 27, 30, 31 March.
        (date(2026, 3, 18), 5, date(2026, 3, 31)),
        # Routed Tuesday 17 March, verification 3 WD: 18-24 are all off, so 25, 26, 27 March.
        (date(2026, 3, 17), 3, date(2026, 3, 27)),
        # Routed Monday 16 March, 5 WD: 17, 25, 26, 27, 30 March.
        (date(2026, 3, 16), 5, date(2026, 3, 30)),
        # Submitted on Idul Fitri itself (Saturday 21 March), 3 WD: 25, 26, 27 March.
        (date(2026, 3, 21), 3, date(2026, 3, 27)),
        # Routed Wednesday 18 March, 10 WD: 25, 26, 27, 30, 31 Mar, 1, 2 Apr (3 Apr is Good
        # Friday), 6, 7, 8 April.
        (date(2026, 3, 18), 10, date(2026, 4, 8)),
        # Routed Friday 13 March, 14 WD: 16, 17, 25, 26, 27, 30, 31 Mar, 1, 2, 6, 7, 8, 9, 10 Apr.
        (date(2026, 3, 13), 14, date(2026, 4, 10)),
        # Tuesday 24 March (last cuti bersama), 1 WD: Wednesday 25 March.
        (date(2026, 3, 24), 1, date(2026, 3, 25)),
        # Ascension: 14 May (holiday) and 15 May (cuti bersama), weekend: 18-22 May.
        (date(2026, 5, 13), 5, date(2026, 5, 22)),
        # Idul Adha 27 May, cuti bersama 28 May, 29 May works, Waisak on Sunday 31 May,
        # Pancasila Monday 1 June: 29 May, 2, 3 June.
        (date(2026, 5, 26), 3, date(2026, 6, 3)),
        # Christmas: 24 (cuti bersama), 25 (holiday), weekend: Monday 28 December.
        (date(2026, 12, 23), 1, date(2026, 12, 28)),
    ],
)
def test_due_dates_around_holidays(
    skb_2026: WorkCalendar, start: date, days: int, due: date
) -> None:
    assert skb_2026.add_working_days(start, days) == due
    assert skb_2026.working_days_between(start, due) == days


def test_lebaran_week_is_not_worked(skb_2026: WorkCalendar) -> None:
    assert skb_2026.is_working_day(date(2026, 3, 17))
    for day in range(18, 25):
        assert not skb_2026.is_working_day(date(2026, 3, day)), day
    assert skb_2026.is_working_day(date(2026, 3, 25))


def test_working_days_in_march_and_in_2026(skb_2026: WorkCalendar) -> None:
    # March 2026: 22 weekdays minus 18, 19, 20, 23, 24 March.
    assert skb_2026.working_days_between(date(2026, 2, 28), date(2026, 3, 31)) == 17
    # 2026 has 261 weekdays (it starts on a Thursday); 13 national holidays fall on weekdays
    # (21/22 March, 5 April and 31 May are Sundays or a Saturday) and all 8 cuti bersama do.
    assert skb_2026.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 240
