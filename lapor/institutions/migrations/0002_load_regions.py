"""Load the 38 provinces and 514 regencies/cities (Kemendagri codes) shipped in data/regions.csv."""

from django.db import migrations

from lapor.institutions.regions import load_regions


def forwards(apps, schema_editor):
    load_regions(apps.get_model("institutions", "Region"))


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
