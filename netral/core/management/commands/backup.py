"""`netral backup DEST`: database, media and keys with a sealed manifest (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netral.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database, media and signing keys into a new "
        "directory DEST, with a manifest of SHA-256 digests sealed with the signing key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path, help="a directory that does not exist yet")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(
                dest=options["dest"], say=lambda step: self.stderr.write(f"… {step}")
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed, nothing kept: {exc}") from None
        total = sum(f["bytes"] for f in manifest["files"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"backup {options['dest']}: {len(manifest['files'])} files, {total:,} bytes, "
                f"{manifest['engine']}"
            )
        )
