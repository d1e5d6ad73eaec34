"""`netral backup DEST` and `netral restore SRC`: the database, the media and the signing
keys, with a manifest of SHA-256 digests sealed with the signing key (docs/how-to/deploy.md,
"Back up and restore").

A backup is a directory:

    manifest.json          what is in it: every file's size and SHA-256, the engine, the time
    manifest.seal.json     an Ed25519 seal of manifest.json (netral/core/sealing.py)
    database.sqlite3       SQLite's online backup (a consistent copy while the app runs), or
    database.pgdump        pg_dump's custom format (one snapshot)
    media/...              every file of the default storage (local disk or object storage)
    keys/...               the signing keys (without them no seal can be checked again) and,
                           in the same directory by default, the data and blind-index keys
                           of the encryption at rest (netral/core/encryption.py)
    datakeys/...           those data keys when NETRAL_DATA_KEY_DIR is another directory

It is written into DEST.partial and renamed to DEST only when complete, so a full disk or a
crash leaves no half backup that looks whole. A restore goes into an empty database, storage
and key directory, and reports success only after it checked the seal, every file's digest,
every audit chain and every sealed document.

The backup carries the private signing key, so its seal checked against the keys inside it
only catches accidental damage or naive tampering: whoever can write the backup can re-seal
it with a key of their own put beside it. The trust anchor is the sealing key's fingerprint
(public_key_fingerprint: the full SHA-256 of the raw public key, whose first 16 hex digits
are the key id of netral/core/sealing.py). `netral backup` records it in the manifest and
prints it, the operator keeps it off the backup's media, and `netral restore
--key-fingerprint FP` (or NETRAL_BACKUP_KEY_FINGERPRINT) refuses a backup sealed with any
other key before it restores anything. It cannot stop someone who can also read the backup's
`keys/`: they could re-seal with the genuine key. Sealing with a backup key that never travels
in a backup would close that; until then, backups are kept where only the operators read them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.core import sealing
from netral.core.storage import storage_walk

FORMAT = "netral-backup/1"
MANIFEST = "manifest.json"
SEAL = "manifest.seal.json"
CHUNK = 1024 * 1024
FINGERPRINT_SETTING = "NETRAL_BACKUP_KEY_FINGERPRINT"

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore refused or failed; the message names the file when there is one."""


@dataclass
class RestoreReport:
    files: int = 0
    audit_entries: int = 0
    signatures: int = 0
    receipts: int = 0
    joint_declarations: int = 0
    captures: int = 0
    problems: list[str] = field(default_factory=list)
    key_fingerprint: str = ""  # of the key whose seal verified the backup
    anchored: bool = False  # that key matched a fingerprint given from outside the backup


@dataclass(frozen=True)
class BackupCheck:
    """A backup whose seal and files verified: its manifest, the fingerprint of the key the
    seal verified with, and whether that key matched a fingerprint from outside the backup."""

    manifest: dict[str, Any]
    key_fingerprint: str
    anchored: bool


