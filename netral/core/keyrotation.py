"""Rotating the data key of the encryption at rest (issue 14 pt 15; netral/core/encryption.py).

A new key is made active first, so values written meanwhile use it; then every encrypted
column is walked in batches by primary key, each batch committed on its own, and every
value under another key is decrypted and encrypted again. An interrupted run leaves values
under both keys, all readable; `--reencrypt-only` finishes it. The run is recorded as a
DataKeyRotation with an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from netral.core.encryption import PREFIX, encrypted_columns, key_ring, reseal_column
from netral.core.progress import ProgressCallback, noop_progress


@dataclass
class RotationReport:
    key_id: str
    values: int = 0
    columns: dict[tuple[str, str], int] = field(default_factory=dict)


def _encrypted_count(table: str, column: str) -> int:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(column)} LIKE %s",  # noqa: S608
            [PREFIX + "%"],
        )
        return int(cursor.fetchone()[0])


def rotate_data_key(
    *, dry_run: bool = False, new_key: bool = True, progress: ProgressCallback = noop_progress
) -> RotationReport:
    from netral.audit.services import audit_record
    from netral.core.models import DataKeyRotation

    started = timezone.now()
    ring = key_ring()
    columns = encrypted_columns()
    total = sum(_encrypted_count(table, column) for table, _pk, column, _aad in columns)
    if dry_run:
        report = RotationReport(key_id=ring.active_id())
        for table, pk, column, aad in columns:
            if new_key:  # every encrypted value would move to the new key
                count = _encrypted_count(table, column)
            else:
                count = reseal_column(connection, table, pk, column, aad, "rotate", dry_run=True)
            report.columns[(table, column)] = count
            report.values += count
        return report
    kid = ring.rotate() if new_key else ring.active_id()
    report = RotationReport(key_id=kid)
    done = 0
    progress(0, total)

    def step(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done, total)

    for table, pk, column, aad in columns:
        count = reseal_column(connection, table, pk, column, aad, "rotate", progress=step)
        report.columns[(table, column)] = count
        report.values += count
    with transaction.atomic():
        rotation = DataKeyRotation.objects.create(
            key_id=kid, values=report.values, started_at=started
        )
        audit_record(
            obj=rotation,
            action="encryption.data_key_rotated",
            actor=None,
            after={
                "key_id": kid,
                "new_key": new_key,
                "values": report.values,
                "columns": {f"{t}.{c}": n for (t, c), n in sorted(report.columns.items())},
            },
        )
    return report
