from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netral.core.progress import ProgressCallback, tqdm_progress
from netral.registry.services.officials_import import (
    COLUMNS,
    ImportResult,
    officials_import,
)

_SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import supervised officials from CSV or XLSX with the columns "
        + ",".join(COLUMNS)
        + ". Every row is validated first; nothing is written unless all rows are valid. "
        "Re-importing a person with the same NIP, NIK or NRP updates them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV (UTF-8, comma or semicolon) or XLSX")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
        parser.add_argument(
            "--errors", type=Path, default=None, help="write every error to this CSV file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        dry_run: bool = options["dry_run"]
        progress, close = tqdm_progress("Mengimpor pejabat")
        saving: ProgressCallback | None = None
        close_saving: Callable[[], None] | None = None

        def saving_step(done: int, total: int | None) -> None:
            nonlocal saving, close_saving
            if saving is None:  # the rows are all read: their bar is complete
                close()
                saving, close_saving = tqdm_progress("Menyimpan", unit="langkah")
            saving(done, total)

        try:
            with path.open("rb") as fh:
                result = officials_import(
                    file=fh,
                    dry_run=dry_run,
                    progress=progress,
                    source_name=str(path),
                    read_in_process=True,  # a second core for parsing and validation
                    direct_load=True,  # an empty registry: written as it is read
                    saving=saving_step,
                )
        finally:
            close()
            if close_saving is not None:
                close_saving()
        self._report(result, options["errors"])

    def _report(self, result: ImportResult, errors_path: Path | None) -> None:
        if not result.ok:
            lines = [str(e) for e in result.errors[:_SHOWN_ERRORS]]
            if result.error_count > len(lines):
                lines.append(f"... dan {result.error_count - len(lines)} kesalahan lain")
            if errors_path is not None and result.error_csv is not None:
                result.error_csv.replace(errors_path)
                lines.append(f"Semua kesalahan ditulis ke {errors_path}")
            elif result.error_csv is not None:
                result.error_csv.unlink(missing_ok=True)
            raise CommandError(
                f"{result.error_count} kesalahan; basis data tidak diubah.\n" + "\n".join(lines)
            )
        if result.dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Validasi berhasil: {result.rows} baris sah. "
                    "Tidak ada yang ditulis (--dry-run)."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} baris: {result.created} pejabat baru, {result.updated} diperbarui, "
                f"{result.unchanged} tanpa perubahan, "
                f"{result.agencies_created} instansi baru, {result.history_added} riwayat jabatan, "
                f"{result.social_added} akun media sosial."
            )
        )
