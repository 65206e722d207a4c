"""Benchmark of the working-day calendar (lapor.workdays.calendar) against numpy.busday_offset.

Run with `make bench-calendar` (`.venv/bin/python bench/bench_calendar.py`). Builds the calendar
from the `holidays` package (Indonesia 2020-2035, public + government) without Django, times
single calls and a batch of 1,000,000 (start, days) pairs next to numpy on the same holidays,
prints the figures and the machine, and writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import holidays  # noqa: E402
import numpy as np  # noqa: E402

from bench import common  # noqa: E402
from lapor.workdays.calendar import WorkCalendar  # noqa: E402

SECTION = "## Calendar (make bench-calendar)"
DOC = ROOT / "docs" / "benchmarks.md"
YEARS = range(2020, 2036)
SEED = 2026


def machine() -> dict[str, str]:
    import os

    cpu = common.cpu_model()
    return {
        "platform": platform.platform(),
        "cpu": f"{cpu} ({os.cpu_count()} logical CPUs)",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "holidays": holidays.__version__,
    }


def best_of(repeats: int, run: Callable[[], object]) -> float:
    """Best wall time of `repeats` runs: the least disturbed by other work on the machine."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="calls / batch size")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    args = parser.parse_args()
    n, repeats = args.n, args.repeats

    holiday_days = sorted(
        {
            day
            for category in ("public", "government")
            for day in holidays.country_holidays("ID", years=YEARS, categories=(category,))
        }
    )
    build_s = best_of(3, lambda: WorkCalendar(holiday_days))
    calendar = WorkCalendar(holiday_days)
    assert "django" not in sys.modules, "the calendar must not need Django"
    busdaycal = np.busdaycalendar(
        weekmask="1111100", holidays=np.array(holiday_days, dtype="datetime64[D]")
    )

    # Starts anywhere in 2020 .. mid-2034 so that +60 WD stays inside the listed years; days
    # 1..60 spans the legal limits (3, 5, 10, 14, 60). days >= 1 because only then does
    # busday_offset(roll="backward") mean "the n-th working day after start" (for 0 it would
    # roll a holiday back instead of returning it unchanged).
    rng = np.random.default_rng(SEED)
    first = np.datetime64("2020-01-01")
    span = int((np.datetime64("2034-06-30") - first).astype(np.int64))
    starts = first + rng.integers(0, span, size=n)
    days = rng.integers(1, 61, size=n)

    ours = calendar.add_working_days_batch(starts, days)
    theirs = np.busday_offset(starts, days, roll="backward", busdaycal=busdaycal)
    assert np.array_equal(ours, theirs), "calendar and numpy disagree"
    start_dates: list[date] = starts.tolist()
    day_list: list[int] = days.tolist()
    start_ordinals = [d.toordinal() for d in start_dates]
    sample = 2000
    for s, k, expected in zip(
        start_dates[:sample], day_list[:sample], ours[:sample].tolist(), strict=True
    ):
        assert calendar.add_working_days(s, k) == expected
        assert calendar.add_working_days_ordinal(s.toordinal(), k) == expected.toordinal()

    add, add_ord = calendar.add_working_days, calendar.add_working_days_ordinal
    between, is_wd = calendar.working_days_between, calendar.is_working_day
    results = ours.tolist()

    def loop_date() -> None:
        for s, k in zip(start_dates, day_list, strict=True):
            add(s, k)

    def loop_ordinal() -> None:
        for s, k in zip(start_ordinals, day_list, strict=True):
            add_ord(s, k)

    def loop_between() -> None:
        for s, e in zip(start_dates, results, strict=True):
            between(s, e)

    def loop_is_working() -> None:
        for s in start_dates:
            is_wd(s)

    scalar_n = min(n, 100_000)  # numpy scalar calls are slow; fewer of them
    np_starts = list(starts[:scalar_n])
    np_days = day_list[:scalar_n]

    def loop_numpy_scalar() -> None:
        for s, k in zip(np_starts, np_days, strict=True):
            np.busday_offset(s, k, roll="backward", busdaycal=busdaycal)

    rows: list[tuple[str, float, int]] = [
        ("add_working_days(date, n)", best_of(repeats, loop_date), n),
        ("add_working_days_ordinal(int, n)", best_of(repeats, loop_ordinal), n),
        ("working_days_between(date, date)", best_of(repeats, loop_between), n),
        ("is_working_day(date)", best_of(repeats, loop_is_working), n),
        ("numpy.busday_offset, one scalar call", best_of(repeats, loop_numpy_scalar), scalar_n),
    ]
    batch_rows: list[tuple[str, float, int]] = [
        (
            "add_working_days_batch",
            best_of(repeats, lambda: calendar.add_working_days_batch(starts, days)),
            n,
        ),
        (
            "numpy.busday_offset(busdaycal=...)",
            best_of(
                repeats,
                lambda: np.busday_offset(starts, days, roll="backward", busdaycal=busdaycal),
            ),
            n,
        ),
        (
            "numpy.busday_offset(holidays=...)",
            best_of(
                repeats,
                lambda: np.busday_offset(
                    starts, days, roll="backward", weekmask="1111100", holidays=holiday_days
                ),
            ),
            n,
        ),
    ]
    info = machine()
    report = render(info, len(holiday_days), build_s, rows, batch_rows, n, repeats)
    print(report)
    if not args.no_write:
        write_section(report)
        print(f"\nWrote the section '{SECTION}' of {DOC.relative_to(ROOT)}.")


def render(
    info: dict[str, str],
    holiday_count: int,
    build_s: float,
    rows: list[tuple[str, float, int]],
    batch_rows: list[tuple[str, float, int]],
    n: int,
    repeats: int,
) -> str:
    lines = [
        SECTION,
        "",
        f"Run on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by `bench/bench_calendar.py`.",
        "",
        f"- Machine: {info['platform']}; {info['cpu']}",
        f"- Python {info['python']}, numpy {info['numpy']}, holidays {info['holidays']}",
        f"- Calendar: {holiday_count} holidays (Indonesia {YEARS.start}-{YEARS.stop - 1}, "
        f"public + government), span 1990-2100, built in {build_s * 1000:.1f} ms, no Django",
        f"- Inputs: {n:,} random starts in 2020-01-01..2034-06-30, days 1..60; best of "
        f"{repeats} runs; the batch results equal numpy's (checked before timing)",
        "",
        "Single calls (a Python loop over prepared inputs; loop overhead included):",
        "",
        "| call | calls | time | calls per second |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds, count in rows:
        lines.append(f"| `{name}` | {count:,} | {seconds:.3f} s | {count / seconds:,.0f} |")
    lines += [
        "",
        f"Batch of {n:,} (start, days) pairs (`datetime64[D]` in, `datetime64[D]` out):",
        "",
        "| call | time | pairs per second | speed relative to numpy with busdaycal |",
        "|---|---:|---:|---:|",
    ]
    reference = batch_rows[1][1]
    for name, seconds, count in batch_rows:
        lines.append(
            f"| `{name}` | {seconds * 1000:.1f} ms | {count / seconds:,.0f} | "
            f"{reference / seconds:.2f}x |"
        )
    lines += [
        "",
        "Conventions: our n-th working day AFTER `start` equals "
        '`numpy.busday_offset(start, n, roll="backward")` for n >= 1 (numpy counts from the '
        "start rolled to a working day; rolling backward keeps the same successors). "
        "Targets: single calls above 1,000,000/s, batch at least as fast as numpy.",
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    common.write_section(SECTION, section)


if __name__ == "__main__":
    main()