def public_key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """The full SHA-256 of the raw public key, hex (64 digits); its first 16 digits are the
    key id sealing.key_id gives the same key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def expected_fingerprint(given: str | None = None) -> str:
    """The fingerprint a backup's seal must match: `given` (--key-fingerprint), else the
    NETRAL_BACKUP_KEY_FINGERPRINT setting; "" when neither is set. Raises BackupError for a
    value that is not 64 hex digits (a 16-digit key id is not enough)."""
    value = given if given is not None else getattr(settings, FINGERPRINT_SETTING, "")
    value = (value or "").strip().lower()
    if (given is not None and not value) or (value and not re.fullmatch(r"[0-9a-f]{64}", value)):
        # an empty --key-fingerprint would silently drop the setting's anchor: refused too
        raise BackupError(
            _(
                "sidik jari kunci %(value)r tidak sah (--key-fingerprint atau "
                "%(setting)s): harus 64 digit heksadesimal, SHA-256 kunci publik segel yang "
                "dicetak `netral backup`"
            )
            % {"value": value, "setting": FINGERPRINT_SETTING}
        )
    return value


# --- backup ---------------------------------------------------------------------------------


def backup_create(*, dest: Path, say: Say = lambda _m: None) -> dict[str, Any]:
    """Write a complete backup to `dest` (which must not exist yet). Returns the manifest."""
    dest = dest.resolve()
    if dest.exists():
        raise BackupError(f"{dest}: already exists; a backup goes into a new directory")
    partial = dest.with_name(dest.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    try:
        files: dict[str, dict[str, Any]] = {}
        say("database")
        db_name = _dump_database(partial)
        files[db_name] = _describe(partial / db_name)
        say("media")
        for name in _storage_files():
            target = partial / "media" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as src, target.open("wb") as out:
                files[f"media/{name}"] = _copy(src, out)
        say("keys")
        signing_key = sealing.key_store().active_private_key()  # a fresh install creates one
        # Without the data keys the encrypted columns of the database cannot be read back.
        for folder, directory in _key_dirs():
            for path in sorted(
                p for p in directory.iterdir() if p.is_file() and p.suffix != ".tmp"
            ):
                target = partial / folder / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                with path.open("rb") as src, target.open("wb") as out:
                    files[f"{folder}/{path.name}"] = _copy(src, out)
                target.chmod(0o600)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "database": db_name,
            "files": files,
            # The operator keeps this off the backup's media: `netral restore --key-fingerprint`.
            "key_fingerprint": public_key_fingerprint(signing_key.public_key()),
        }
        (partial / MANIFEST).write_bytes(sealing.canonical_bytes(manifest))
        seal = sealing.seal_record(manifest, signing_key)
        (partial / SEAL).write_text(json.dumps(asdict(seal), indent=2), encoding="utf-8")
        _fsync_tree(partial)
        partial.rename(dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _dump_database(directory: Path) -> str:
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(directory / name)
        try:
            connection.connection.backup(target)
            # The copy carries the live database's WAL mode; as a rollback-journal file it
            # is whole in itself and no reader needs a -wal or -shm file beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as exc:  # "database or disk is full": SQLite's word for ENOSPC
            raise BackupError(f"{directory / name}: {exc}") from exc
        finally:
            target.close()
        return name
    name = "database.pgdump"
    _pg(
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={directory / name}",
    )
    return name


def _pg(program: str, *args: str) -> None:
    cfg = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": str(cfg.get("HOST") or "127.0.0.1"),
        "PGPORT": str(cfg.get("PORT") or 5432),
        "PGUSER": str(cfg.get("USER") or ""),
        "PGPASSWORD": str(cfg.get("PASSWORD") or ""),
        "PGDATABASE": str(cfg["NAME"]),
    }
    proc = subprocess.run(  # noqa: S603  fixed program, arguments we built
        [program, *args], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise BackupError(f"{program} failed: {proc.stderr.strip()[-2000:]}")


def _storage_files() -> Iterator[str]:
    """Every file of the default storage, recursively (local disk or object storage)."""
    return storage_walk(default_storage)


def _copy(src: IO[bytes], out: IO[bytes]) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        out.write(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _describe(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        digest = hashlib.sha256()
        size = 0
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


# --- verification and restore -------------------------------------------------------------


def backup_verify(*, src: Path, key_fingerprint: str | None = None) -> dict[str, Any]:
    """Check a backup without restoring it: its seal and every file. Returns the manifest;
    raises BackupError naming the first file that is missing, extra, truncated or altered."""
    return backup_check(src=src, key_fingerprint=key_fingerprint).manifest


def backup_check(*, src: Path, key_fingerprint: str | None = None) -> BackupCheck:
    """backup_verify, also saying which key the seal verified with. `key_fingerprint` (None:
    the NETRAL_BACKUP_KEY_FINGERPRINT setting) anchors the seal outside the backup: a seal by
    any other key is refused, however well it verifies against the keys inside."""
    anchor = expected_fingerprint(key_fingerprint)
    manifest_path, seal_path = src / MANIFEST, src / SEAL
    for path in (manifest_path, seal_path):
        if not path.is_file():
            raise BackupError(f"{path.name}: missing; {src} is not a complete Netral backup")
    raw = manifest_path.read_bytes()
    try:
        manifest: dict[str, Any] = json.loads(raw)
        seal = sealing.Seal(**json.loads(seal_path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise BackupError(f"{MANIFEST}: unreadable ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST}: unknown format {manifest.get('format')!r}")
    keys = sealing.KeyStore(src / "keys")
    public_key = keys.public_key(seal.key_id) if seal.key_id.isalnum() else None
    if (
        public_key is None
        or sealing.canonical_bytes(manifest) != raw
        or not sealing.verify_record(manifest, seal, public_key)
    ):
        raise BackupError(f"{MANIFEST}: its seal does not verify (altered or not sealed)")
    found = public_key_fingerprint(public_key)
    recorded = manifest.get("key_fingerprint", found)  # backups before Session 20: none
    if recorded != found:
        raise BackupError(
            _(
                "%(manifest)s: sidik jari kunci yang dicatatnya (%(recorded)s) bukan kunci "
                "yang menyegelnya di %(seal)s (%(found)s)"
            )
            % {"manifest": MANIFEST, "recorded": recorded, "seal": SEAL, "found": found}
        )
    if anchor and found != anchor:
        raise BackupError(
            _(
                "%(seal)s: %(manifest)s disegel dengan kunci bersidik jari %(found)s, bukan "
                "%(expected)s yang diharapkan; cadangan ini disegel ulang atau bukan dari "
                "instalasi ini, tidak ada yang dipulihkan"
            )
            % {"seal": SEAL, "manifest": MANIFEST, "found": found, "expected": anchor}
        )
    listed: dict[str, dict[str, Any]] = manifest["files"]
    for name, expected in sorted(listed.items()):
        path = src / name
        if ".." in Path(name).parts or not path.is_file():
            raise BackupError(f"{name}: missing from the backup")
        actual = _describe(path)
        if actual["bytes"] != expected["bytes"]:
            raise BackupError(
                f"{name}: {actual['bytes']} bytes, the manifest says {expected['bytes']} "
                "(truncated or altered)"
            )
        if actual["sha256"] != expected["sha256"]:
            raise BackupError(f"{name}: its SHA-256 differs from the manifest (altered)")
    present = {str(p.relative_to(src)) for p in src.rglob("*") if p.is_file()} - {MANIFEST, SEAL}
    extra = sorted(present - set(listed))
    if extra:
        raise BackupError(f"{extra[0]}: not in the manifest (added after the backup)")
    return BackupCheck(manifest=manifest, key_fingerprint=found, anchored=bool(anchor))


def restore_targets_empty() -> list[str]:
    """What is not empty among the restore's targets (the database, storage, keys)."""
    problems = []
    if connection.introspection.table_names():
        problems.append(f"the database {connection.settings_dict['NAME']} has tables")
    if next(_storage_files(), None) is not None:
        problems.append("the media storage has files")
    for _folder, keys in _key_dirs():
        if keys.exists() and any(keys.iterdir()):
            problems.append(f"the key directory {keys} is not empty")
    return problems


