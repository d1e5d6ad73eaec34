"""`netral rotate_data_key [--dry-run] [--reencrypt-only]` (issue 14 pt 15)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netral.core.encryption import DecryptionError, key_ring
from netral.core.keyrotation import rotate_data_key
from netral.core.progress import tqdm_progress


class Command(BaseCommand):
    help = (
        "Create a new data key for the encryption at rest, make it active and encrypt every "
        "stored value again with it, in batches (audited). Older keys stay in the key "
        "directory; the blind-index key is not changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the values that would be encrypted again; change nothing.",
        )
        parser.add_argument(
            "--reencrypt-only",
            action="store_true",
            help="Keep the active key; encrypt again only values under older keys (to "
            "finish an interrupted rotation).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        callback, close = tqdm_progress("rotate_data_key", unit="nilai")
        try:
            report = rotate_data_key(
                dry_run=options["dry_run"],
                new_key=not options["reencrypt_only"],
                progress=callback,
            )
        except DecryptionError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            close()
        for (table, column), count in sorted(report.columns.items()):
            self.stdout.write(f"{table}.{column}: {count}")
        if options["dry_run"]:
            self.stdout.write(
                f"Uji coba: {report.values} nilai akan dienkripsi ulang (kunci aktif "
                f"{report.key_id}); tidak ada yang diubah."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Kunci data aktif: {report.key_id}; {report.values} nilai dienkripsi ulang "
                f"({len(key_ring().data_key_ids())} kunci data di {key_ring().directory})."
            )
        )
