"""Changes to these rows change the reference stamp (lapor/institutions/stamps.py), which
empties the process-wide reference cache (lapor/institutions/refcache.py)."""

from django.db import migrations

from lapor.institutions.stamps import watch_table


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_initial"), ("institutions", "0003_reference_stamp")]

    operations = [
        watch_table("channels", "Open311Client", ignore=["last_used_at"]),
    ]
