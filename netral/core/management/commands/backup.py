"""`netral backup DEST`: database, media and keys with a sealed manifest (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netral.core.backup import BackupError, backup_create, expected_fingerprint


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database, media and signing keys into a new "
        "directory DEST, with a manifest of SHA-256 digests sealed with the signing key, and "
        "print the sealing key's fingerprint to keep off the backup's media."
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
        fingerprint = manifest["key_fingerprint"]
        self.stdout.write(
            _(
                "Sidik jari kunci segel (SHA-256): %(fingerprint)s\n"
                "Catat di luar media cadangan (buku operasi, pengelola kata sandi) dan berikan "
                "saat memulihkan: netral restore --key-fingerprint %(fingerprint)s"
            )
            % {"fingerprint": fingerprint}
        )
        try:
            anchor = expected_fingerprint()
        except BackupError as exc:
            anchor = ""
            self.stderr.write(self.style.WARNING(str(exc)))
        if anchor and anchor != fingerprint:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Peringatan: NETRAL_BACKUP_KEY_FINGERPRINT (%(anchor)s) bukan kunci "
                        "yang menyegel cadangan ini; kunci penanda tangan telah dirotasi? "
                        "Perbarui catatan dan pengaturan itu, atau `netral restore` akan "
                        "menolak cadangan ini."
                    )
                    % {"anchor": anchor}
                )
            )
