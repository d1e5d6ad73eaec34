"""Exporting 1,000,000 officials as CSV and XLSX through the real view (streamed), against a
raw sqlite3 cursor -> csv.writer of the same rows (the ceiling), in the same run, in
alternating rounds (A B A B; `--rounds N`, at least 3); the XLSX against openpyxl's write-only
mode (the previous writer) over the same rows, alternating likewise.

Memory is read from /proc/self/statm while the export is consumed, every 100,000 rows: a
flat line means the export does not grow with the row count. Also times the national and
a regency dashboard over the same 1,000,000 officials against the bare GROUP BY query.

    .venv/bin/python -m bench exports            # 1,000,000 rows
    .venv/bin/python -m bench exports --quick    # 100,000 rows
    .venv/bin/python -m bench exports --pg-database bench_exports   # on PostgreSQL
"""

from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import alternate, loadavg, ratios, report, sign_in
from bench.harness import pg_url as bench_pg_url
from bench.national_seed import STATUSES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REGIONS = ROOT / "tests" / "fixtures" / "regions" / "wilayah-sample.csv"
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


def _seed(n: int) -> None:
    """n officials spread over the desa of the four sample regencies (raw inserts: fast)."""
    from django.db import connection

    from netral.registry.models import Official, Region

    desa = list(
        Region.objects.filter(level__in=["DESA", "KELURAHAN"]).values_list("code", flat=True)
    )
    types = ["PNS", "PPPK", "KEPALA_DESA", "PERANGKAT_DESA", "CAMAT", "LURAH", "TNI", "POLRI"]
    cats = ["FUNGSIONAL", "PELAKSANA", "ADMINISTRATOR", "PENGAWAS", "JPT", ""]
    table = Official._meta.db_table
    sql = (
        f"INSERT INTO {table} (subject_type, name, name_folded, nip, ni_pppk, nik, nrp, "
        "position, position_category, agency_id, region_id, email, phone, is_active, "
        "created_at, updated_at) VALUES (%s,%s,%s,%s,NULL,%s,NULL,%s,%s,NULL,%s,'','',%s,"
        "'2024-01-01 00:00:00','2024-01-01 00:00:00')"
    )
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for i in range(n):
            name = f"Pejabat Uji {i:07d}"
            batch.append(
                (
                    types[i % len(types)],
                    name,
                    name.lower(),
                    None,
                    f"640801{i:010d}",
                    "Staf",
                    cats[i % len(cats)],
                    desa[i % len(desa)],
                    True,
                )
            )
            if len(batch) == 50_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def _seed_cases(n: int, officials: int | None = None) -> None:
    """n cases (one reported person each) over the same desa: mixed origins, statuses,
    regimes and dates through 2024, half decided, 70 % registered; the reported persons
    point at the first `officials` officials (default n)."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from netral.cases.models import Case, ReportedPerson
    from netral.registry.models import Official, Region

    desa = list(
        Region.objects.filter(level__in=["DESA", "KELURAHAN"]).values_list("code", flat=True)
    )
    first_official = Official.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    base = dt.datetime(2024, 1, 1, 9, tzinfo=timezone.get_current_timezone())
    statuses = STATUSES
    batch = 20_000
    for offset in range(0, n, batch):
        cases = []
        for i in range(offset, min(n, offset + batch)):
            received = base + dt.timedelta(hours=(i * 7) % (360 * 24))
            registered = received + dt.timedelta(days=1) if i % 10 < 7 else None
            decided = received + dt.timedelta(days=1 + i % 6) if registered and i % 2 else None
            cases.append(
                Case(
                    origin=("LAPORAN", "TEMUAN", "INFORMASI_AWAL")[i % 3],
                    regime=("PEMILU", "PILKADA")[i % 2],
                    status=statuses[i % len(statuses)],
                    channel="KANTOR",
                    incident_region_id=desa[i % len(desa)],
                    handling_region_id=desa[i % len(desa)][:5],
                    incident_place="x",
                    title="x",
                    description="x",
                    event_date=received.date(),
                    known_date=received.date(),
                    received_at=received,
                    registered_at=registered,
                    decided_at=decided,
                    due_at=received + dt.timedelta(days=5) if i % 4 == 0 else None,
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(cases, batch_size=2000)
            ReportedPerson.objects.bulk_create(
                [
                    ReportedPerson(
                        case_id=c.pk,
                        official_id=first_official + (c.pk * 37) % (officials or n),
                        name="x",
                        subject_type=("PNS", "KEPALA_DESA", "PPPK")[c.pk % 3],
                        finding=("BELUM_DIPUTUS", "TERBUKTI", "TIDAK_TERBUKTI")[c.pk % 3],
                        violation_types=[["PERUU_LAINNYA"], ["PERUU_LAINNYA", "PIDANA"], []][
                            c.pk % 3
                        ],
                        skb_codes=[["DS06"], ["KE04"], []][c.pk % 3],
                    )
                    for c in created
                ],
                batch_size=2000,
            )


def _consume(chunks: Any, total: int) -> tuple[float, list[float], int]:
    """Read a streamed body to /dev/null, sampling RSS every ~10 % of the rows."""
    samples: list[float] = []
    lines = 0
    size = 0
    step = max(1, total // 10)
    next_sample = step
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        for chunk in chunks:
            sink.write(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
            if lines >= next_sample:
                samples.append(rss_mb())
                next_sample += step
    return time.perf_counter() - start, samples, size


# The officials export's SELECT, written by hand: what the ceiling reads on both databases.
CEILING_SQL = (
    "SELECT o.id, o.subject_type, o.name, o.nip, o.ni_pppk, o.nrp, o.nik, o.position, "
    "o.position_category, a.name, o.region_id, o.is_active FROM registry_official o "
    "LEFT JOIN registry_agency a ON a.id = o.agency_id ORDER BY o.id"
)


def _ceiling(db: Path, total: int) -> tuple[float, list[float]]:
    conn = sqlite3.connect(db)
    samples: list[float] = []
    step = max(1, total // 10)
    start = time.perf_counter()
    with open(os.devnull, "w", newline="") as sink:
        writer = csv.writer(sink)
        cursor = conn.execute(CEILING_SQL)
        for i, row in enumerate(cursor, start=1):
            writer.writerow(row)
            if i % step == 0:
                samples.append(rss_mb())
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, samples


def _ceiling_pg(total: int) -> tuple[float, list[float]]:
    """The same SELECT through a raw psycopg server-side cursor into csv.writer."""
    from django.db import connection, transaction

    samples: list[float] = []
    step = max(1, total // 10)
    start = time.perf_counter()
    with (
        transaction.atomic(),
        connection.connection.cursor(name="ceiling") as cursor,
        open(os.devnull, "w", newline="") as sink,
    ):
        writer = csv.writer(sink)
        cursor.itersize = 2000
        cursor.execute(CEILING_SQL)
        for i, row in enumerate(cursor, start=1):
            writer.writerow(row)
            if i % step == 0:
                samples.append(rss_mb())
    return time.perf_counter() - start, samples


def _fmt_samples(samples: list[float]) -> str:
    return " ".join(f"{s:.0f}" for s in samples)


def run(args: Any, rest: list[str]) -> None:
    n = args.rows or (100_000 if args.quick else 1_000_000)
    # NETRAL_BENCH_KEEP=path keeps (and reuses) the seeded database between runs.
    keep = os.environ.get("NETRAL_BENCH_KEEP")
    # NETRAL_BENCH_DATABASE_URL=postgres://... runs against PostgreSQL instead (the database
    # must exist; it is reused when it already holds the officials).
    pg_url = os.environ.get("NETRAL_BENCH_DATABASE_URL", "") or (
        bench_pg_url(args, args.pg_database) if args.pg_database else ""
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(keep) if keep else Path(tmp) / "bench.sqlite3"
        reuse = db.exists()
        os.environ["DATABASE_URL"] = pg_url or f"sqlite:///{db}"
        os.environ["NETRAL_VAR_DIR"] = tmp
        os.environ.setdefault("ALLOWED_HOSTS", "localhost")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from netral.accounts.models import Assignment, Role, User
        from netral.registry.services.regions_load import regions_load

        call_command("migrate", verbosity=0)
        if pg_url:
            from netral.registry.models import Official

            reuse = Official.objects.count() >= n
            if reuse:  # as a maintained database would be (visibility map, statistics)
                from django.db import connection

                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        if not reuse:
            regions_load(path=SAMPLE_REGIONS, edition="sample")
            start = time.perf_counter()
            _seed(n)
            print(f"seeded {n:,} officials in {time.perf_counter() - start:.1f} s", flush=True)
        if os.environ.get("NETRAL_BENCH_CASES") == "1":
            from netral.cases.models import Case

            if Case.objects.count() < n:
                start = time.perf_counter()
                _seed_cases(n)
                print(f"seeded {n:,} cases in {time.perf_counter() - start:.1f} s", flush=True)
        user, _c = User.objects.get_or_create(username="bench")
        Assignment.objects.get_or_create(user=user, role=Role.BAWASLU_RI, region=None)
        client = Client(HTTP_HOST="localhost")
        sign_in(client, user)

        if pg_url and os.environ.get("NETRAL_BENCH_CASES") == "1":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        _dashboards(user, n)
        if os.environ.get("NETRAL_BENCH_ONLY") == "dashboards":
            return

        def netral_csv() -> float:
            response = client.get("/dasbor/ekspor/officials.csv")
            assert response.status_code == 200, response.status_code
            seconds, samples, _size = _consume(response.streaming_content, n)
            memory["csv"] = samples
            return seconds

        def ceiling_csv() -> float:
            seconds, samples = _ceiling_pg(n) if pg_url else _ceiling(db, n)
            memory["ceiling"] = samples
            return seconds

        def netral_xlsx() -> float:
            start = time.perf_counter()
            response = client.get("/dasbor/ekspor/officials.xlsx")
            assert response.status_code == 200, response.status_code
            _consume(response.streaming_content, 1)
            memory["xlsx"] = [rss_mb()]
            return time.perf_counter() - start

        def openpyxl_xlsx() -> float:
            """The previous writer (openpyxl write-only) over the same converted rows."""
            from openpyxl import Workbook

            from netral.dashboards.exports import OFFICIALS
            from netral.dashboards.selectors import scope_resolve

            start = time.perf_counter()
            book = Workbook(write_only=True)
            sheet = book.create_sheet("x")
            for chunk in OFFICIALS.chunks(user, scope_resolve(user=user, region_code=None), "xlsx"):
                for row in chunk:
                    sheet.append(row)
            with tempfile.TemporaryFile() as fh:
                book.save(fh)
            return time.perf_counter() - start

        memory: dict[str, list[float]] = {}
        print(f"officials CSV and XLSX over {n:,} rows, {args.rounds} alternating rounds:")
        spreads = alternate(
            {
                "netral CSV (view, streamed)": netral_csv,
                f"ceiling raw {'psycopg' if pg_url else 'sqlite3'} -> csv.writer": ceiling_csv,
            },
            args.rounds,
        )
        for label, spread in spreads.items():
            report(label, spread, "{:.2f}", " s")
        csv_ratio = ratios(*spreads.values())
        report("ratio CSV / ceiling (pair by pair)", csv_ratio, "{:.2f}", "x")
        print(f"  CSV RSS MiB at 10%..100% of rows (last round): {_fmt_samples(memory['csv'])}")
        xlsx = alternate(
            {
                "netral XLSX (xlsxwriter constant_memory)": netral_xlsx,
                "openpyxl write-only": openpyxl_xlsx,
            },
            args.rounds,
        )
        for label, spread in xlsx.items():
            report(label, spread, "{:.2f}", " s")
        report("ratio openpyxl / xlsxwriter", ratios(*reversed(list(xlsx.values()))), "{:.2f}", "x")
        print(f"  RSS after the XLSX: {memory['xlsx'][0]:.0f} MiB ({loadavg()})")


def _dashboards(user: Any, n: int) -> None:
    from django.db import connection

    from netral.dashboards.selectors import DashboardFilters, dashboard_build

    def best(fn: Any, repeat: int = 3) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times) * 1000

    national = best(lambda: dashboard_build(user=user, filters=DashboardFilters()))
    regency = best(
        lambda: dashboard_build(user=user, filters=DashboardFilters(region_code="64.08"))
    )

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT substr(region_id, 1, 2), count(*) FROM registry_official GROUP BY 1"
            )
            cursor.fetchall()

    bare_ms = best(bare)

    def bare_cases() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT substr(incident_region_id, 1, 2), count(*) FROM cases_case GROUP BY 1"
            )
            cursor.fetchall()

    cases_ms = best(bare_cases)
    from django.conf import settings

    settings.NETRAL_DASHBOARD_CACHE_SECONDS = 300
    national_warm = best(lambda: dashboard_build(user=user, filters=DashboardFilters()))
    settings.NETRAL_DASHBOARD_CACHE_SECONDS = 0
    print(f"dashboard national ({n:,} officials): {national:7.1f} ms")
    print(f"dashboard national, cached (NETRAL_DASHBOARD_CACHE_SECONDS): {national_warm:7.1f} ms")
    print(f"dashboard regency 64.08:               {regency:7.1f} ms")
    print(f"ceiling bare GROUP BY (one query):     {bare_ms:7.1f} ms")
    print(f"ceiling bare GROUP BY of the cases:    {cases_ms:7.1f} ms")
