"""`netral clean_orphans [--dry-run]`: report and remove files no row refers to."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from netral.core.orphans import orphans_clean
from netral.core.progress import tqdm_progress


class Command(BaseCommand):
    help = (
        "Report and remove media files (on the disk or in the bucket) and abandoned temporary "
        "uploads that no row refers to and that are older than an hour."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only report what would be removed"
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=3600,
            help="seconds a file must be old to count (default 3600: a save in progress "
            "has no committed row yet)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        callback, close = tqdm_progress("berkas", unit="berkas")
        try:
            report = orphans_clean(
                dry_run=options["dry_run"], min_age=options["min_age"], progress=callback
            )
        finally:
            close()
        for path in report.files:
            self.stdout.write(str(path))
        verb = "would remove" if options["dry_run"] else "removed"
        self.stdout.write(
            f"{len(report.files)} orphaned files, {report.bytes} bytes: {verb}"
            + ("" if options["dry_run"] else f" {report.removed}")
        )
