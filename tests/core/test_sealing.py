from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from netral.core.sealing import KeyStore, canonical_bytes, seal_record, verify_record


def test_canonical_form_is_stable_golden() -> None:
    record = {"z": 1, "a": "Kepala Desa Ñ", "n": [2, 1]}
    assert canonical_bytes(record) == '{"a":"Kepala Desa Ñ","n":[2,1],"z":1}'.encode()


def test_a_seal_verifies_and_any_change_breaks_it() -> None:
    key = Ed25519PrivateKey.generate()
    record = {"text": "Saya bersikap netral", "signer": "X"}
    seal = seal_record(record, key)
    assert verify_record(record, seal, key.public_key())
    assert not verify_record({**record, "signer": "Y"}, seal, key.public_key())
    assert not verify_record(record, seal, Ed25519PrivateKey.generate().public_key())


def test_rotation_keeps_old_seals_verifiable(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    old = seal_record({"a": 1}, store.active_private_key())
    new_kid = store.rotate()
    assert new_kid != old.key_id
    old_key = store.public_key(old.key_id)
    assert old_key is not None
    assert verify_record({"a": 1}, old, old_key)
    assert store.public_key("doesnotexist") is None
    assert (tmp_path / f"{new_kid}.pem").stat().st_mode & 0o777 == 0o600
