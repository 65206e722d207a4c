"""`manage.py sweep_deadlines ARGS`, run with no `report_event_recorded` receiver connected.

The receivers (notifications, outgoing webhooks) run in the sweeper's process after each batch
commits, one event at a time; over ten thousand events they are nearly all of the sweeper's
time, and a database outage mostly hits them (they log and carry on). The tests that are about
the sweeper's own transactions (its share of the work with a second sweeper, its retries when
the database goes away) run it through this script; the command itself is unchanged.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from lapor.reports.signals import report_event_recorded

    report_event_recorded.receivers = []
    execute_from_command_line(["manage.py", "sweep_deadlines", *sys.argv[1:]])
