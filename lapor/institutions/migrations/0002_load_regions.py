"""Load the 38 provinces and 514 regencies/cities (Kemendagri codes) shipped in data/regions.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("institutions", "Region")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    provinces = {}
    for row in rows:
        if row["level"] == "province":
            region, _ = Region.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "level": "province", "timezone": row["timezone"]},
            )
            provinces[row["code"]] = region
    for row in rows:
        if row["level"] != "province":
            province = provinces[row["province_code"]]
            Region.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "level": row["level"],
                    "province": province,
                    "timezone": province.timezone,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
