from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netral.core.progress import tqdm_progress
from netral.registry.services.regions_load import (
    PACKAGED_EDITION,
    PACKAGED_REGIONS,
    RegionFileError,
    regions_load,
)


class Command(BaseCommand):
    help = (
        "Load the Kemendagri region tree (provinsi to desa/kelurahan). Idempotent; a malformed "
        "file is rejected with its line numbers and the database is left unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=PACKAGED_REGIONS,
            help="CSV (optionally gzipped) with kode,nama,level,parent_kode; "
            "default: the copy shipped with Netral",
        )
        parser.add_argument(
            "--edition",
            default=PACKAGED_EDITION,
            help="Kepmendagri edition recorded on each region",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        progress, close = tqdm_progress("Memuat wilayah", unit="wilayah")
        try:
            result = regions_load(path=path, edition=options["edition"], progress=progress)
        except RegionFileError as exc:
            raise CommandError(f"{path}:\n{exc.message}\nBasis data tidak diubah.") from None
        finally:
            close()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.total} wilayah ({result.edition}): {result.created} baru, "
                f"{result.updated} diperbarui, {result.unchanged} tetap."
            )
        )
