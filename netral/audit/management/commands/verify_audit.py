from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from netral.audit.services import audit_verify
from netral.core.progress import tqdm_progress


class Command(BaseCommand):
    help = "Check every audit chain for edited, deleted or reordered entries (exit 1 on a break)."

    def handle(self, *args: Any, **options: Any) -> None:
        progress, close = tqdm_progress("Memeriksa jejak audit", unit="entri")
        try:
            result = audit_verify(progress=progress)
        finally:
            close()
        for brk in result.breaks:
            self.stderr.write(
                f"RUSAK {brk.chain_key} #{brk.seq} (id {brk.entry_id}): {brk.problem}"
            )
        summary = (
            f"{result.entries} entri dalam {result.chains} rantai dan "
            f"{result.checkpoints} titik periksa diperiksa"
        )
        if not result.ok:
            raise CommandError(f"{summary}; {len(result.breaks)} kerusakan ditemukan.")
        self.stdout.write(self.style.SUCCESS(f"{summary}; semua utuh."))
