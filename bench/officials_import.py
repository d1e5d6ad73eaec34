"""Importing 1,000,000 generated officials into an empty database, against a ceiling measured
in the same run, plus search over the imported rows.

SQLite (always): `netral import_officials` (the service) into a migrated empty database vs. a
raw sqlite3 executemany of the same CSV rows into an equivalent table, then building unique
indexes on NIP and NIK and an index on region.
PostgreSQL (when reachable, database bench_registry): the service vs. a raw COPY of the same
file into an equivalent table, then the same indexes.
On both, the floor: the import's own load of the same rows, parsed and validated beforehand
(not timed), into an empty registry: what the registry's table, indexes and tallies cost.

Peak memory (ru_maxrss) of the import is measured in a child process for --quick size (100k)
and the full size (1M) to show it stays flat.

    .venv/bin/python -m bench officials_import            # 1,000,000 rows
    .venv/bin/python -m bench officials_import --quick    # 100,000 rows
    NETRAL_BENCH_INLINE=1 .venv/bin/python -m bench officials_import  # no reader process
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WILAYAH = ROOT / "netral" / "registry" / "data" / "wilayah.csv.gz"
PG_DATABASE = "bench_registry"  # --pg-database NAME and --pg-url URL override
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
HEADER = [
    "jenis",
    "nama",
    "nip",
    "nik",
    "nrp",
    "jabatan",
    "kategori_jabatan",
    "instansi",
    "kode_wilayah",
    "email",
    "telepon",
    "media_sosial",
]

_FIRST = [
    "Ahmad",
    "Budi",
    "Siti",
    "Dewi",
    "Agus",
    "Sri",
    "Eko",
    "Rina",
    "Andi",
    "Nur",
    "Yusuf",
    "Hendra",
    "Ratna",
    "Bambang",
    "Wahyu",
    "Indah",
    "Rudi",
    "Lestari",
    "Fajar",
    "Putri",
    "Hasan",
    "Made",
    "Ketut",
    "Yohanes",
    "Maria",
    "Desi",
    "Irfan",
    "Rahmat",
    "Séno",
    "André",
    "Fitri",
    "Joko",
    "Dian",
    "Yanti",
    "Teguh",
    "Galih",
    "Wayan",
    "Nyoman",
]
_LAST = [
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Santoso",
    "Lestari",
    "Pratama",
    "Kurniawan",
    "Siregar",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Setiawan",
    "Rahman",
    "Syahputra",
    "Susanto",
    "Gunawan",
    "Hutapea",
    "Pangaribuan",
    "Daeng",
    "Lumbantobing",
    "Wibowo",
    "Purnomo",
    "Manurung",
    "Situmorang",
    "Sembiring",
    "Tarigan",
    "Ginting",
    "Halim",
]
_DINAS = [
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Pekerjaan Umum",
    "Badan Kepegawaian",
    "Sekretariat Daerah",
    "Dinas Sosial",
    "Dinas Perhubungan",
    "Inspektorat",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil",
]
_ASN_POSITIONS = [
    ("Guru Ahli Muda", "FUNGSIONAL"),
    ("Analis Kebijakan", "FUNGSIONAL"),
    ("Kepala Bidang", "ADMINISTRATOR"),
    ("Kepala Seksi", "PENGAWAS"),
    ("Pengadministrasi Umum", "PELAKSANA"),
    ("Kepala Dinas", "JPT"),
    ("Perawat Terampil", "FUNGSIONAL"),
    ("Penyuluh Pertanian", "FUNGSIONAL"),
]


def _regions() -> dict[str, list[tuple[str, str]]]:
    by_level: dict[str, list[tuple[str, str]]] = {}
    text = gzip.decompress(WILAYAH.read_bytes()).decode()
    for code, name, level, _parent in list(csv.reader(io.StringIO(text)))[1:]:
        by_level.setdefault(level, []).append((code, name))
    return by_level


def _nip(k: int, seq: int, rng: random.Random) -> str:
    # k * 13 days stays a 19xx/20xx birth year up to k = 3,000 (3,000,000 rows); beyond it
    # the days fill the gaps between the multiples of 13 (13 m + r, r = 1..12), so every k
    # still has its own date and the NIPs stay unique (5,000,000 rows: issue 15's scale).
    days = k * 13 if k < 3000 else 13 * ((k - 3000) // 12) + 1 + (k - 3000) % 12
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=days)
    tmt_year = min(birth.year + rng.randint(22, 30), 2024)
    return f"{birth:%Y%m%d}{tmt_year}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{seq:03d}"


def _nik(region6: str, k: int, seq: int, female: bool) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=k * 97)
    day = birth.day + (40 if female else 0)
    return f"{region6}{day:02d}{birth:%m%y}{seq:04d}"


def generate(path: Path, rows: int, seed: int = 20241127) -> None:
    """Stream `rows` realistic, valid rows to `path` (deterministic for a seed)."""
    rng = random.Random(seed)
    regions = _regions()
    villages = regions["desa"] + regions["kelurahan"]
    districts = regions["kecamatan"]
    regencies = regions["kabkota"]
    # A fixed permutation, so identifiers are not in sorted order in the file.
    step = 7_654_321
    while _gcd(step, rows) != 1:
        step += 2
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            j = (i * step) % rows
            roll = rng.random()
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            name = f"{first} {last}"
            female = rng.random() < 0.45
            nip = nik = nrp = category = social = email = phone = ""
            if roll < 0.62:  # ASN in a regency office
                kind = "PPPK" if roll < 0.12 else "PNS"
                code, regency = rng.choice(regencies)
                position, category = rng.choice(_ASN_POSITIONS)
                agency = f"{rng.choice(_DINAS)} {regency}"
                nip = _nip(j // 1000, j % 1000, rng)
                if kind == "PPPK":
                    nip = nip[:8] + "2023" + f"{rng.randint(1, 40):02d}" + nip[14:]
                nik = _nik(code.replace(".", "")[:4] + "01", j // 10000, j % 10000, female)
            elif roll < 0.64:  # camat
                kind, (code, cname) = "CAMAT", rng.choice(districts)
                position, category = f"Camat {cname}", "ADMINISTRATOR"
                agency = "Pemerintah Kabupaten " + code[:5]
                nip = _nip(j // 1000, j % 1000, rng)
                nik = _nik(code.replace(".", "")[:6], j // 10000, j % 10000, female)
            elif roll < 0.96:  # village officials
                code, vname = rng.choice(villages)
                kind = rng.choice(
                    ["KEPALA_DESA", "PERANGKAT_DESA", "PERANGKAT_DESA", "ANGGOTA_BPD"]
                )
                position = {
                    "KEPALA_DESA": f"Kepala Desa {vname}",
                    "PERANGKAT_DESA": "Sekretaris Desa",
                    "ANGGOTA_BPD": "Anggota BPD",
                }[kind]
                agency = f"Pemerintah Desa {vname} ({code})"
                nik = _nik(code.replace(".", "")[:6], j // 10000, j % 10000, female)
            else:  # TNI / Polri
                kind = "TNI" if roll < 0.98 else "POLRI"
                code, regency = rng.choice(regencies)
                position = "Babinsa" if kind == "TNI" else "Bhabinkamtibmas"
                agency = ("Kodim " if kind == "TNI" else "Polres ") + regency
                nrp = f"{kind[0]}{j:08d}"
            if rng.random() < 0.1:
                social = f"instagram:@{first.lower()}{j};facebook:{first}.{last}.{j}"
            if rng.random() < 0.3:
                email = f"{first.lower()}.{j}@example.go.id"
                phone = f"08{j:010d}"[:13]
            writer.writerow(
                [kind, name, nip, nik, nrp, position, category, agency, code, email, phone, social]
            )


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


# --- ceilings ---------------------------------------------------------------------------------

_CEILING_TABLE = (
    "CREATE TABLE official (id integer PRIMARY KEY, subject_type varchar(16), name varchar(200),"
    " nip varchar(18), nik varchar(16), nrp varchar(30), position varchar(200),"
    " position_category varchar(16), agency varchar(200), region_id varchar(13),"
    " email varchar(254), phone varchar(30), social text)"
)
_CEILING_INDEXES = [
    "CREATE UNIQUE INDEX o_nip ON official (nip) WHERE nip IS NOT NULL",
    "CREATE UNIQUE INDEX o_nik ON official (nik) WHERE nik IS NOT NULL",
    "CREATE INDEX o_region ON official (region_id)",
]


def _null(value: str) -> str | None:
    return value or None


def sqlite_ceiling(csv_path: Path, db: Path) -> float:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(_CEILING_TABLE)
    start = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as fh, conn:
        reader = csv.reader(fh)
        next(reader)
        conn.executemany(
            "INSERT INTO official (subject_type, name, nip, nik, nrp, position,"
            " position_category, agency, region_id, email, phone, social)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            ((r[0], r[1], _null(r[2]), _null(r[3]), _null(r[4]), *r[5:]) for r in reader),
        )
        for statement in _CEILING_INDEXES:
            conn.execute(statement)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def pg_ceiling(csv_path: Path) -> float:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=False) as conn:
        conn.execute("DROP TABLE IF EXISTS official_ceiling")
        conn.execute(
            _CEILING_TABLE.replace(
                "official (id integer PRIMARY KEY", "official_ceiling (id bigserial PRIMARY KEY"
            )
        )
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur:
            with (
                cur.copy(
                    "COPY official_ceiling (subject_type, name, nip, nik, nrp, position,"
                    " position_category, agency, region_id, email, phone, social)"
                    " FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
                csv_path.open("rb") as fh,
            ):
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
            # empty strings to NULL for identifiers, as the service stores them
            for statement in _CEILING_INDEXES:
                cur.execute(
                    statement.replace("ON official ", "ON official_ceiling ").replace("o_", "oc_")
                )
        conn.commit()
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE official_ceiling")
        conn.commit()
    return elapsed


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        return True
    except Exception:
        return False


# --- the Netral side, in a child process (clean peak RSS, its own DATABASE_URL) ----------------


def _child(database_url: str, csv_path: str, search: bool) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from netral.registry.services.regions_load import regions_load

    regions_load()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from netral.registry.services.officials_import import officials_import

    cpu_start = _cpu_seconds()
    start = time.perf_counter()
    # As `netral import_officials` does (a reader process); NETRAL_BENCH_INLINE=1 reads in
    # this process, as the upload page does, for an A/B on the same machine.
    inline = os.environ.get("NETRAL_BENCH_INLINE") == "1"
    with open(csv_path, "rb") as fh:
        result = officials_import(
            file=fh, source_name=csv_path, read_in_process=not inline, direct_load=True
        )
    elapsed = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reader_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the reader process
    assert result.ok, [str(e) for e in result.errors[:5]]
    print(
        f"RESULT import_s={elapsed:.2f} cpu_s={cpu:.2f} rows={result.rows} "
        f"created={result.created} "
        f"agencies={result.agencies_created} social={result.social_added} "
        f"rss_before_mb={rss_before / 1024:.0f} rss_peak_mb={rss_after / 1024:.0f} "
        f"reader_rss_peak_mb={reader_rss / 1024:.0f}",
        flush=True,
    )
    if search:
        _search(csv_path)


def _floor_child(database_url: str, csv_path: str) -> None:
    """The floor: the import's own load into an empty registry (services/import_direct.py)
    of rows already parsed and validated in memory (not timed). What is timed is what the
    registry itself costs on top of the ceiling's work: the officials into their table, the
    agencies and social accounts, the tallies, the seven secondary indexes, the commit."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import gc

    from django.core.management import call_command
    from django.db import connection

    from netral.core.progress import noop_progress as quiet
    from netral.core.signals import bulk_written
    from netral.registry.models import Official, Region
    from netral.registry.services import import_direct
    from netral.registry.services.import_file import open_rows
    from netral.registry.services.import_format import ErrorCollector, RowContext, read_header
    from netral.registry.services.officials_import import ImportResult, _read_batches
    from netral.registry.services.regions_load import regions_load

    call_command("migrate", verbosity=0)
    regions_load()
    errors = ErrorCollector(None)
    ctx = RowContext(region_codes=set(Region.objects.values_list("code", flat=True)), allowed=None)
    with open(csv_path, "rb") as fh, connection.cursor() as cursor:
        rows, _total, clean = open_rows(fh)
        rows_iter = iter(rows)
        header = next(rows_iter)
        index = read_header(header, errors)
        assert index is not None
        # (no agency is known yet: the keys the rows get now are the ids the load gives)
        batches = list(_read_batches(rows_iter, index, len(header), ctx, errors, clean))
        assert not errors.count
        result = ImportResult()
        gc.collect()
        gc.freeze()  # the rows held in memory are not the load's garbage to walk
        start = time.perf_counter()
        loaded = import_direct.load_into_empty_registry(
            cursor,
            lambda: batches,
            ctx,
            errors,
            result,
            quiet,
            None,
            quiet,
            lambda: bulk_written.send(sender=Official),
        )
        elapsed = time.perf_counter() - start
    assert loaded, "the database was not empty"
    assert result.created, [str(e) for e in errors.kept[:5]]
    print(f"RESULT floor_s={elapsed:.2f} created={result.created}", flush=True)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the import's forked reader)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _search(csv_path: str) -> None:
    from netral.registry.models import Official
    from netral.registry.selectors import OfficialFilters, official_search

    sample = Official.objects.order_by("id")[500_000 if Official.objects.count() > 500_000 else 50]
    nip = (
        Official.objects.filter(nip__isnull=False)
        .order_by("-id")
        .values_list("nip", flat=True)
        .first()
        or ""
    )
    # The NIK is encrypted: exact search goes through its blind index (issue 14 pt 15).
    nik = (
        Official.objects.filter(nik_hash__isnull=False)
        .order_by("-id")
        .values_list("nik", flat=True)
        .first()
        or ""
    )
    cases = {
        "name partial, common ('budi sap')": OfficialFilters(q="budi sap"),
        "name partial, accents ('seno')": OfficialFilters(q="seno"),
        "name partial, rare ('zzq')": OfficialFilters(q="zzq"),
        "NIP exact": OfficialFilters(q=nip),
        "NIK exact (blind index)": OfficialFilters(q=nik),
        "region subtree + type (a regency, PNS)": OfficialFilters(
            region=sample.region_id[:5], subject_type="PNS"
        ),
        "region subtree + type (a province, KEPALA_DESA)": OfficialFilters(
            region=sample.region_id[:2], subject_type="KEPALA_DESA"
        ),
        "name + region subtree ('putri', a province)": OfficialFilters(
            q="putri", region=sample.region_id[:2]
        ),
        # a regency officer's search: their jurisdiction is a region subtree like this one
        "name + region subtree ('putri', a regency)": OfficialFilters(
            q="putri", region=sample.region_id[:5]
        ),
    }
    qs = Official.objects.all()
    for label, filters in cases.items():
        official_search(queryset=qs, filters=filters, page=1)  # warm
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            page = official_search(queryset=qs, filters=filters, page=1)
            list(page.items)
            runs.append(time.perf_counter() - start)
        runs.sort()
        print(
            f"SEARCH {label}: median {runs[2] * 1000:.1f} ms, {len(page.items)} shown", flush=True
        )


