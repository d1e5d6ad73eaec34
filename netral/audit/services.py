"""Writing to the audit trail: `audit_record` is called by every service that changes state."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from netral.audit.hashing import GENESIS, entry_digest
from netral.audit.models import AuditEntry

if TYPE_CHECKING:
    from collections.abc import Iterator

    from netral.accounts.models import User

_MAX_RETRIES = 20
HASH_VERSION = 2  # every shown field hashed, actor_label included (hashing.entry_digest)


def chain_key_for(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _jsonable(value: Any) -> Any:
    # Round-trip so the stored JSON and the hashed value are the same thing.
    return None if value is None else json.loads(json.dumps(value, default=str))


def _entry(
    *,
    obj: models.Model,
    chain_key: str,
    seq: int,
    prev_hash: str,
    action: str,
    actor: User | None,
    before: Any,
    after: Any,
    region_code: str | None,
    note: str,
) -> AuditEntry:
    """An unsaved, hashed entry (the one builder behind both writers below)."""
    entry = AuditEntry(
        chain_key=chain_key,
        seq=seq,
        # Microsecond precision in UTC, so the value read back hashes the same.
        created_at=timezone.now().astimezone(UTC),
        actor=actor,
        actor_label=str(actor) if actor else "sistem",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        region_code=region_code,
        before=before,
        after=after,
        note=note,
        prev_hash=prev_hash,
        hash_version=HASH_VERSION,
    )
    entry.hash = _digest(entry)
    return entry


def audit_record(
    *,
    obj: models.Model,
    action: str,
    actor: User | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    region_code: str | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry to the object's chain. Must run inside the caller's transaction."""
    chain_key = chain_key_for(obj)
    before, after = _jsonable(before), _jsonable(after)
    for _attempt in range(_MAX_RETRIES):
        last = (
            AuditEntry.objects.filter(chain_key=chain_key)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = _entry(
            obj=obj,
            chain_key=chain_key,
            seq=seq,
            prev_hash=prev_hash,
            action=action,
            actor=actor,
            before=before,
            after=after,
            region_code=region_code,
            note=note,
        )
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError:
            continue  # another writer took this seq; re-read the chain head and retry
        return entry
    raise RuntimeError(f"could not append to audit chain {chain_key}")


def audit_record_created(
    *,
    obj: models.Model,
    action: str,
    actor: User | None,
    after: dict[str, Any] | None = None,
    region_code: str | None = None,
    note: str = "",
) -> AuditEntry:
    """The first entry of the chain of an object created in the caller's transaction: seq 1
    after GENESIS, without reading the chain head and without a savepoint. Safe because the
    object's row is not visible to any other transaction yet, so nobody else can append to its
    chain; if the chain were not empty, the unique (chain_key, seq) constraint fails the
    caller's transaction instead of forking the chain. Used by the public report form, whose
    cost per report is budgeted (docs/benchmarks.md, cases)."""
    entry = _entry(
        obj=obj,
        chain_key=chain_key_for(obj),
        seq=1,
        prev_hash=GENESIS,
        action=action,
        actor=actor,
        before=None,
        after=_jsonable(after),
        region_code=region_code,
        note=note,
    )
    entry.save(force_insert=True)
    return entry


def _digest(entry: AuditEntry) -> str:
    return entry_digest(
        chain_key=entry.chain_key,
        seq=entry.seq,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        region_code=entry.region_code,
        before=entry.before,
        after=entry.after,
        note=entry.note,
        prev_hash=entry.prev_hash,
        actor_label=entry.actor_label,
        version=entry.hash_version,
    )


@dataclass
class ChainBreak:
    chain_key: str
    seq: int
    entry_id: int
    problem: str


@dataclass
class VerifyResult:
    entries: int = 0
    chains: int = 0
    checkpoints: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def audit_verify(*, progress: Any = None) -> VerifyResult:
    """Recompute every hash and link; report edits, deletions and reordering; and check the
    sealed checkpoints (netral/audit/checkpoints.py): their seals and links, and that every
    chain head they vouch for is still there, so deleting a chain's tail or a whole chain
    is reported too."""
    from netral.audit.checkpoints import checkpoints_check

    checked = checkpoints_check()
    result = VerifyResult(checkpoints=checked.checkpoints)
    for found in checked.problems:
        result.breaks.append(ChainBreak(found.chain_key, found.seq, 0, found.problem))
    expected = checked.expected_heads
    heads_seen: dict[str, str | None] = {}  # chain -> hash found at the vouched seq
    total = AuditEntry.objects.count()
    current_chain: str | None = None
    expected_seq = 1
    prev_hash = GENESIS
    entries: Iterator[AuditEntry] = AuditEntry.objects.order_by("chain_key", "seq").iterator(
        chunk_size=5000
    )
    for entry in entries:
        if entry.chain_key != current_chain:
            current_chain, expected_seq, prev_hash = entry.chain_key, 1, GENESIS
            result.chains += 1
            if current_chain in expected:
                heads_seen.setdefault(current_chain, None)
        result.entries += 1
        if entry.seq != expected_seq:
            result.breaks.append(
                ChainBreak(
                    entry.chain_key,
                    entry.seq,
                    entry.pk,
                    f"urutan melompat: diharapkan #{expected_seq}, ditemukan #{entry.seq}",
                )
            )
        if entry.prev_hash != prev_hash:
            result.breaks.append(
                ChainBreak(
                    entry.chain_key,
                    entry.seq,
                    entry.pk,
                    "hash sebelumnya tidak cocok (entri sebelumnya diubah atau dihapus)",
                )
            )
        if _digest(entry) != entry.hash:
            result.breaks.append(
                ChainBreak(
                    entry.chain_key,
                    entry.seq,
                    entry.pk,
                    "isi entri tidak cocok dengan hash-nya",
                )
            )
        head = expected.get(entry.chain_key)
        if head is not None and head[0] == entry.seq:
            heads_seen[entry.chain_key] = entry.hash
        expected_seq, prev_hash = entry.seq + 1, entry.hash
        if progress is not None:
            progress(result.entries, total)
    for chain_key, (seq, digest) in sorted(expected.items()):
        if chain_key not in heads_seen:
            problem = f"seluruh rantai hilang (titik periksa mencatat sampai #{seq})"
        elif heads_seen[chain_key] is None:
            problem = f"ujung rantai hilang: titik periksa mencatat sampai #{seq}"
        elif heads_seen[chain_key] != digest:
            problem = f"entri #{seq} tidak sama dengan yang dicatat titik periksa"
        else:
            continue
        result.breaks.append(ChainBreak(chain_key, seq, 0, problem))
    latest = checked.latest
    if latest is not None:
        present = AuditEntry.objects.filter(id__lte=latest.last_entry_id).count()
        if present < latest.entries:
            result.breaks.append(
                ChainBreak(
                    f"checkpoint:{latest.number}",
                    latest.number,
                    0,
                    f"{latest.entries - present} entri yang tercakup titik periksa terakhir hilang",
                )
            )
    return result
