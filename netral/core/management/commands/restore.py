"""`netral restore SRC`: restore a backup into an empty system and verify it (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netral.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore a backup made by `netral backup` into an empty database, storage and key "
        "directory; check its seal, every file, every audit chain and every sealed document."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", type=Path, help="the backup directory")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="only check the backup's seal and files; restore nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        src: Path = options["src"]
        try:
            if options["verify_only"]:
                manifest = backup_verify(src=src)
                self.stdout.write(
                    self.style.SUCCESS(f"{src}: {len(manifest['files'])} files intact")
                )
                return
            report = backup_restore(src=src, say=lambda step: self.stderr.write(f"… {step}"))
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore refused: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {src}: {report.files} media files, {report.audit_entries} audit "
                f"entries, {report.signatures} signatures, {report.receipts} receipts, "
                f"{report.joint_declarations} joint declarations and {report.captures} "
                "patrol captures verified"
            )
        )
