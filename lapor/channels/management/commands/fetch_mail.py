"""`manage.py fetch_mail [--limit 100] [--loop]`: read the e-mail channel's IMAP mailbox.

Each unread message is stored as an InboundMessage (kept whatever happens), processed like a
webhook e-mail (new report, threaded reply, or ignored auto-reply), then flagged as read.
"""

from __future__ import annotations

import contextlib
import imaplib
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.channels.imap import connect, fetch_mail


class Command(BaseCommand):
    help = "Ambil surel baru dari kotak IMAP kanal surel dan proses menjadi laporan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=100, help="Pesan per putaran.")
        parser.add_argument("--mailbox", default=None, help="Bawaan: IMAP_MAILBOX.")
        parser.add_argument("--loop", action="store_true", help="Terus berjalan.")
        parser.add_argument("--interval", type=float, default=60.0, help="Detik antar putaran.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.IMAP_HOST:
            raise CommandError("IMAP_HOST belum diatur: kanal surel IMAP tidak aktif.")
        mailbox = options["mailbox"] or settings.IMAP_MAILBOX
        while True:
            try:
                self._once(mailbox, options["limit"])
            except (imaplib.IMAP4.error, OSError) as error:
                if not options["loop"]:
                    raise CommandError(f"IMAP: {error}") from error
                self.stderr.write(f"IMAP tidak dapat dihubungi ({error}); dicoba lagi.")
            if not options["loop"]:
                return
            time.sleep(options["interval"])

    def _once(self, mailbox: str, limit: int) -> None:
        conn = connect()
        try:
            result = fetch_mail(conn, mailbox=mailbox, limit=limit)
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted((result.by_status or {}).items()))
        self.stdout.write(
            f"Surel diambil: {result.fetched} (duplikat {result.duplicates}). {statuses}".strip()
        )
