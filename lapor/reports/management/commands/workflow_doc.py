from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lapor.reports.workflow import render_markdown


class Command(BaseCommand):
    help = "Write docs/workflow.md from the transition table (or --check that it is current)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="fail if the file is stale")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.BASE_DIR) / "docs" / "workflow.md"
        text = render_markdown()
        if options["check"]:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise SystemExit("docs/workflow.md is stale: run `manage.py workflow_doc`.")
            self.stdout.write("docs/workflow.md is current.")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {target}")
