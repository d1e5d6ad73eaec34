"""`netral backup` / `netral restore` (netral/core/backup.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from netral.core import backup
from netral.declarations import services
from tests.declarations.helpers import PDF_BYTES, event, standard
from tests.workers import REPO, database_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alice(transactional_db: Any) -> Any:
    """The shared cast's alice. A transactional test's flush removed the session's regions
    and the standard pledge texts of the data migrations: put them back."""
    import importlib

    from django.apps import apps

    from netral.accounts.models import Role
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import KUTAI_TIMUR, SAMPLE_REGIONS
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    texts = importlib.import_module("netral.declarations.migrations.0002_standard_pledge_texts")
    texts.load(apps, None)
    return UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region=KUTAI_TIMUR)


def _some_data(actor: Any) -> None:
    """Sealed signatures, audit chains and a stored file."""
    ev = event(pledges=[standard()], actor=actor)
    for i in range(3):
        services.signature_institutional(
            event=ev, template=standard(), actor=actor, name=f"P {i}", title="K", institution="I"
        )
    services.event_document_upload(event=ev, actor=actor, kind="DOCUMENT", data=PDF_BYTES)


def _rows(target: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: of the test database, or of `target` (same engine)."""
    tables = sorted(connection.introspection.table_names())
    if connection.vendor == "sqlite":
        db = sqlite3.connect(target or str(connection.settings_dict["NAME"]))
        try:
            return {
                t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608
                for t in tables
            }
        finally:
            db.close()
    import psycopg

    cfg = connection.settings_dict
    with psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        dbname=target or cfg["NAME"],
    ) as db:
        return {
            t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608
            for t in tables
        }


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def restore_target(tmp_path: Path) -> Any:
    """An empty database of the same engine, as (DATABASE_URL, name)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", str(path)
        return
    import psycopg

    cfg = connection.settings_dict
    name = f"{cfg['NAME']}_restore"
    admin = dict(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"])
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield database_url().rsplit("/", 1)[0] + f"/{name}", name
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_system_table_for_table_and_file_for_file(
    alice: Any, tmp_path: Path, restore_target: tuple[str, str]
) -> None:
    _some_data(alice)
    dest = tmp_path / "backup"
    call_command("backup", str(dest))
    manifest = json.loads((dest / "manifest.json").read_text())
    assert any(name.startswith("media/declarations") for name in manifest["files"])
    assert any(name.startswith("keys/") for name in manifest["files"])

    before = _files(dest)
    url, target = restore_target
    media, keys = tmp_path / "media2", tmp_path / "keys2"
    proc = subprocess.run(
        [sys.executable, "-m", "netral", "restore", str(dest)],
        cwd=REPO,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "NETRAL_TEST_MEDIA_ROOT": str(media),
            "NETRAL_TEST_KEY_DIR": str(keys),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "3 signatures" in proc.stdout

    assert _rows(target) == _rows()
    assert _files(media) == _files(Path(settings.MEDIA_ROOT))
    assert _files(keys) == _files(Path(settings.NETRAL_SIGNING_KEY_DIR))
    # Reading a backup changes nothing in it (SQLite opened a WAL-mode copy read-only and
    # left its -shm file beside it: the backup then failed its own check, "not in the
    # manifest", and could not be restored a second time).
    assert _files(dest) == before
    call_command("restore", str(dest), "--verify-only")


def test_a_backup_with_media_in_s3_restores_into_an_empty_bucket_object_for_object(
    alice: Any,
    tmp_path: Path,
    restore_target: tuple[str, str],
    s3_bucket: str,
    s3_endpoint: str,
) -> None:
    """NETRAL_STORAGE=s3 on a real S3 endpoint (moto's server on loopback, tests/s3.py): the
    backup reads every object through the storage API, the restore (a process configured by
    the NETRAL_S3_* environment alone) writes them into a new, empty bucket."""
    from tests import s3

    _some_data(alice)
    source = s3.objects(s3_endpoint, s3_bucket)
    assert any(key.startswith(f"{s3.PREFIX}/declarations/") for key in source)
    dest = tmp_path / "backup"
    call_command("backup", str(dest))
    manifest = json.loads((dest / "manifest.json").read_text())
    media = {n.removeprefix("media/"): f for n, f in manifest["files"].items() if "media/" in n}
    assert {f"{s3.PREFIX}/{name}" for name in media} == set(source)

    empty = s3.new_bucket(s3_endpoint)
    url, target = restore_target
    local_media, keys = tmp_path / "media2", tmp_path / "keys2"
    env = {
        **os.environ,
        **s3.storage_env(s3_endpoint, empty),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "NETRAL_TEST_MEDIA_ROOT": str(local_media),
        "NETRAL_TEST_KEY_DIR": str(keys),
    }
    restore = [sys.executable, "-m", "netral", "restore", str(dest)]
    proc = subprocess.run(restore, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(media)} media files" in proc.stdout

    restored = s3.objects(s3_endpoint, empty)
    assert restored == source  # every object, byte for byte
    for name, described in media.items():
        data = restored[f"{s3.PREFIX}/{name}"]
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (
            described["sha256"],
            described["bytes"],
        )
    assert not any(p.is_file() for p in local_media.rglob("*"))  # nothing on the local disk
    assert _rows(target) == _rows()
    assert _files(keys) == _files(Path(settings.NETRAL_SIGNING_KEY_DIR))

    again = subprocess.run(restore, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert again.returncode != 0
    assert "the media storage has files" in again.stderr


def test_a_restore_refuses_a_tampered_or_truncated_backup_naming_the_file(
    alice: Any, tmp_path: Path
) -> None:
    _some_data(alice)
    dest = tmp_path / "backup"
    call_command("backup", str(dest))
    call_command("restore", str(dest), "--verify-only")  # intact

    media = next(p for p in (dest / "media").rglob("*") if p.is_file())
    name = str(media.relative_to(dest))
    original = media.read_bytes()
    media.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(CommandError, match=f"{name}: its SHA-256 differs"):
        call_command("restore", str(dest), "--verify-only")
    media.write_bytes(original)

    database = dest / json.loads((dest / "manifest.json").read_text())["database"]
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match=f"{database.name}: .* bytes, the manifest says"):
        call_command("restore", str(dest))
    database.write_bytes(data)

    manifest = dest / "manifest.json"
    text = manifest.read_text()
    manifest.write_text(text.replace('"bytes":', '"bytes": ', 1))
    with pytest.raises(CommandError, match=r"manifest\.json: its seal does not verify"):
        call_command("restore", str(dest))
    manifest.write_text(text)

    (dest / "media" / "planted.txt").write_text("x")
    with pytest.raises(CommandError, match=r"media/planted\.txt: not in the manifest"):
        call_command("restore", str(dest))


def test_a_restore_refuses_a_target_that_is_not_empty(alice: Any, tmp_path: Path) -> None:
    _some_data(alice)
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="restore needs empty targets: the database"):
        call_command("restore", str(tmp_path / "b"))


def test_a_full_disk_during_backup_leaves_no_backup(
    alice: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _some_data(alice)

    def full(src: Any, out: Any) -> dict[str, Any]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_copy", full)
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", str(tmp_path / "b"))
    assert list(tmp_path.iterdir()) == []  # neither b nor b.partial


# --- a real full disk: DEST on a small tmpfs (root only; skipped where mounting is refused) ---


@contextlib.contextmanager
def _small_disk(where: Path, kib: int) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(where)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)  # noqa: S607


def _database_dump_size(tmp_path: Path) -> int:
    call_command("backup", str(tmp_path / "probe"))
    manifest = json.loads((tmp_path / "probe" / "manifest.json").read_text())
    return int(manifest["files"][manifest["database"]]["bytes"])


@pytest.mark.parametrize("where", ["database", "media"])
def test_a_real_full_disk_during_backup_leaves_no_backup_and_says_so(
    alice: Any, tmp_path: Path, where: str
) -> None:
    """DEST's file system fills up for real (ENOSPC from the kernel), while the database is
    dumped or while the media are copied: the command fails with a message naming the full
    disk, and leaves neither DEST nor DEST.partial."""
    _some_data(alice)
    dump = _database_dump_size(tmp_path)
    if where == "media":
        big = b"\x00" * (dump + 2 * 1024 * 1024)  # the dump fits, this file does not
        default_storage.save("bukti/besar.bin", ContentFile(big))
        kib = dump // 1024 + 512
    else:
        kib = max(dump // 1024 // 2, 64)
    with _small_disk(tmp_path / "disk", kib) as disk:
        with pytest.raises(CommandError) as failed:
            call_command("backup", str(disk / "b"))
        assert list(disk.iterdir()) == []  # neither b nor b.partial
    message = str(failed.value)
    assert "nothing kept" in message
    assert "No space left on device" in message or "disk is full" in message, message
