"""`manage.py open311_client create NAME [--institution CODE]` issues an Open311 api_key
(printed once; only its hash is kept); `list` shows clients; `revoke PREFIX` disables one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.channels.models import Open311Client
from lapor.institutions.models import Institution


class Command(BaseCommand):
    help = "Kelola kunci API Open311: create, list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Terbitkan kunci baru.")
        create.add_argument("name")
        create.add_argument("--institution", help="Kode instansi pemilik aplikasi.")
        sub.add_parser("list", help="Daftar klien.")
        revoke = sub.add_parser("revoke", help="Nonaktifkan kunci.")
        revoke.add_argument("prefix", help="Awal kunci (12 karakter pertama).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            institution = None
            if options["institution"]:
                institution = Institution.objects.filter(code=options["institution"]).first()
                if institution is None:
                    raise CommandError(f"Instansi {options['institution']!r} tidak dikenal.")
            client, key = Open311Client.issue(options["name"], institution)
            self.stdout.write(f"Klien {client.name} (id {client.pk}). Kunci API (simpan):")
            self.stdout.write(key)
        elif action == "list":
            for client in Open311Client.objects.order_by("id"):
                state = "aktif" if client.is_active else "nonaktif"
                self.stdout.write(f"{client.pk}\t{client.key_prefix}\t{state}\t{client.name}")
        else:
            count = Open311Client.objects.filter(key_prefix=options["prefix"]).update(
                is_active=False
            )
            if not count:
                raise CommandError("Tidak ada kunci dengan awalan itu.")
            self.stdout.write(f"{count} kunci dinonaktifkan.")
