"""manage.py seed_holidays [--years 2024-2028]: fill the holiday table from `holidays`."""

from __future__ import annotations

import argparse
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lapor.workdays.services import SEED_YEARS_MAX, SEED_YEARS_MIN, seed_holidays

_YEARS = re.compile(r"^\s*([0-9]{4})\s*(?:-\s*([0-9]{4})\s*)?$")


def parse_years(text: str) -> list[int]:
    """'2026' -> [2026]; '2024-2028' -> [2024..2028]; '2024,2026' -> [2024, 2026]."""
    years: set[int] = set()
    for part in text.split(","):
        match = _YEARS.match(part)
        if match is None:
            raise argparse.ArgumentTypeError(
                f"{part!r} is not a year or a range of years like 2024-2028"
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first > last:
            raise argparse.ArgumentTypeError(f"{part!r}: the range is reversed")
        if first < SEED_YEARS_MIN or last > SEED_YEARS_MAX:
            raise argparse.ArgumentTypeError(
                f"{part!r}: years must lie in {SEED_YEARS_MIN}..{SEED_YEARS_MAX}"
            )
        years.update(range(first, last + 1))
    return sorted(years)


class Command(BaseCommand):
    help = (
        "Add Indonesia's national holidays and cuti bersama from the `holidays` package. "
        "Idempotent: existing, edited and removed holidays are left alone."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--years",
            type=parse_years,
            default=None,
            help="a year or a range, e.g. 2024-2028 (default: last year to two years ahead)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years: list[int] | None = options["years"]
        if years is None:
            this_year = timezone.localdate().year
            years = list(range(this_year - 1, this_year + 3))
        try:
            added = seed_holidays(years)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{added} holidays added for {', '.join(map(str, years))}.")
