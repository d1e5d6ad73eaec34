"""The canonical record of a pledge signature and its seal (pure: no database).

The record holds only what a public verifier needs: the text signed, the signer's display
name, title and institution, the event, the method, the time and the verification code.
It never holds NIP, NIK or NRP (DOMAIN.md §11: personal identifiers). The seal is an
Ed25519 signature over the canonical JSON of the record (netral.core.sealing), with the key
id stored beside it so that old signatures stay verifiable after a key rotation.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
from datetime import UTC
from enum import StrEnum
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from netral.core import sealing

RECORD_VERSION = 1


class VerificationStatus(StrEnum):
    VALID = "VALID"
    REVOKED = "REVOKED"
    INVALID = "INVALID"


class SignatureFields(Protocol):
    """The stored fields of a Signature that the seal covers."""

    code: Any
    pledge_snapshot: Any
    event_snapshot: Any
    signer_name: str
    signer_title: str
    signer_institution: str
    method: str
    signed_at: dt.datetime
    seal_key_id: str
    seal_signature: str
    seal_digest: str
    seal_algorithm: str
    revoked_at: dt.datetime | None


def format_time(value: dt.datetime) -> str:
    """UTC, whole seconds, ISO 8601 with a Z: the same string on every database."""
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_record(
    *,
    code: str,
    pledge: dict[str, Any],
    event: dict[str, Any],
    signer_name: str,
    signer_title: str,
    signer_institution: str,
    method: str,
    signed_at: dt.datetime,
) -> dict[str, Any]:
    return {
        "v": RECORD_VERSION,
        "code": str(code),
        "pledge": {
            "title": pledge["title"],
            "kind": pledge["kind"],
            "version": pledge["version"],
            "preamble": pledge.get("preamble", ""),
            "points": list(pledge["points"]),
            "closing": pledge.get("closing", ""),
        },
        "event": {
            "code": str(event["code"]),
            "title": event["title"],
            "date": event["date"],
            "venue": event.get("venue", ""),
            "region": event["region"],
            "organiser": event.get("organiser", ""),
        },
        "signer": {
            "name": signer_name,
            "title": signer_title,
            "institution": signer_institution,
        },
        "method": method,
        "signed_at": format_time(signed_at),
    }


def record_of(signature: SignatureFields) -> dict[str, Any]:
    """Rebuild the canonical record from a stored signature's own fields."""
    return canonical_record(
        code=str(signature.code),
        pledge=signature.pledge_snapshot,
        event=signature.event_snapshot,
        signer_name=signature.signer_name,
        signer_title=signature.signer_title,
        signer_institution=signature.signer_institution,
        method=signature.method,
        signed_at=signature.signed_at,
    )


def seal_of(signature: SignatureFields) -> sealing.Seal:
    return sealing.Seal(
        key_id=signature.seal_key_id,
        signature=signature.seal_signature,
        digest=signature.seal_digest,
        algorithm=signature.seal_algorithm,
    )


@functools.lru_cache(maxsize=64)
def _public_key(kid: str) -> Ed25519PublicKey:
    """Public keys by id, loaded once per process: a key id names one key forever."""
    key = sealing.key_store().public_key(kid)
    if key is None:
        raise KeyError(kid)  # not cached: the key may be installed later
    return key


def seal_valid(record: dict[str, Any], stored: sealing.Seal) -> bool:
    try:
        _public_key(stored.key_id)
    except KeyError:
        return False  # not cached below: the key may be installed later
    return _signature_valid(stored.key_id, stored.signature, sealing.canonical_bytes(record))


@functools.lru_cache(maxsize=4096)
def _signature_valid(kid: str, signature: str, data: bytes) -> bool:
    """Ed25519 verification is deterministic: the answer for these exact bytes, signature
    and key is cached (the public page re-checks every stored record on every request)."""
    key = _public_key(kid)
    try:
        key.verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def verification_status(signature: SignatureFields) -> VerificationStatus:
    """INVALID when the stored record no longer matches its seal (tampered), else
    REVOKED or VALID."""
    record = record_of(signature)
    stored = seal_of(signature)
    if sealing.digest(record) != stored.digest or not seal_valid(record, stored):
        return VerificationStatus.INVALID
    if signature.revoked_at is not None:
        return VerificationStatus.REVOKED
    return VerificationStatus.VALID


JOINT_RECORD_VERSION = 1


def joint_record(
    *,
    code: str,
    pledge: dict[str, Any],
    event: dict[str, Any],
    signatories: list[dict[str, str]],
    issued_at: dt.datetime,
) -> dict[str, Any]:
    """The canonical record of a joint declaration (issue 13 §5): one text, one event and
    every institutional signatory with their own verification code. No personal ids."""
    base = canonical_record(
        code=code,
        pledge=pledge,
        event=event,
        signer_name="",
        signer_title="",
        signer_institution="",
        method="JOINT",
        signed_at=issued_at,
    )
    return {
        "v": JOINT_RECORD_VERSION,
        "type": "joint_declaration",
        "code": code,
        "pledge": base["pledge"],
        "event": base["event"],
        "signatories": [
            {
                "name": s["name"],
                "title": s["title"],
                "institution": s["institution"],
                "signed_at": s["signed_at"],
                "code": s["code"],
            }
            for s in signatories
        ],
        "issued_at": format_time(issued_at),
    }


class JointFields(Protocol):
    record: Any
    seal_key_id: str
    seal_signature: str
    seal_digest: str
    seal_algorithm: str


def joint_status(joint: JointFields) -> VerificationStatus:
    """VALID when the stored record matches its seal, else INVALID (tampered)."""
    stored = sealing.Seal(
        key_id=joint.seal_key_id,
        signature=joint.seal_signature,
        digest=joint.seal_digest,
        algorithm=joint.seal_algorithm,
    )
    record = dict(joint.record)
    if sealing.digest(record) != stored.digest or not seal_valid(record, stored):
        return VerificationStatus.INVALID
    return VerificationStatus.VALID