def _key_dirs() -> list[tuple[str, Path]]:
    """The key directories a backup carries: the signing keys (with the data keys beside
    them by default) and NETRAL_DATA_KEY_DIR when it is another directory."""
    from netral.core.encryption import key_dir

    signing = Path(settings.NETRAL_SIGNING_KEY_DIR)
    data = key_dir()
    found = [("keys", signing)]
    if data.resolve() != signing.resolve():
        found.append(("datakeys", data))
    return found


def backup_restore(
    *, src: Path, say: Say = lambda _m: None, key_fingerprint: str | None = None
) -> RestoreReport:
    """Restore `src` into an empty database, storage and key directory, then verify it.
    `key_fingerprint` as in backup_check: checked before anything is written."""
    src = src.resolve()
    say("verify backup")
    checked = backup_check(src=src, key_fingerprint=key_fingerprint)
    manifest = checked.manifest
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"{manifest['database']}: a {manifest['engine']} backup cannot be restored into "
            f"{connection.vendor}"
        )
    problems = restore_targets_empty()
    if problems:
        raise BackupError("restore needs empty targets: " + "; ".join(problems))
    say("keys")
    for folder, keys in _key_dirs():
        keys.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in sorted(n for n in manifest["files"] if n.startswith(f"{folder}/")):
            target = keys / Path(name).name
            shutil.copyfile(src / name, target)
            target.chmod(0o600)
    say("database")
    _load_database(src / manifest["database"])
    say("media")
    for name in sorted(n for n in manifest["files"] if n.startswith("media/")):
        storage_name = name.removeprefix("media/")
        with (src / name).open("rb") as fh:
            saved = default_storage.save(storage_name, File(fh))
        if saved != storage_name:
            raise BackupError(f"{name}: the storage saved it as {saved}")
    say("verify restore")
    report = restore_check(manifest=manifest)
    if report.problems:
        raise BackupError("the restored data does not verify: " + "; ".join(report.problems))
    report.key_fingerprint, report.anchored = checked.key_fingerprint, checked.anchored
    return report


