"""Partial-name search over a national registry (issue 18, point 4).

Builds N realistic officials (bench/officials_import.py's generator, imported by the real
service), then for each search case alternates, round by round:

- Netral's search as the officer list runs it (`official_search`, first page of 50);
- on SQLite, the previous way: GLOB over the covering name index (a scan), same page;
- the ceiling: the bare index query alone (SQLite: `SELECT rowid FROM fts WHERE MATCH ...
  LIMIT 51`; PostgreSQL: `SELECT id ... WHERE name_folded LIKE ... ORDER BY id LIMIT 51`).

Each sample is the median of 5 calls; each case prints min / median / max over the rounds.

    .venv/bin/python -m bench officials_search                # 1,000,000 rows, SQLite + PostgreSQL
    .venv/bin/python -m bench officials_search --rows 5000000 --pg-only
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import ROOT, Spread, alternate, loadavg, pg_admin_url, pg_url, report

CASES: dict[str, dict[str, str]] = {
    "name partial, common ('budi sap')": {"q": "budi sap"},
    "name partial ('seno')": {"q": "seno"},
    "name partial, rare ('zzq')": {"q": "zzq"},
    "name partial, 2 letters ('an')": {"q": "an"},
    "name + a province ('putri')": {"q": "putri", "region": "PROVINCE"},
    "name + a regency ('putri')": {"q": "putri", "region": "REGENCY"},
}


def _child(database_url: str, csv_path: str, rounds: int) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from netral.registry import selectors
    from netral.registry.models import Official
    from netral.registry.selectors import OfficialFilters, official_search
    from netral.registry.services.officials_import import officials_import
    from netral.registry.services.regions_load import regions_load
    from netral.registry.text import fold

    call_command("migrate", verbosity=0)
    if not Official.objects.exists():
        regions_load()
        start = time.perf_counter()
        with open(csv_path, "rb") as fh:
            result = officials_import(file=fh, source_name=csv_path, direct_load=True)
        assert result.ok, [str(e) for e in result.errors[:5]]
        print(f"  imported {result.created:,} officials in {time.perf_counter() - start:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE registry_official")
    sample = Official.objects.order_by("id")[Official.objects.count() // 2]
    sqlite = connection.vendor == "sqlite"

    def filters_for(case: dict[str, str]) -> OfficialFilters:
        region = {"PROVINCE": sample.region_id[:2], "REGENCY": sample.region_id[:5]}.get(
            case.get("region", ""), ""
        )
        return OfficialFilters(q=case["q"], region=region)

    def timed(fn: Any) -> float:
        fn()  # warm
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - start) * 1000)
        return statistics.median(runs)

    qs = Official.objects.all()
    for label, case in CASES.items():
        filters = filters_for(case)
        words = [w for w in fold(case["q"]).split(" ") if w]

        def netral(filters: OfficialFilters = filters) -> None:
            list(official_search(queryset=qs, filters=filters, page=1).items)

        def scan(filters: OfficialFilters = filters) -> None:
            original = selectors._uses_fts
            selectors._uses_fts = lambda *_a: False  # type: ignore[assignment]
            try:
                list(official_search(queryset=qs, filters=filters, page=1).items)
            finally:
                selectors._uses_fts = original  # type: ignore[assignment]

        def bare(words: list[str] = words) -> None:
            with connection.cursor() as cursor:
                if sqlite and any(len(w) >= 3 for w in words):
                    from netral.registry import fts

                    cursor.execute(
                        f"SELECT rowid FROM {fts.TABLE} WHERE {fts.TABLE} MATCH %s LIMIT 51",
                        [fts.match_expression([w for w in words if len(w) >= 3])],
                    )
                else:
                    op = "GLOB" if sqlite else "LIKE"
                    pattern = "*{}*" if sqlite else "%%{}%%"
                    where = " AND ".join(f"name_folded {op} %s" for _ in words)
                    cursor.execute(
                        f"SELECT id FROM registry_official WHERE {where} ORDER BY id LIMIT 51",
                        [pattern.format(w).replace("%%", "%") for w in words],
                    )
                cursor.fetchall()

        subjects = {"netral": lambda: timed(netral)}
        if sqlite:
            subjects["scan (before)"] = lambda: timed(scan)
        subjects["ceiling (bare index query)"] = lambda: timed(bare)
        spreads = alternate(subjects, rounds)
        shown = len(official_search(queryset=qs, filters=filters, page=1).items)
        print(f"  {label} ({shown} shown on page 1):")
        for name, spread in spreads.items():
            report(name, spread, "{:.1f}", " ms")
    print(f"  ({loadavg()})", flush=True)


def _run(database_url: str, csv_path: Path, rounds: int) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import sys; from bench.officials_search import _child; "
        "_child(sys.argv[1], sys.argv[2], int(sys.argv[3]))"
    )
    subprocess.run(  # noqa: S603  our own interpreter and module
        [sys.executable, "-c", code, database_url, str(csv_path), str(rounds)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _recreate(args: Any, name: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(pg_admin_url(args), autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc}): skipped")
        return None
    return pg_url(args, name)


def run(args: Any, rest: list[str]) -> None:
    from bench.officials_import import generate

    rows = args.rows or (100_000 if args.quick else 1_000_000)
    pg_only = "--pg-only" in rest
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["NETRAL_VAR_DIR"] = tmp_name
        csv_path = tmp / f"officials-{rows}.csv"
        start = time.perf_counter()
        generate(csv_path, rows)
        print(f"generated {rows:,} rows in {time.perf_counter() - start:.1f} s")
        if not pg_only:
            print(f"SQLite, {rows:,} officials:")
            _run(f"sqlite:///{tmp}/search.sqlite3", csv_path, args.rounds)
        name = args.pg_database or "bench_search"
        url = _recreate(args, name)
        if url:
            print(f"PostgreSQL ({name}), {rows:,} officials:")
            _run(url, csv_path, args.rounds)


__all__ = ["Spread", "run"]
