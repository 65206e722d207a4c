"""The reference stamp and the triggers that change it (lapor/institutions/stamps.py)."""

import secrets

from django.db import migrations, models

from lapor.institutions.stamps import install_function, remove_function, watch_table


def create_row(apps, schema_editor):
    stamp = apps.get_model("institutions", "ReferenceStamp")
    stamp.objects.update_or_create(pk=1, defaults={"value": secrets.token_hex(16)})


class Migration(migrations.Migration):
    dependencies = [("institutions", "0002_load_regions")]

    operations = [
        migrations.CreateModel(
            name="ReferenceStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.CharField(max_length=40)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
        migrations.RunPython(install_function, remove_function),
        watch_table("institutions", "Region"),
        watch_table("institutions", "Category"),
        watch_table("institutions", "Institution"),
    ]
