"""Pure hashing of audit entries (tested without the database)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_digest(
    *,
    chain_key: str,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    region_code: str | None,
    before: Any,
    after: Any,
    note: str,
    prev_hash: str,
    actor_label: str | None = None,
    version: int = 1,
) -> str:
    """Version 1 (entries written before issue 14) left `actor_label` out; version 2 hashes
    every field an entry shows, the actor's name included."""
    payload: dict[str, Any] = {
        "chain": chain_key,
        "seq": seq,
        "at": created_at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "action": action,
        "type": object_type,
        "id": object_id,
        "region": region_code,
        "before": before,
        "after": after,
        "note": note,
        "prev": prev_hash,
    }
    if version >= 2:
        payload["v"] = version
        payload["actor_label"] = actor_label
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()
