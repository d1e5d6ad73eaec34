"""Ed25519 seals for records anyone can verify later (pledge signatures, report receipts).

A seal is a signature over the canonical JSON of a record. Keys are identified by a key
id (the first 16 hex digits of the SHA-256 of the raw public key), so rotating the active
key keeps every old seal verifiable: verification looks the key up by the id stored with
the seal. Private keys live in NETRAL_SIGNING_KEY_DIR (default var/keys/), one PEM file
per key, `active` naming the key used for new seals. The pure functions here need no
database; key storage is a small directory API.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

ALGORITHM = "Ed25519"


def canonical_bytes(record: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the exact bytes that are signed."""
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def digest(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class Seal:
    key_id: str
    signature: str  # base64
    digest: str  # sha256 hex of the canonical record
    algorithm: str = ALGORITHM


def seal_record(record: dict[str, Any], private_key: Ed25519PrivateKey) -> Seal:
    data = canonical_bytes(record)
    signature = private_key.sign(data)
    return Seal(
        key_id=key_id(private_key.public_key()),
        signature=base64.b64encode(signature).decode("ascii"),
        digest=hashlib.sha256(data).hexdigest(),
    )


def verify_record(record: dict[str, Any], seal: Seal, public_key: Ed25519PublicKey) -> bool:
    if key_id(public_key) != seal.key_id:
        return False
    try:
        public_key.verify(base64.b64decode(seal.signature), canonical_bytes(record))
    except (InvalidSignature, ValueError):
        return False
    return True


# --- key storage ---------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _load_private_key(path: str, mtime_ns: int) -> Ed25519PrivateKey:
    """Parse a PEM key once per file version (the mtime is part of the cache key)."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyError(path)
    return key


class KeyStore:
    """A directory of Ed25519 keys: <key_id>.pem (private, 0600) and `active`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, kid: str) -> Path:
        if not kid.isalnum():
            raise KeyError(kid)
        return self.directory / f"{kid}.pem"

    def active_private_key(self) -> Ed25519PrivateKey:
        pointer = self.directory / "active"
        if not pointer.exists():
            self.rotate()
        return self.private_key(pointer.read_text(encoding="ascii").strip())

    def private_key(self, kid: str) -> Ed25519PrivateKey:
        path = self._path(kid)
        return _load_private_key(str(path), path.stat().st_mtime_ns)

    def public_key(self, kid: str) -> Ed25519PublicKey | None:
        try:
            return self.private_key(kid).public_key()
        except (KeyError, FileNotFoundError):
            return None

    def key_ids(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.pem"))

    def rotate(self) -> str:
        """Create a new key and make it active; older keys stay for verification."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        kid = key_id(key.public_key())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(self._path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        tmp = self.directory / "active.tmp"
        tmp.write_text(kid, encoding="ascii")
        tmp.replace(self.directory / "active")
        return kid


def key_store() -> KeyStore:
    return KeyStore(Path(settings.NETRAL_SIGNING_KEY_DIR))


def seal(record: dict[str, Any]) -> Seal:
    """Seal with the active key (created on first use)."""
    return seal_record(record, key_store().active_private_key())


def verify(record: dict[str, Any], stored: Seal) -> bool:
    public_key = key_store().public_key(stored.key_id)
    return public_key is not None and verify_record(record, stored, public_key)
