"""Issue an API token: `create_api_token NAME --institution CODE` or `--user USERNAME`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.accounts.models import Role, User
from lapor.api.auth import INTEGRATION_ROLES, issue_token
from lapor.institutions.models import Institution


class Command(BaseCommand):
    help = (
        "Issue an API token and print it once (only its hash is stored). --institution makes an "
        "integration token acting through a new service account with one membership there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="What the token is for, e.g. the application's name")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--user", help="Username the token acts as")
        target.add_argument("--institution", help="Code of the institution (integration)")
        parser.add_argument(
            "--role",
            default=Role.INSTITUTION_ADMIN,
            choices=list(INTEGRATION_ROLES),
            help="The integration's workflow role at its institution (default institution_admin)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = institution = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['user']!r}.")
        elif options["institution"]:
            institution = Institution.objects.filter(
                code=options["institution"], is_active=True
            ).first()
            if institution is None:
                raise CommandError(f"No active institution with code {options['institution']!r}.")
        else:
            raise CommandError("Give --user USERNAME or --institution CODE.")
        try:
            token, raw = issue_token(
                name=options["name"], user=user, institution=institution, role=options["role"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Token {token.prefix} for {token.user.username} (shown once):")
        self.stdout.write(raw)
