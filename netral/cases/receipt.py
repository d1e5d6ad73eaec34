"""The case's tracking number, PIN and sealed receipt record (what the Ed25519 seal covers).

Kept outside the services package so that documents (which print the receipt) and the services
(which generate documents) import it without a circle."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings

from netral.cases.models import Case
from netral.core import sealing

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def pin_hash(tracking_number: str, pin: str) -> str:
    """Keyed hash (HMAC-SHA256 with SECRET_KEY): fast enough for the public form's load,
    and useless to an attacker without the server's secret."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{tracking_number}:{pin}".encode(), hashlib.sha256).hexdigest()


def pin_matches(case: Case, pin: str) -> bool:
    if not case.pin_hash or not case.tracking_number:
        return False
    return hmac.compare_digest(case.pin_hash, pin_hash(case.tracking_number, pin.strip()))


def _new_tracking_number() -> str:
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"LP-{body[:4]}-{body[4:]}"


def _new_pin() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def receipt_record(case: Case, *, evidence_sha256: list[str] | None = None) -> dict[str, Any]:
    """What the receipt seal covers: enough to prove filing, no personal data.

    `evidence_sha256` lets intake seal a case before it is saved (the digests are known from
    the checked uploads), so the seal is written with the case's INSERT, not re-read after."""
    if evidence_sha256 is None:
        evidence_sha256 = [e.sha256 for e in case.evidence.all() if e.sha256]
    return {
        "type": "netral.case.receipt/1",
        "tracking_number": case.tracking_number,
        "code": str(case.code),
        "filed_at": case.filed_at.isoformat() if case.filed_at else None,
        "regime": case.regime,
        "incident_region": case.incident_region_id,
        "title_sha256": hashlib.sha256(case.title.encode()).hexdigest(),
        "description_sha256": hashlib.sha256(case.description.encode()).hexdigest(),
        "evidence_sha256": sorted(evidence_sha256),
    }


def receipt_verify(case: Case) -> bool:
    if not case.receipt_seal:
        return False
    stored = sealing.Seal(**case.receipt_seal)
    return sealing.verify(receipt_record(case), stored)
