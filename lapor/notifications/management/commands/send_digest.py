"""`manage.py send_digest`: each staff member who chose it gets one summary per local day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lapor.notifications.digest import send_digests


class Command(BaseCommand):
    help = "Send the daily digest to staff who chose it (idempotent per person and local day)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_digests()
        self.stdout.write(f"{count} digest(s) created and queued for sending.")
