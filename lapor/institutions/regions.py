"""Loading the shipped region list (data/regions.csv) into the Region table."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "regions.csv"


def read_regions() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_regions(region_model: Any = None) -> int:
    """Create or update every region; returns how many rows the file has.

    Takes the model as an argument so the data migration can pass its historical model.
    """
    if region_model is None:
        from lapor.institutions.models import Region

        region_model = Region
    rows = read_regions()
    provinces = {}
    for row in rows:
        if row["level"] == "province":
            provinces[row["code"]], _ = region_model.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "level": "province", "timezone": row["timezone"]},
            )
    for row in rows:
        if row["level"] != "province":
            province = provinces[row["province_code"]]
            region_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "level": row["level"],
                    "province": province,
                    "timezone": province.timezone,
                },
            )
    return len(rows)


def ensure_regions() -> None:
    """Load the regions if the table is empty (e.g. after a test flushed the database)."""
    from lapor.institutions.models import Region

    if not Region.objects.exists():
        load_regions(Region)
