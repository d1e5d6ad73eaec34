"""Cases: (1) the officer's case list over 1,000,000 cases on PostgreSQL, every filter
combination, first page server time and query count, against the bare SQL of the same page
(the ceiling); (2) public report submissions per second under wrk on loopback (gunicorn),
side by side with the trivial /healthz view on the same server.

Needs PostgreSQL at 127.0.0.1:5432 (database netral_bench_cases is dropped and recreated),
gunicorn (a dependency) and wrk (apt-get install wrk). `--quick` uses 100,000 cases;
NETRAL_BENCH_ONLY=list|submit runs one part; BENCH_WORKERS / BENCH_THREADS set the server.
Submissions run against PostgreSQL, then against a SQLite file in WAL mode.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from bench.harness import Spread, alternate, loadavg, pg_admin_url, pg_url, serve, sign_in

DB = "netral_bench_cases"  # default; --pg-database NAME and --pg-url URL override
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def _configure(args: Any) -> None:
    """Database names from the command line (bench/__main__.py's common options)."""
    global DB, ADMIN_URL, URL
    DB = args.pg_database or DB
    URL = pg_url(args, DB)
    ADMIN_URL = pg_admin_url(args)


ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests/fixtures/regions/wilayah-sample.csv"

FILTERS: list[dict[str, str]] = [
    {},
    {"status": "KAJIAN"},
    {"origin": "TEMUAN"},
    {"regime": "PEMILU"},
    {"region": "64.08.04"},
    {"q": "posko"},
    {"overdue": "1"},
    {"open": "1"},
    {"status": "DIREGISTRASI", "region": "64.08.04", "regime": "PILKADA"},
    {"origin": "LAPORAN", "overdue": "1", "region": "64.08.01", "q": "kampanye"},
    {"status": "SELESAI", "origin": "TEMUAN", "regime": "PEMILU", "open": "1"},
]


def _recreate_db() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")


def _fill(n: int) -> None:
    """n cases spread over every desa of Kutai Timur and Bogor, in every status."""
    from django.db import connection

    from netral.cases.models import Status

    statuses = "ARRAY[" + ",".join(f"'{s}'" for s in Status.values) + "]"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT array_agg(code ORDER BY code) FROM registry_region "
            "WHERE level IN ('DESA','KELURAHAN') AND (code LIKE '64.08.%%' OR "
            "code LIKE '32.01.%%')"
        )
        (codes,) = cur.fetchone()
        cur.execute(
            f"""
            INSERT INTO cases_case (code, origin, regime, status, channel, handling_region_id,
              incident_region_id, incident_place, title, description, event_date, known_date,
              checklist, late_filing, direct_forwarding, registration_unit,
              registration_number, due_at, due_step, due_basis, due_confidence, pin_hash,
              initial_assessment, created_at, updated_at)
            SELECT gen_random_uuid(),
              (ARRAY['LAPORAN','LAPORAN','TEMUAN','INFORMASI_AWAL'])[1 + i % 4],
              (ARRAY['PEMILU','PILKADA'])[1 + i % 2],
              ({statuses})[1 + (i * 7) % {len(Status.values)}],
              'DARING', substr(c, 1, 8), c, 'Balai desa',
              (ARRAY['Kades ikut kampanye','Camat di posko pemenangan','ASN unggah dukungan'])
                [1 + i % 3],
              'uraian', DATE '2024-01-01' + (i % 700), DATE '2024-01-02' + (i % 700),
              '{{}}', false, false, '', '', now() + ((i % 41) - 20) * interval '1 day',
              'PENANGANAN', 'UU 7/2017 Ps. 454(7)', 'CONFIRMED', '', '',
              now() - (i * interval '30 seconds'), now()
            FROM generate_series(1, %s) AS i,
                 LATERAL (SELECT (%s::text[])[1 + (i * 31) % array_length(%s::text[], 1)]) AS r(c)
            """.replace("%", "%%").replace("%%s", "%s"),
            [n, codes, codes],
        )
        cur.execute("VACUUM ANALYZE cases_case")
        cur.execute("ANALYZE registry_region")


def _ceiling_sql(client_filters: dict[str, str]) -> str:
    """The first page as bare SQL, scoped to Kab. Kutai Timur, with the same filters."""
    where = [
        "(incident_region_id = '64.08' OR incident_region_id LIKE '64.08.%%' "
        "OR handling_region_id = '64.08' OR handling_region_id LIKE '64.08.%%')"
    ]
    for key, value in client_filters.items():
        if key in ("status", "origin", "regime"):
            where.append(f"{key} = '{value}'")
        elif key == "region":
            where.append(
                f"(incident_region_id = '{value}' OR incident_region_id LIKE '{value}.%%')"
            )
        elif key == "q":
            where.append(f"(registration_number ILIKE '%%{value}%%' OR title ILIKE '%%{value}%%')")
        elif key == "overdue":
            where.append(
                "due_at < now() AND status NOT IN ('SELESAI','ARSIP','DIHENTIKAN',"
                "'DICABUT','DILIMPAHKAN','TIDAK_DIREGISTRASI')"
            )
        elif key == "open":
            where.append(
                "status NOT IN ('SELESAI','ARSIP','DIHENTIKAN','DICABUT',"
                "'DILIMPAHKAN','TIDAK_DIREGISTRASI')"
            )
    return (
        "SELECT c.*, r.name FROM cases_case c JOIN registry_region r "
        "ON r.code = c.incident_region_id WHERE "
        + " AND ".join(where)
        + " ORDER BY c.created_at DESC, c.id DESC LIMIT 51"
    )


