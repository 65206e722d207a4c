"""System checks that refuse a configuration that cannot work safely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

DEV_KEY_PREFIX = "dev-insecure-"


def _static_manifest_missing() -> bool:
    backend = str(settings.STORAGES.get("staticfiles", {}).get("BACKEND", ""))
    return "Manifest" in backend and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists()


@register()
def check_production_settings(app_configs: Any, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    if not settings.DEBUG:
        if settings.SECRET_KEY.startswith(DEV_KEY_PREFIX) or len(settings.SECRET_KEY) < 40:
            problems.append(
                Error(
                    "SECRET_KEY is the development key or too short while DEBUG is off.",
                    hint="Set SECRET_KEY to a random string of 50+ characters.",
                    id="lapor.E001",
                )
            )
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            problems.append(
                Warning(
                    "DEBUG is off but the database is SQLite.",
                    hint="Production runs on PostgreSQL: set DATABASE_URL (docs/deployment.md).",
                    id="lapor.W001",
                )
            )
        if _static_manifest_missing():
            problems.append(
                Warning(
                    "DEBUG is off and the static files are not collected: every page that "
                    "links a stylesheet (the 404 page too) fails with a server error.",
                    hint="Run `manage.py collectstatic --noinput` (docs/deployment.md).",
                    id="lapor.W002",
                )
            )
    if settings.TASKS_BACKEND not in {"db", "immediate"}:
        problems.append(Error("TASKS_BACKEND must be 'db' or 'immediate'.", id="lapor.E002"))
    return problems
