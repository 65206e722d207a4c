"""`manage.py demo_data [--reports 360] [--seed 2026]`: load the demo organisation and reports.

Safe to run again: when the demo already exists it only prints the logins.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lapor.reports.demo import DEMO_PASSWORD, DemoResult, build_demo
from lapor.reports.demo.builder import login_rows, other_usernames, state_label, type_label
from lapor.reports.models import Channel, State


class Command(BaseCommand):
    help = (
        "Muat data demo: instansi Kalimantan Timur, akun per peran, dan laporan dalam semua status."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reports", type=int, default=360, help="Jumlah laporan (bawaan 360).")
        parser.add_argument("--seed", type=int, default=2026, help="Benih acak (bawaan 2026).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reports"] < 1:
            self.stderr.write("--reports harus minimal 1.")
            return
        result = build_demo(reports=options["reports"], seed=options["seed"])
        if result.created:
            self._summary(result)
        else:
            self.stdout.write(
                "Data demo sudah ada (instansi NASIONAL ditemukan); tidak ada yang dibuat."
            )
        self._logins()

    def _summary(self, result: DemoResult) -> None:
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Data demo dibuat: {result.reports} laporan dalam {result.seconds:.1f} detik."
            )
        )
        write("\nLaporan per status:")
        for state in State.values:
            write(f"  {state_label(state):<34} {state:<22} {result.states.get(state, 0):>5}")
        write(
            f"\nTerbuka dan melewati tenggat: {result.overdue_open}; mendekati tenggat "
            f"penyelesaian (< 4 hari): {result.near_deadline}"
        )
        write(f"Anonim: {result.anonymous}; rahasia: {result.confidential}")
        write(
            "Jenis: " + ", ".join(f"{type_label(t)} {n}" for t, n in sorted(result.types.items()))
        )
        channels = sorted(result.channels.items(), key=lambda kv: -kv[1])
        write("Kanal: " + ", ".join(f"{Channel(c).label} {n}" for c, n in channels))
        if result.guest_example:
            number, secret = result.guest_example
            write(f"Contoh laporan tamu (dijawab): nomor {number}, kode rahasia {secret}")
        if result.warnings or result.missed:
            write(self.style.WARNING(f"\n{len(result.warnings)} langkah ditolak layanan:"))
            for line in result.warnings[:10]:
                write(f"  {line}")
            for line in result.missed[:10]:
                write(f"  tidak mencapai status rencana: {line}")

    def _logins(self) -> None:
        write = self.stdout.write
        write(f"\nAkun demo (kata sandi semua akun: {DEMO_PASSWORD}):")
        write(f"  {'username':<20} {'peran':<44} instansi")
        for username, role, institution in login_rows():
            write(f"  {username:<20} {role:<44} {institution}")
        others = other_usernames()
        write(
            f"  ... dan {len(others)} akun lain dengan kata sandi yang sama: " + ", ".join(others)
        )
        write(
            self.style.WARNING(
                "\nPERINGATAN: ini akun DEMO dengan kata sandi yang diketahui umum. "
                "Jangan pernah memuat data demo di server produksi."
            )
        )
