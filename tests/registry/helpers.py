from __future__ import annotations

import io
from pathlib import Path

from netral.audit.models import AuditEntry
from netral.registry.models import Agency, ImportJob, Official, PositionHistory, SocialAccount

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
