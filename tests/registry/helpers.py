from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from netral.audit.models import AuditEntry
from netral.registry.models import Agency, ImportJob, Official, PositionHistory, SocialAccount
from netral.registry.services.officials_import import officials_import

OFFICIALS_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "officials"
HEADER = (
    "jenis,nama,nip,nik,nrp,jabatan,kategori_jabatan,instansi,kode_wilayah,email,"
    "telepon,media_sosial"
)


def fixture(name: str) -> io.BytesIO:
    return io.BytesIO((OFFICIALS_FIXTURES / name).read_bytes())


def csv_bytes(*rows: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode("utf-8"))


def db_state() -> tuple[int, ...]:
    """Counts of everything an import may write; equal before and after = unchanged."""
    return (
        Official.objects.count(),
        Agency.objects.count(),
        SocialAccount.objects.count(),
        PositionHistory.objects.count(),
        ImportJob.objects.count(),
        AuditEntry.objects.count(),
    )


def import_and_undo(file: io.BytesIO, *, in_process: bool, direct_load: bool) -> tuple[Any, ...]:
    """Import, note everything written and every error, then roll it all back."""
    from django.db import transaction

    with transaction.atomic():
        result = officials_import(
            file=file, source_name="x", read_in_process=in_process, direct_load=direct_load
        )
        officials = sorted(
            Official.objects.values_list(
                "subject_type", "name", "name_folded", "nip", "ni_pppk", "nik", "nrp",
                "position", "position_category", "agency__name", "agency__region_id",
                "region_id", "email", "phone", "nik_hash", "nik_hint", "is_active",
            )
        )  # fmt: skip
        social = sorted(SocialAccount.objects.values_list("official__name", "platform", "handle"))
        error_file = result.error_csv.read_bytes() if result.error_csv else b""
        transaction.set_rollback(True)
    summary = result.summary()
    return summary, [str(e) for e in result.errors], error_file, officials, social