def _load_database(path: Path) -> None:
    if connection.vendor == "sqlite":
        target = Path(str(connection.settings_dict["NAME"]))
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        # immutable: read the backup without writing beside it (a WAL-mode copy opened
        # read-only would leave a -shm file in the backup, which then fails its manifest).
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        out = sqlite3.connect(target)
        try:
            source.backup(out)
        finally:
            source.close()
            out.close()
        return
    connection.close()
    _pg(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    )


def restore_check(*, manifest: dict[str, Any]) -> RestoreReport:
    """After a restore: the media match, and every audit chain and sealed document verifies:
    signatures, receipts, joint declarations, and patrol captures (their seal and the
    SHA-256 of each of their files, read back from the restored storage)."""
    from netral.audit.services import audit_verify
    from netral.cases.models import Case
    from netral.cases.services import receipt_verify
    from netral.declarations import signing
    from netral.declarations.models import JointDeclaration, Signature
    from netral.patrol.models import Capture
    from netral.patrol.services import capture_verify

    report = RestoreReport()
    for name, expected in manifest["files"].items():
        if not name.startswith("media/"):
            continue
        with default_storage.open(name.removeprefix("media/"), "rb") as fh:
            digest = hashlib.sha256()
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            report.problems.append(f"{name}: differs after restore")
        report.files += 1
    audit = audit_verify()
    report.audit_entries = audit.entries
    report.problems += [f"audit chain {b.chain_key} #{b.seq}: {b.problem}" for b in audit.breaks]
    for signature in Signature.objects.iterator(chunk_size=2000):
        report.signatures += 1
        if signing.verification_status(signature) == signing.VerificationStatus.INVALID:
            report.problems.append(f"signature {signature.code}: its seal does not verify")
    for case in (
        Case.objects.exclude(receipt_seal__isnull=True)
        .exclude(receipt_seal={})
        .iterator(chunk_size=2000)
    ):
        report.receipts += 1
        if not receipt_verify(case):
            report.problems.append(f"case {case.reference}: its receipt seal does not verify")
    for joint in JointDeclaration.objects.iterator(chunk_size=2000):
        report.joint_declarations += 1
        if signing.joint_status(joint) == signing.VerificationStatus.INVALID:
            report.problems.append(f"joint declaration {joint.code}: its seal does not verify")
    for capture in (
        Capture.objects.exclude(seal={}).prefetch_related("files").iterator(chunk_size=500)
    ):
        report.captures += 1
        verification = capture_verify(capture=capture)
        if not verification.seal_valid:
            report.problems.append(f"capture {capture.code}: its seal does not verify")
        report.problems += [
            f"capture {capture.code}: {check.name} is {check.state.lower()}"
            for check in verification.files
            if check.state != "OK"
        ]
    return report