def _run_child(
    database_url: str, csv_path: Path, search: bool, floor: bool = False
) -> dict[str, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import sys; from bench.officials_import import _floor_child; "
        "_floor_child(sys.argv[1], sys.argv[2])"
        if floor
        else "import sys; from bench.officials_import import _child; "
        "_child(sys.argv[1], sys.argv[2], sys.argv[3] == '1')"
    )
    proc = subprocess.run(  # noqa: S603  our own interpreter and module
        [
            sys.executable,
            "-c",
            code,
            database_url,
            str(csv_path),
            "1" if search else "0",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr)
        raise SystemExit("netral import failed in the child process")
    out: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            out.update(kv.split("=", 1) for kv in line.split()[1:])
        elif line.startswith("SEARCH "):
            print("  " + line[7:])
    return out


def _peer_child(database_url: str, csv_path: str) -> None:
    """django-import-export over the same file, in its own process and database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from netral.registry.services.regions_load import regions_load

    regions_load()
    from bench.import_export_peer import import_file

    seconds, created = import_file(Path(csv_path))
    print(f"RESULT peer_s={seconds:.2f} created={created}", flush=True)


def _netral_child(database_url: str, csv_path: str) -> None:
    """Netral's import of a file, timed the same way as the peer (regions loaded first)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from netral.registry.services.officials_import import officials_import
    from netral.registry.services.regions_load import regions_load

    regions_load()
    start = time.perf_counter()
    with open(csv_path, "rb") as fh:
        result = officials_import(file=fh, source_name=csv_path, direct_load=True)
    assert result.ok, [str(e) for e in result.errors[:5]]
    print(f"RESULT peer_s={time.perf_counter() - start:.2f} created={result.created}", flush=True)


def _peer_round(tmp: Path, csv_path: Path, which: str, n: int) -> float:
    db = tmp / f"peer-{which}-{n}.sqlite3"
    db.unlink(missing_ok=True)
    code = (
        f"import sys; from bench.officials_import import _{which}_child; "
        f"_{which}_child(sys.argv[1], sys.argv[2])"
    )
    proc = subprocess.run(  # noqa: S603  our own interpreter and module
        [sys.executable, "-c", code, f"sqlite:///{db}", str(csv_path)],
        cwd=ROOT,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings"),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr[-3000:])
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return float(line.split()[1].split("=")[1])


def _peer(tmp: Path, csv_path: Path, rows: int, rounds: int) -> None:
    """Netral against django-import-export, same file, alternating, each in a fresh SQLite."""
    from bench.harness import alternate, ratios, report

    print(f"the same {rows:,}-row file through django-import-export (fastest settings):")
    spreads = alternate(
        {
            "netral import_officials": lambda: _peer_round(tmp, csv_path, "netral", rows),
            "django-import-export 4 (bulk, no diff)": lambda: _peer_round(
                tmp, csv_path, "peer", rows
            ),
        },
        rounds,
    )
    for label, spread in spreads.items():
        report(label, spread, "{:.2f}", " s")
    report("peer / netral (pair by pair)", ratios(*reversed(list(spreads.values()))), "{:.2f}", "x")


def run(args: Any, rest: list[str]) -> None:
    global PG_DATABASE, PG_URL, PG_ADMIN_URL
    from bench.harness import pg_admin_url, pg_url

    PG_DATABASE = args.pg_database or PG_DATABASE
    PG_URL, PG_ADMIN_URL = pg_url(args, PG_DATABASE), pg_admin_url(args)
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["NETRAL_VAR_DIR"] = tmp_name
        csv_path = tmp / f"officials-{rows}.csv"
        start = time.perf_counter()
        generate(csv_path, rows)
        print(
            f"generated {rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        small = None
        if not args.quick:
            small = tmp / "officials-100000.csv"
            generate(small, 100_000)

        print("SQLite:")
        ceiling_cpu = time.process_time()
        ceiling = sqlite_ceiling(csv_path, tmp / "ceiling.sqlite3")
        ceiling_cpu = time.process_time() - ceiling_cpu
        netral = _run_child(f"sqlite:///{tmp}/netral.sqlite3", csv_path, search=True)
        import_s = float(netral["import_s"])
        floor_out = _run_child(f"sqlite:///{tmp}/floor.sqlite3", csv_path, False, floor=True)
        floor = float(floor_out["floor_s"])
        print(
            f"  netral import_officials: {import_s:6.2f} s  ({netral['created']} created, "
            f"{netral['agencies']} agencies, {netral['social']} social accounts)"
        )
        print(f"  ceiling executemany+idx: {ceiling:6.2f} s")
        print(
            f"  floor (rows validated):  {floor:6.2f} s  = {floor / ceiling:.2f}x the ceiling "
            "(the registry's load, indexes and tallies without reading the file)"
        )
        # CPU seconds are what a loaded shared machine changes least (wall time is both).
        print(
            f"  CPU: import {netral['cpu_s']} s (child processes included), "
            f"ceiling {ceiling_cpu:.2f} s"
        )
        print(
            f"  ratio: {import_s / ceiling:.2f}x; peak RSS {netral['rss_peak_mb']} MB "
            f"(before import {netral['rss_before_mb']} MB; reader process "
            f"{netral['reader_rss_peak_mb']} MB)"
        )
        if small is not None:
            small_out = _run_child(f"sqlite:///{tmp}/small.sqlite3", small, search=False)
            print(
                f"  peak RSS 100k rows: {small_out['rss_peak_mb']} MB (reader "
                f"{small_out['reader_rss_peak_mb']} MB) vs {rows:,} rows: "
                f"{netral['rss_peak_mb']} MB (reader {netral['reader_rss_peak_mb']} MB)"
            )

        peer_file = small or csv_path
        _peer(tmp, peer_file, 100_000 if small else rows, args.rounds)

        if _pg_reachable():
            print(f"PostgreSQL ({PG_DATABASE}):")
            pg_ceiling_s = pg_ceiling(csv_path)
            _pg_reachable()  # fresh database for Netral
            pg = _run_child(PG_URL, csv_path, search=True)
            pg_s = float(pg["import_s"])
            _pg_reachable()
            pg_floor = float(_run_child(PG_URL, csv_path, False, True)["floor_s"])
            print(f"  netral import_officials: {pg_s:6.2f} s")
            print(f"  ceiling COPY+idx:        {pg_ceiling_s:6.2f} s")
            print(
                f"  floor (rows validated):  {pg_floor:6.2f} s  = "
                f"{pg_floor / pg_ceiling_s:.2f}x the ceiling"
            )
            print(f"  ratio: {pg_s / pg_ceiling_s:.2f}x; peak RSS {pg['rss_peak_mb']} MB")
        else:
            print("PostgreSQL not reachable: skipped")