def _list_benchmark(n: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from netral.accounts.models import Role
    from tests.factories import UserFactory

    start = time.perf_counter()
    _fill(n)
    print(f"inserted {n:,} cases in {time.perf_counter() - start:.1f} s")
    officer = UserFactory(username="bench.kutim", role=Role.BAWASLU_KABKOTA, region="64.08")
    client = Client()
    sign_in(client, officer)
    print(f"{'filters':58} {'median ms':>9} {'max ms':>7} {'queries':>7} {'ceiling ms':>10}")
    worst = 0.0
    for filters in FILTERS:
        client.get("/perkara/", filters)  # warm
        times, queries = [], 0
        for _ in range(7):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get("/perkara/", filters)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
            queries = len(ctx.captured_queries)
        ceiling = []
        with connection.cursor() as cur:
            for _ in range(7):
                t0 = time.perf_counter()
                cur.execute(_ceiling_sql(filters).replace("%%", "%"))
                cur.fetchall()
                ceiling.append((time.perf_counter() - t0) * 1000)
        label = ",".join(f"{k}={v}" for k, v in filters.items()) or "(none)"
        med = statistics.median(times)
        worst = max(worst, med)
        print(
            f"{label:58} {med:9.1f} {max(times):7.1f} {queries:7d} "
            f"{statistics.median(ceiling):10.1f}"
        )
    print(f"worst median: {worst:.1f} ms (target < 50 ms)")


LUA = textwrap.dedent("""
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["Cookie"] = "csrftoken=abcdefghijklmnopqrstuvwxyz012345"
    wrk.headers["X-CSRFToken"] = "abcdefghijklmnopqrstuvwxyz012345"
    local fields = [[FIELDS]]
    init = function(args)
      -- each wrk thread gets its own random sequence (else both send the same keys)
      math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
    end
    request = function()
      local key = string.format("%08x-%04x-4%03x-8%03x-%012x", math.random(0, 0xffffffff),
        math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff),
        math.random(0, 0xffffffffffff))
      return wrk.format(nil, "/lapor/", nil, "submission_key=" .. key .. "&" .. fields)
    end
""")


def _lua(base: str) -> str:
    """The wrk script: every request posts the page's own fields (as a browser with JavaScript
    sends a report without files: url-encoded), each with a new submission key."""
    import datetime as dt
    import urllib.parse
    import urllib.request

    from bench.public_form import report_fields

    with urllib.request.urlopen(f"{base}/lapor/", timeout=30) as response:  # noqa: S310
        html = response.read().decode()
    fields = urllib.parse.urlencode(report_fields(html, dt.datetime.now(dt.UTC).date()))
    assert "]]" not in fields
    return LUA.replace("FIELDS", fields)


# wrk's open connections, each sending its next request when the last is answered (the
# offered concurrency): 16 unless BENCH_CONNECTIONS says otherwise.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def _wrk(url: str, seconds: int, script: Path | None) -> dict[str, float]:
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(label: str) -> float:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {
        "timeouts": float(timeouts.group(1)) if timeouts else 0.0,
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": float(non2xx.group(1)) if non2xx else 0.0,
    }


def _cpu_seconds(pids: list[str]) -> float:
    """User + system CPU of processes (from /proc), 0 for those that have gone."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _server_pids(server_pid: int, db_url: str) -> tuple[list[str], list[str]]:
    """The gunicorn master and workers, and the PostgreSQL backends of the bench database."""
    kids = subprocess.run(  # noqa: S603
        ["pgrep", "-P", str(server_pid)],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.split()
    backends: list[str] = []
    if db_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB]
            ).fetchall()
        backends = [str(r[0]) for r in rows]
    return [str(server_pid), *kids], backends


def _measured(
    server_pid: int, db_url: str, url: str, seconds: int, script: Path | None
) -> dict[str, float]:
    """wrk against `url`, with the CPU the server (and its database backends) spent per
    request. On a machine shared with other work, CPU per request is the steadier figure."""
    app, backends = _server_pids(server_pid, db_url)
    app0, db0 = _cpu_seconds(app), _cpu_seconds(backends)
    result = _wrk(url, seconds, script)
    app, backends = _server_pids(server_pid, db_url)
    done = max(result["rps"] * seconds, 1.0)
    result["app_cpu_ms"] = (_cpu_seconds(app) - app0) * 1000 / done
    result["db_cpu_ms"] = (_cpu_seconds(backends) - db0) * 1000 / done
    return result


def _submit_benchmark(tmp: str, seconds: int, db_url: str, label: str, rounds: int) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings_cases",
        "NETRAL_VAR_DIR": tmp,
        "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    # gthread: gunicorn's sync workers close the connection after every response (no
    # keep-alive), so wrk reconnects per request; threads also overlap each report's wait for
    # the database commit. 4 x 4 was the best of 2x8, 3x6, 4x4, 2x16 and 5 sync workers
    # measured on this machine (docs/benchmarks.md). BENCH_THREADS=1: sync workers.
    workers = int(os.environ.get("BENCH_WORKERS", "4"))
    threads = int(os.environ.get("BENCH_THREADS", "4"))
    script = Path(tmp) / "post.lua"
    with serve(env, workers=workers, threads=threads, warm_paths=("/healthz", "/lapor/")) as server:
        base, server_pid = server.base, server.pid
        script.write_text(_lua(base))
        _wrk(f"{base}/lapor/", 2, script)  # every worker has opened its database connection
        runs: dict[str, list[dict[str, float]]] = {"trivial": [], "submit": []}

        def measure(name: str, url: str, lua: Path | None) -> float:
            started = time.strftime("%H:%M:%S", time.gmtime())
            result = _measured(server_pid, db_url, url, seconds, lua)
            runs[name].append(result)
            print(
                f"  round {started} UTC {name:8} {result['rps']:7.0f} req/s, p99 "
                f"{result['p99']:.0f} ms, non-2xx/3xx {result['errors']:.0f}, timeouts (2 s) "
                f"{result['timeouts']:.0f} ({loadavg()})",
                flush=True,
            )
            return result["rps"]

        alternate(
            {
                "trivial": lambda: measure("trivial", f"{base}/healthz", None),
                "submit": lambda: measure("submit", base, script),
            },
            rounds,
        )
    kind = f"{workers} sync workers" if threads <= 1 else f"{workers} gthread x {threads}"
    print(
        f"{label}: gunicorn {kind}, keep-alive, wrk -t2 -c{CONNECTIONS} -d{seconds}s, "
        f"{rounds} alternating rounds, all on this machine ({loadavg()} at the end)"
    )
    print(f"{'endpoint':24} {'figure':16} min / median / max")
    for name, title in (("trivial", "GET /healthz"), ("submit", "POST /lapor/")):
        for key, figure, fmt in (
            ("rps", "req/s", "{:.0f}"),
            ("p99", "p99 ms", "{:.1f}"),
            ("errors", "non-2xx/3xx", "{:.0f}"),
            ("app_cpu_ms", "app CPU ms/req", "{:.2f}"),
            ("db_cpu_ms", "db CPU ms/req", "{:.2f}"),
        ):
            spread = Spread(tuple(r[key] for r in runs[name]))
            print(f"{title:24} {figure:16} {spread.show(fmt)}")


def _sqlite_prepare(path: Path) -> None:
    """A migrated SQLite file (WAL, as config.env sets it up) with the sample regions and the
    Kutai Timur officer the reports route to, made in a child process (own settings)."""
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from netral.registry.services.regions_load import regions_load\n"
        f"regions_load(path=__import__('pathlib').Path({str(SAMPLE)!r}), edition='sample')\n"
        "from netral.accounts.models import Role\n"
        "from tests.factories import UserFactory\n"
        "UserFactory(username='bench.kutim', role=Role.BAWASLU_KABKOTA, region='64.08')\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "bench.settings_cases",
        "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnop",
    }
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "-c", code], cwd=ROOT, env=env, check=True
    )


def run(args: Any, rest: list[str]) -> None:
    _configure(args)
    n = args.rows or (100_000 if args.quick else 1_000_000)
    seconds = 10 if args.quick else 20
    only = os.environ.get("NETRAL_BENCH_ONLY", "")  # "list", "submit" or "" (both)
    _recreate_db()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = URL
        os.environ["NETRAL_VAR_DIR"] = tmp
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_cases"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["*"]
        from netral.registry.services.regions_load import regions_load

        call_command("migrate", verbosity=0)
        regions_load(path=SAMPLE, edition="sample")
        if only in ("", "list"):
            print("\n# officer case list")
            _list_benchmark(n)
        if only in ("", "submit"):
            print("\n# public report submissions")
            if only == "submit":  # the reports route to a Kutai Timur officer, as after the list
                from netral.accounts.models import Role
                from tests.factories import UserFactory

                UserFactory(username="bench.kutim", role=Role.BAWASLU_KABKOTA, region="64.08")
            _submit_benchmark(tmp, seconds, URL, "PostgreSQL", args.rounds)
            from netral.cases.models import Case

            stored = Case.objects.filter(channel="DARING", tracking_number__isnull=False).count()
            print(f"public reports stored by the run: {stored:,}")
            lite = Path(tmp) / "submit.sqlite3"
            _sqlite_prepare(lite)
            _submit_benchmark(tmp, seconds, f"sqlite:///{lite}", "SQLite (WAL)", args.rounds)
            import sqlite3

            with sqlite3.connect(lite) as conn:
                (stored,) = conn.execute(
                    "SELECT count(*) FROM cases_case WHERE tracking_number IS NOT NULL"
                ).fetchone()
            print(f"public reports stored by the run: {stored:,}")
