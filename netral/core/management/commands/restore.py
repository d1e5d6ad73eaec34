"""`netral restore SRC`: restore a backup into an empty system and verify it (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netral.core.backup import BackupError, backup_check, backup_restore


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
        parser.add_argument(
            "--key-fingerprint",
            metavar="FP",
            default=None,
            help=(
                "the sealing key's fingerprint `netral backup` printed (64 hex digits), kept "
                "off the backup's media: a backup sealed with any other key is refused before "
                "anything is restored (default: NETRAL_BACKUP_KEY_FINGERPRINT)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        src: Path = options["src"]
        given: str | None = options["key_fingerprint"]
        try:
            if options["verify_only"]:
                checked = backup_check(src=src, key_fingerprint=given)
                self.stdout.write(
                    self.style.SUCCESS(f"{src}: {len(checked.manifest['files'])} files intact")
                )
                self._anchor_note(checked.key_fingerprint, anchored=checked.anchored)
                return
            report = backup_restore(
                src=src, say=lambda step: self.stderr.write(f"… {step}"), key_fingerprint=given
            )
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
        self._anchor_note(report.key_fingerprint, anchored=report.anchored)

    def _anchor_note(self, fingerprint: str, *, anchored: bool) -> None:
        if anchored:
            self.stdout.write(
                _("Segel manifest.json cocok dengan sidik jari kunci %(fingerprint)s.")
                % {"fingerprint": fingerprint}
            )
            return
        self.stderr.write(
            self.style.WARNING(
                _(
                    "Peringatan: segel manifest.json hanya diperiksa dengan kunci di dalam "
                    "cadangan ini (sidik jari %(fingerprint)s), dan cadangan membawa kunci "
                    "privatnya: siapa pun yang dapat menulis cadangan dapat menyegelnya ulang. "
                    "Bandingkan sidik jari itu dengan yang dicetak `netral backup` dan dicatat "
                    "di luar media cadangan, atau berikan --key-fingerprint SIDIK_JARI (atau "
                    "NETRAL_BACKUP_KEY_FINGERPRINT) agar cadangan dengan kunci lain ditolak."
                )
                % {"fingerprint": fingerprint}
            )
        )
