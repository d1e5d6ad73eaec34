"""The demo, backed up and restored byte for byte (issue 15, "done means"), on SQLite and
PostgreSQL.

Every step is the command an operator runs, each in its own process as `make run` runs them:
`netral migrate`, `netral load_regions`, `netral demo`, `netral backup`, then `netral restore`
into a second, empty database with empty media and key directories. The regions are the
1,024 of tests/fixtures/regions/wilayah-sample.csv (every demo regency; the test suite's own
set) instead of the packaged 84,000, which only make the load slower: `netral demo` then
loads nothing more. Then every table is compared row for row, every media file and key byte
for byte, and the restore's report must count every audit entry and sealed document of the
demo as verified."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from netral.audit.models import AuditEntry
from netral.cases.models import Case
from netral.declarations.models import JointDeclaration, Signature
from netral.patrol.models import Capture
from tests.conftest import SAMPLE_REGIONS
from tests.workers import REPO

pytestmark = pytest.mark.slow

STORAGE_ENV = ("NETRAL_STORAGE", "NETRAL_S3_BUCKET", "NETRAL_S3_ENDPOINT_URL", "NETRAL_S3_PREFIX")


class Database:
    """A database of the test's engine outside the test database: a file, or a PostgreSQL
    database of its own on the test server."""

    def __init__(self, tmp_path: Path, label: str) -> None:
        self.label = label
        if connection.vendor == "sqlite":
            self.name = str(tmp_path / f"{label}.sqlite3")
            self.url = f"sqlite:///{self.name}"
            return
        cfg = connection.settings_dict
        self.admin = {
            "host": cfg["HOST"] or "127.0.0.1",
            "port": cfg["PORT"] or 5432,
            "user": cfg["USER"],
        }
        base = str(cfg["NAME"]).removeprefix("test_")
        self.name = f"{base}_demo_{label}_{uuid.uuid4().hex[:8]}"
        host = f"{self.admin['host']}:{self.admin['port']}"
        self.url = f"postgres://{cfg['USER']}@{host}/{self.name}"
        self._admin_sql(f'CREATE DATABASE "{self.name}"')

    def _admin_sql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(**self.admin, dbname="postgres", autocommit=True) as db:
            db.execute(sql)

    def drop(self) -> None:
        if connection.vendor != "sqlite":
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if connection.vendor == "sqlite":
            db = sqlite3.connect(f"{Path(self.name).as_uri()}?mode=ro", uri=True)
            try:
                return db.execute(sql).fetchall()
            finally:
                db.close()
        import psycopg

        with psycopg.connect(**self.admin, dbname=self.name) as db:
            return db.execute(sql).fetchall()  # type: ignore[arg-type]

    def tables(self) -> list[str]:
        if connection.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        return [row[0] for row in self.query(sql)]

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        return {
            table: sorted(self.query(f'SELECT * FROM "{table}"'), key=repr)  # noqa: S608
            for table in self.tables()
        }

    def sequences(self) -> list[tuple[Any, ...]]:
        """Where each id sequence stands (the next rows' ids)."""
        if connection.vendor == "sqlite":
            return sorted(self.query("SELECT name, seq FROM sqlite_sequence"))
        return sorted(self.query("SELECT sequencename, last_value FROM pg_sequences"))

    def count(self, table: str, where: str = "") -> int:
        sql = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608  names of our own models
        if where:
            sql += f" WHERE {where}"
        return int(self.query(sql)[0][0])


@pytest.fixture
def demo_databases(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    source, target = Database(tmp_path, "source"), Database(tmp_path, "restored")
    yield source, target
    source.drop()
    target.drop()


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _netral(*args: str, db: Database, home: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in STORAGE_ENV}
    env |= {
        "DATABASE_URL": db.url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "NETRAL_TEST_MEDIA_ROOT": str(home / "media"),
        "NETRAL_TEST_KEY_DIR": str(home / "keys"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "netral", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"netral {' '.join(args)}:\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_a_backup_of_the_demo_restores_byte_for_byte(
    tmp_path: Path, demo_databases: tuple[Database, Database]
) -> None:
    source, target = demo_databases
    live, restored = tmp_path / "live", tmp_path / "restored"
    _netral("migrate", "--noinput", db=source, home=live)
    regions = ("--file", str(SAMPLE_REGIONS), "--edition", "sample")
    _netral("load_regions", *regions, db=source, home=live)
    assert "Demo siap" in _netral("demo", db=source, home=live)
    backup = tmp_path / "backup"
    _netral("backup", str(backup), db=source, home=live)

    report = _netral("restore", str(backup), db=target, home=restored)

    # every table, row for row (the audit tables and the checkpoints among them)
    tables = source.tables()
    assert AuditEntry._meta.db_table in tables
    assert target.tables() == tables
    source_rows, target_rows = source.rows(), target.rows()
    for table in tables:
        assert target_rows[table] == source_rows[table], table
    assert target.sequences() == source.sequences()
    # every media file and key, byte for byte
    media = _files(live / "media")
    assert any(name.startswith("case-documents/") for name in media)
    assert any(name.startswith("declarations/") for name in media)
    assert _files(restored / "media") == media
    assert _files(restored / "keys") == _files(live / "keys")

    # the restore verified every audit entry and sealed document of the demo
    found = re.search(
        r"(\d+) media files, (\d+) audit entries, (\d+) signatures, (\d+) receipts, "
        r"(\d+) joint declarations and (\d+) patrol captures verified",
        report,
    )
    assert found, report
    counted = dict(
        zip(
            ("media", "audit", "signatures", "receipts", "joint", "captures"),
            map(int, found.groups()),
            strict=True,
        )
    )
    receipt = Case._meta.get_field("receipt_seal").column
    seal = Capture._meta.get_field("seal").column
    assert counted == {
        "media": len(media),
        "audit": source.count(AuditEntry._meta.db_table),
        "signatures": source.count(Signature._meta.db_table),
        "receipts": source.count(
            Case._meta.db_table, f"{receipt} IS NOT NULL AND {receipt} <> '{{}}'"
        ),
        "joint": source.count(JointDeclaration._meta.db_table),
        "captures": source.count(Capture._meta.db_table, f"{seal} <> '{{}}'"),
    }
    assert min(counted["audit"], counted["signatures"], counted["receipts"]) > 0
    assert counted["joint"] > 0
    if Path(settings.NETRAL_CHROMIUM).exists():  # else the demo leaves its patrol out
        assert counted["captures"] > 0
        assert any(name.startswith("patrol/") for name in media)
