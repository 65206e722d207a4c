"""Revoke an API token by its prefix: `revoke_api_token 1a2b3c4d`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.api.auth import revoke_token
from lapor.api.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token (it stops working at once; the row stays for the record)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", help="The token's prefix (the 8 characters after lpr_)")

    def handle(self, *args: Any, **options: Any) -> None:
        token = ApiToken.objects.filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(f"No token with prefix {options['prefix']!r}.")
        revoke_token(token)
        self.stdout.write(f"Revoked {token}.")
