"""Sealed checkpoints of the audit trail (issue 14 §18).

The entries' hash chains detect an edited or removed entry inside a chain, but anyone with
write access could delete the last entries of a chain, or a whole chain, and nothing in the
remaining rows would show it. A checkpoint closes that gap: it records the head (last seq
and hash) of every chain that grew since the previous checkpoint, the number of entries and
chains up to its last entry id, and the previous checkpoint's digest, and it is signed with
the Ed25519 key outside the database (netral/core/sealing.py). `netral verify_audit` then
checks that every head a checkpoint names is still there with the same hash; deleting a
checkpoint breaks the numbering or the links, and deleting the newest checkpoints is what
an outside witness catches with the exported copies (`netral audit_checkpoint --export`)
and the latest one shown on /transparansi/.

Run `netral audit_checkpoint` periodically (docs/how-to/deploy.md: every 10 minutes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from netral.audit.hashing import GENESIS
from netral.audit.models import AuditCheckpoint, AuditCheckpointHead, AuditEntry
from netral.core import sealing


def heads_digest(heads: Iterable[tuple[str, int, str]]) -> str:
    """SHA-256 over the sorted "chain_key seq hash" lines (bytewise order, any database)."""
    lines = sorted(f"{chain} {seq} {digest}" for chain, seq, digest in heads)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def checkpoint_record(cp: AuditCheckpoint) -> dict[str, Any]:
    """What is signed: every field of the checkpoint but the seal itself."""
    return {
        "kind": "netral.audit.checkpoint",
        "number": cp.number,
        "created_at": cp.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "last_entry_id": cp.last_entry_id,
        "entries": cp.entries,
        "chains": cp.chains,
        "heads_digest": cp.heads_digest,
        "prev_digest": cp.prev_digest,
    }


@transaction.atomic
def audit_checkpoint_create() -> AuditCheckpoint | None:
    """Seal a checkpoint of everything written so far; None when nothing changed.

    Entries whose transaction is still open when this runs get a lower id than the
    checkpoint's last_entry_id only if they commit later; they are then simply covered by
    the next checkpoint's heads (a chain head is recorded at its value when read)."""
    previous = AuditCheckpoint.objects.order_by("-number").first()
    since = previous.last_entry_id if previous else 0
    last_id = AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0
    if previous is not None and last_id <= since:
        return None
    grown = (
        AuditEntry.objects.filter(id__gt=since, id__lte=last_id)
        .values("chain_key")
        .annotate(seq=Max("seq"))
    )
    heads: list[tuple[str, int, str]] = []
    for row in grown.iterator(chunk_size=5000):
        digest = (
            AuditEntry.objects.filter(chain_key=row["chain_key"], seq=row["seq"])
            .values_list("hash", flat=True)
            .first()
        )
        heads.append((row["chain_key"], row["seq"], digest or ""))
    totals = AuditEntry.objects.filter(id__lte=last_id).aggregate(
        n=Count("id"), c=Count("chain_key", distinct=True)
    )
    cp = AuditCheckpoint(
        number=(previous.number + 1) if previous else 1,
        created_at=timezone.now().astimezone(UTC),
        last_entry_id=last_id,
        entries=totals["n"],
        chains=totals["c"],
        heads_digest=heads_digest(heads),
        prev_digest=previous.digest if previous else GENESIS,
    )
    seal = sealing.seal(checkpoint_record(cp))
    cp.digest, cp.seal_key_id, cp.seal_signature = seal.digest, seal.key_id, seal.signature
    cp.save(force_insert=True)
    AuditCheckpointHead.objects.bulk_create(
        [AuditCheckpointHead(checkpoint=cp, chain_key=c, seq=q, hash=h) for c, q, h in heads],
        batch_size=2000,
    )
    return cp


def checkpoint_seal_valid(cp: AuditCheckpoint) -> bool:
    stored = sealing.Seal(key_id=cp.seal_key_id, signature=cp.seal_signature, digest=cp.digest)
    return cp.digest == sealing.digest(checkpoint_record(cp)) and sealing.verify(
        checkpoint_record(cp), stored
    )


@dataclass
class CheckpointProblem:
    chain_key: str
    seq: int
    problem: str


@dataclass
class CheckpointCheck:
    checkpoints: int
    expected_heads: dict[str, tuple[int, str]]
    problems: list[CheckpointProblem]
    latest: AuditCheckpoint | None


def checkpoints_check() -> CheckpointCheck:
    """Check every checkpoint's seal, numbering and links, and collect the chain heads they
    vouch for (the newest per chain) for the entry-by-entry comparison of audit_verify."""
    problems: list[CheckpointProblem] = []
    expected: dict[str, tuple[int, str]] = {}
    prev_digest, number, latest = GENESIS, 0, None
    for cp in AuditCheckpoint.objects.order_by("number").iterator(chunk_size=500):
        number += 1
        label = f"checkpoint:{cp.number}"
        if cp.number != number:
            problems.append(CheckpointProblem(label, cp.number, f"titik periksa #{number} hilang"))
            number = cp.number
        if cp.prev_digest != prev_digest:
            problems.append(
                CheckpointProblem(label, cp.number, "tautan ke titik periksa sebelumnya putus")
            )
        if not checkpoint_seal_valid(cp):
            problems.append(CheckpointProblem(label, cp.number, "segel titik periksa tidak sah"))
        heads = list(cp.heads.values_list("chain_key", "seq", "hash"))
        if heads_digest(heads) != cp.heads_digest:
            problems.append(
                CheckpointProblem(label, cp.number, "daftar kepala rantai titik periksa diubah")
            )
        for chain_key, seq, digest in heads:
            if chain_key not in expected or expected[chain_key][0] <= seq:
                expected[chain_key] = (seq, digest)
        prev_digest, latest = cp.digest, cp
    return CheckpointCheck(number, expected, problems, latest)


def checkpoints_export(*, since: int = 0) -> Iterator[dict[str, Any]]:
    """Checkpoints as JSON-able records with their seal and public key, for a witness."""
    from cryptography.hazmat.primitives import serialization

    store = sealing.key_store()
    for cp in AuditCheckpoint.objects.filter(number__gt=since).order_by("number"):
        public = store.public_key(cp.seal_key_id)
        yield {
            "record": checkpoint_record(cp),
            "digest": cp.digest,
            "seal": {
                "algorithm": sealing.ALGORITHM,
                "key_id": cp.seal_key_id,
                "signature": cp.seal_signature,
                "public_key_pem": public.public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                ).decode("ascii")
                if public is not None
                else None,
            },
        }


def checkpoint_latest() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-number").first()
