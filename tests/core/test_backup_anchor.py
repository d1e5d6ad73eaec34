"""The backup seal's trust anchor (netral/core/backup.py): a backup carries its own signing
keys, so a seal checked against them proves nothing against whoever can write the backup.
`netral backup` prints the sealing key's fingerprint; `netral restore --key-fingerprint FP`
(or NETRAL_BACKUP_KEY_FINGERPRINT) refuses a backup sealed with any other key, before it
writes anything. On SQLite and PostgreSQL, with real backups and real restore processes."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from netral.core import sealing
from tests.core.test_backup import _files, _rows, _some_data
from tests.core.test_backup import alice as alice  # its fixtures, found here by pytest
from tests.core.test_backup import restore_target as restore_target
from tests.workers import REPO

pytestmark = pytest.mark.django_db(transaction=True)

WARNING = "hanya diperiksa dengan kunci di dalam cadangan"


def _true_fingerprint() -> str:
    """SHA-256 of the raw public key of the live system's active signing key, computed here
    from the key file itself."""
    keys = Path(settings.NETRAL_SIGNING_KEY_DIR)
    kid = (keys / "active").read_text(encoding="ascii").strip()
    key = serialization.load_pem_private_key((keys / f"{kid}.pem").read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def _backup(actor: Any, dest: Path) -> str:
    """A backup of some sealed data; returns what `netral backup` printed."""
    _some_data(actor)
    out = io.StringIO()
    call_command("backup", str(dest), stdout=out)
    return out.getvalue()


def _reseal_with_planted_key(dest: Path) -> str:
    """What an attacker who can write the backup does: alter a media file, put a key of their
    own into keys/ (made active), rebuild the manifest's digests and re-seal it with that key.
    Returns the planted key's fingerprint."""
    media = next(p for p in sorted((dest / "media").rglob("*")) if p.is_file())
    media.write_bytes(media.read_bytes() + b"%altered")
    planted = sealing.KeyStore(dest / "keys")
    kid = planted.rotate()
    manifest = json.loads((dest / "manifest.json").read_text())
    manifest["files"] = {
        str(p.relative_to(dest)): {
            "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
            "bytes": p.stat().st_size,
        }
        for p in sorted(dest.rglob("*"))
        if p.is_file() and p.name not in ("manifest.json", "manifest.seal.json")
    }
    public = planted.private_key(kid).public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    manifest["key_fingerprint"] = hashlib.sha256(raw).hexdigest()
    (dest / "manifest.json").write_bytes(sealing.canonical_bytes(manifest))
    seal = sealing.seal_record(manifest, planted.private_key(kid))
    (dest / "manifest.seal.json").write_text(json.dumps(asdict(seal)))
    return str(manifest["key_fingerprint"])


def _restore_process(
    src: Path, target_url: str, home: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """`netral restore SRC ARGS` in its own process, into an empty database, media and keys."""
    return subprocess.run(
        [sys.executable, "-m", "netral", "restore", str(src), *args],
        cwd=REPO,
        env={
            **{k: v for k, v in os.environ.items() if k != "NETRAL_BACKUP_KEY_FINGERPRINT"},
            "DATABASE_URL": target_url,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "NETRAL_TEST_MEDIA_ROOT": str(home / "media"),
            "NETRAL_TEST_KEY_DIR": str(home / "keys"),
        },
        capture_output=True,
        text=True,
        check=False,
    )


def _tables(target: str) -> list[str]:
    """The tables of the restore's target database (none while nothing was restored)."""
    if connection.vendor == "sqlite":
        if not Path(target).exists():
            return []
        db = sqlite3.connect(target)
        try:
            return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        finally:
            db.close()
    import psycopg

    cfg = connection.settings_dict
    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"], dbname=target
    ) as db:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return [r[0] for r in db.execute(sql).fetchall()]


