from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from netral.core.progress import tqdm_progress
from netral.news.services import poll_due_sources


class Command(BaseCommand):
    help = (
        "Poll every active news source whose interval has passed (conditional requests, one "
        "request per site at a time); new articles become proposals for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        callback, close = tqdm_progress("Sumber berita", unit="sumber", disable=options["quiet"])
        try:
            results = poll_due_sources(progress=lambda done, total: callback(done, total))
        finally:
            close()
        for r in results:
            state = "skip" if r.skipped else ("304" if r.not_modified else f"{r.stored}/{r.items}")
            self.stdout.write(f"{r.source.name}: {state} {r.error}".rstrip())
