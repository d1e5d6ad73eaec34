"""Loading the 91,599 Kemendagri regions into an empty database, against a raw sqlite3
executemany of the same rows into an equivalent table (the ceiling), in the same run."""

from __future__ import annotations

import csv
import gzip
import io
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any


def _ceiling(path: Path, db: Path) -> float:
    rows = list(csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode())))[1:]
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE region (code varchar(13) PRIMARY KEY, name varchar(120), "
        "name_folded varchar(120), level varchar(10), parent_id varchar(13), "
        "edition varchar(60))"
    )
    conn.execute("CREATE INDEX r1 ON region(name_folded)")
    conn.execute("CREATE INDEX r2 ON region(level, code)")
    conn.execute("CREATE INDEX r3 ON region(parent_id)")
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO region VALUES (?,?,?,?,?,?)",
            ((c, n, n.lower(), lv, p or None, "x") for c, n, lv, p in rows),
        )
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run(args: Any, rest: list[str]) -> None:
    import os

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["NETRAL_VAR_DIR"] = tmp
        import django

        django.setup()
        from django.core.management import call_command

        from netral.registry.services.regions_load import PACKAGED_REGIONS, regions_load

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        result = regions_load()
        netral_s = time.perf_counter() - start
        start = time.perf_counter()
        regions_load()
        again_s = time.perf_counter() - start
        ceiling_s = _ceiling(PACKAGED_REGIONS, Path(tmp) / "ceiling.sqlite3")
    print(f"regions loaded: {result.total}")
    print(f"netral load_regions (empty db):  {netral_s:6.2f} s  (incl. parse + validation)")
    print(f"netral load_regions (2nd run):   {again_s:6.2f} s  (idempotent, nothing written)")
    print(f"ceiling raw sqlite3 executemany: {ceiling_s:6.2f} s  (insert only)")
    print(f"ratio: {netral_s / ceiling_s:.1f}x")