def test_a_backup_prints_and_records_its_sealing_key_fingerprint(
    alice: Any,
    tmp_path: Path,
) -> None:
    dest = tmp_path / "backup"
    printed = _backup(alice, dest)
    fingerprint = _true_fingerprint()
    assert f"Sidik jari kunci segel (SHA-256): {fingerprint}" in printed
    assert f"netral restore --key-fingerprint {fingerprint}" in printed
    assert json.loads((dest / "manifest.json").read_text())["key_fingerprint"] == fingerprint
    # the same notion as the seals' key ids: the id is the fingerprint's first 16 digits
    seal = json.loads((dest / "manifest.seal.json").read_text())
    assert fingerprint[:16] == seal["key_id"]


def test_a_backup_resealed_with_a_planted_key_is_refused_against_the_true_fingerprint(
    alice: Any,
    tmp_path: Path,
    restore_target: tuple[str, str],
) -> None:
    dest = tmp_path / "backup"
    _backup(alice, dest)
    true = _true_fingerprint()
    planted = _reseal_with_planted_key(dest)
    assert planted != true

    # Checked only against the keys inside it, the forgery passes: hence the warning.
    err = io.StringIO()
    call_command("restore", str(dest), "--verify-only", stdout=io.StringIO(), stderr=err)
    assert WARNING in err.getvalue()
    assert planted in err.getvalue()

    with pytest.raises(CommandError, match=rf"manifest\.seal\.json: .*{planted}.*{true}"):
        call_command("restore", str(dest), "--verify-only", "--key-fingerprint", true)

    # A real restore into empty targets refuses it before writing anything.
    url, target = restore_target
    home = tmp_path / "restored"
    proc = _restore_process(dest, url, home, "--key-fingerprint", true)
    assert proc.returncode != 0
    assert "restore refused: manifest.seal.json" in proc.stderr
    assert true in proc.stderr
    assert _tables(target) == []
    assert not any(p.is_file() for p in home.rglob("*"))


def test_the_true_backup_restores_with_its_fingerprint_and_a_wrong_one_is_refused_by_name(
    alice: Any,
    tmp_path: Path,
    restore_target: tuple[str, str],
    settings: Any,
) -> None:
    dest = tmp_path / "backup"
    _backup(alice, dest)
    true = _true_fingerprint()
    wrong = hashlib.sha256(b"another installation").hexdigest()

    out, err = io.StringIO(), io.StringIO()
    call_command(
        "restore",
        str(dest),
        "--verify-only",
        "--key-fingerprint",
        true.upper(),
        stdout=out,
        stderr=err,
    )
    assert f"cocok dengan sidik jari kunci {true}" in out.getvalue()
    assert WARNING not in err.getvalue()

    with pytest.raises(CommandError, match=rf"manifest\.seal\.json: .*bukan {wrong}"):
        call_command("restore", str(dest), "--verify-only", "--key-fingerprint", wrong)
    # a key id is only the fingerprint's first 16 digits: too short to anchor anything
    with pytest.raises(CommandError, match=rf"'{true[:16]}' tidak sah"):
        call_command("restore", str(dest), "--verify-only", "--key-fingerprint", true[:16])

    # The setting anchors a restore without the option; the option overrides it.
    settings.NETRAL_BACKUP_KEY_FINGERPRINT = wrong
    with pytest.raises(CommandError, match=rf"manifest\.seal\.json: .*bukan {wrong}"):
        call_command("restore", str(dest), "--verify-only")
    call_command(
        "restore", str(dest), "--verify-only", "--key-fingerprint", true, stdout=io.StringIO()
    )
    # an empty option does not drop the setting's anchor silently
    with pytest.raises(CommandError, match="tidak sah"):
        call_command("restore", str(dest), "--verify-only", "--key-fingerprint", "")

    url, target = restore_target
    home = tmp_path / "restored"
    proc = _restore_process(dest, url, home, "--key-fingerprint", true)
    assert proc.returncode == 0, proc.stderr
    assert f"cocok dengan sidik jari kunci {true}" in proc.stdout
    assert WARNING not in proc.stderr
    assert _rows(target) == _rows()
    assert _files(home / "keys") == _files(Path(settings.NETRAL_SIGNING_KEY_DIR))
