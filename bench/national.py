"""Issue 15's national scale on PostgreSQL: 5,000,000 officials and 1,000,000 cases.

Four parts, on one database (dropped and recreated unless `NETRAL_BENCH_KEEP=DIR` reuses the
database and the var directory of an earlier run;
`NETRAL_BENCH_ONLY=import,search,cases,dashboards,form` runs a subset):

1. import: the 5,000,000-row file (`bench.officials_import.generate`) through the service as
   `netral import_officials` runs it (reader process, direct load), into a fresh migrated
   database with the full Kemendagri regions; ceiling: PostgreSQL `COPY` of the same file into
   an equivalent bare table plus its three indexes, same run. Target: under 90 s.
   Then the partial-name search of issue 18 point 4 over these rows (`bench officials_search`
   on this database: Netral's search against the bare index query, alternated).
2. cases: the demo (`netral demo`), then 1,000,000 cases seeded beside it over every desa
   (`bench.national_seed.seed_cases_fast`: SQL over generate_series, then `tally_rebuild`;
   not timed as a target). `NETRAL_BENCH_CASES=N` seeds N cases instead.
3. dashboards: `python -m bench dashboards` on this database (national and regency builds and
   pages, best of 5, against the bare GROUP BY ceilings). Targets: national < 300 ms,
   regency < 100 ms.
4. form: the public report form under wrk (gunicorn, `bench.cases._submit_benchmark`,
   alternated with /healthz, rounds from `--rounds`) while real `netral worker` processes run
   background work the whole time: a re-import of the file's first 500,000 rows (a regency's
   staff list sent again: every row matched and compared) and the demo's biggest certificate
   batch, each enqueued again as soon as it is done. Target: >= 200 reports/s, p99 < 250 ms.
   Two workers, as `make run` starts them (one for both queues, one for the short jobs); the
   database gets the `prioritize` extension the deploy guide has the worker lower its
   sessions with (`NETRAL_BENCH_PRIORITIZE=0` drops it). `NETRAL_BENCH_BACKGROUND=0`: the
   same rounds with no worker, what the cores give the form alone.
   `NETRAL_BENCH_CPU_WEIGHTS=web:200,worker:20,postgres:100`: the web, the workers and the
   PostgreSQL server each in a CPU group of that weight, as systemd services with
   `CPUWeight=` (bench/cpu_groups.py; root only).

    .venv/bin/python -m bench national                       # 5,000,000 officials
    .venv/bin/python -m bench national --rows 500000         # a smaller smoke run
    .venv/bin/python -m bench national --pg-database bench_national --rounds 3

One import round only: each needs a fresh database (drop, migrate, regions) and takes minutes;
the dashboards and the form alternate subject and ceiling as every benchmark does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import cpu_groups
from bench import officials_import as oi
from bench.harness import ROOT, loadavg, pg_admin_url, pg_url

DATABASE = "bench_national"
BACKGROUND_IMPORT_ROWS = 500_000  # at most; a tenth of the file on smaller runs


def _recreate(admin_url: str, database: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")


def _python(code: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)  # noqa: S603


def _import(csv_path: Path, url: str, admin_url: str, database: str) -> None:
    oi.PG_URL, oi.PG_ADMIN_URL, oi.PG_DATABASE = url, admin_url, database
    print(f"# import ({loadavg()})", flush=True)
    ceiling = oi.pg_ceiling(csv_path)
    print(f"  ceiling COPY + 3 indexes:   {ceiling:7.2f} s  ({loadavg()})", flush=True)
    _recreate(admin_url, database)
    out = oi._run_child(url, csv_path, search=False)
    seconds = float(out["import_s"])
    print(
        f"  netral import_officials:    {seconds:7.2f} s  = {seconds / ceiling:.2f}x the ceiling; "
        f"{int(out['created']):,} created, {out['agencies']} agencies, CPU {out['cpu_s']} s "
        f"(importing processes), peak RSS {out['rss_peak_mb']} MB ({loadavg()})",
        flush=True,
    )
    print(f"  target: under 90 s: {'met' if seconds < 90 else 'NOT met'}", flush=True)


def _cases(env: dict[str, str], cases: int, rows: int) -> None:
    print(f"# cases ({loadavg()})", flush=True)
    code = f"""
import time, django
django.setup()
from django.core.management import call_command
from netral.cases.models import Case
start = time.perf_counter()
call_command("demo", verbosity=0)
print(f"  demo loaded in {{time.perf_counter() - start:.1f}} s", flush=True)
from bench.national_seed import seed_cases_fast
start = time.perf_counter()
seed_cases_fast({cases}, officials={rows})
print(f"  seeded {cases:,} cases in {{time.perf_counter() - start:.1f}} s; "
      f"{{Case.objects.count():,}} cases in all", flush=True)
"""
    _python(code, env)


def _dashboards(env: dict[str, str], url: str, quick: bool) -> None:
    print(f"# dashboards ({loadavg()})", flush=True)
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench", "dashboards", *(["--quick"] if quick else [])],
        cwd=ROOT,
        env={**env, "NETRAL_BENCH_DATABASE_URL": url},
        check=True,
    )


def _search(url: str, csv_path: Path, rounds: int) -> None:
    """Issue 18 point 4 at 5,000,000 rows on PostgreSQL: `bench officials_search` on this
    database (the import is not repeated), after a VACUUM ANALYZE as a maintained database."""
    import psycopg

    from bench import officials_search

    print(f"# name search over the imported officials ({loadavg()})", flush=True)
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE registry_official")
    officials_search._run(url, csv_path, rounds)


def _keep_busy(stop: threading.Event, csv_path: Path, counts: dict[str, int]) -> None:
    """Keep one import job and one certificate batch queued or running until `stop`."""
    from django.db import close_old_connections
    from django.db.models import Count

    from netral.declarations.jobs import certificates_batch_start
    from netral.declarations.models import Event
    from netral.jobs.models import Job, JobStatus
    from netral.registry.services.officials_import import import_job_create, import_job_start

    event = Event.objects.annotate(n=Count("signatures")).order_by("-n").first()
    assert event is not None, "the demo's events are missing"
    pending: dict[str, int | None] = {"import": None, "certificates": None}
    try:
        while not stop.is_set():
            for kind, job_id in list(pending.items()):
                if job_id is not None:
                    status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
                    if status not in (JobStatus.DONE, JobStatus.FAILED):
                        continue
                    counts[f"{kind} {'done' if status == JobStatus.DONE else 'failed'}"] += 1
                    if kind == "certificates":
                        # The batch's key names the event's signatures: enqueued again, the
                        # finished job would be returned as it is, without any rendering.
                        Job.objects.filter(pk=job_id).delete()
                if kind == "import":
                    with csv_path.open("rb") as fh:
                        job = import_job_create(
                            actor=None,
                            file=fh,
                            original_name=csv_path.name,
                            dry_run=False,
                            region_code=None,
                        )
                    import_job_start(job=job, allowed_regions=None)
                    pending[kind] = job.job.pk
                else:
                    pending[kind] = certificates_batch_start(event=event, kind="zip", actor=None).pk
            stop.wait(0.5)
    finally:
        close_old_connections()


def _prioritize(url: str) -> str:
    """The `prioritize` extension in the bench database, as the deploy guide has it (the
    workers lower their sessions' priority with it); `NETRAL_BENCH_PRIORITIZE=0` drops it to
    measure without."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        if os.environ.get("NETRAL_BENCH_PRIORITIZE") == "0":
            conn.execute("DROP EXTENSION IF EXISTS prioritize")
            return "normal priority (NETRAL_BENCH_PRIORITIZE=0: the extension dropped)"
        if not conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'prioritize'"
        ).fetchone():
            return "normal priority (PostgreSQL has no prioritize extension)"
        conn.execute("CREATE EXTENSION IF NOT EXISTS prioritize")
    nice = os.environ.get("NETRAL_WORKER_NICE", "10")
    return f"lowered to the workers' nice value ({nice}) by the prioritize extension"


def _stat(pid: int) -> list[str]:
    # /proc/<pid>/stat after the name in parentheses: field 3 (state) is index 0
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and of its children it has waited for."""
    fields = _stat(pid)
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")


def _process_nice(pid: int) -> int:
    return int(_stat(pid)[16])


def _form(
    env: dict[str, str], tmp: str, csv_path: Path, url: str, rounds: int, seconds: int, rows: int
) -> None:
    print(f"# public form under background work ({loadavg()})", flush=True)
    from bench import cases

    background_rows = min(BACKGROUND_IMPORT_ROWS, rows // 10 or 1)
    small = Path(tmp) / f"officials-first-{background_rows}.csv"
    if not small.exists():
        with csv_path.open("rb") as src, small.open("wb") as dst:
            for i, line in enumerate(src):
                if i > background_rows:
                    break
                dst.write(line)
    os.environ.update(env)
    import django

    django.setup()
    from netral.accounts.models import Role, User
    from tests.factories import UserFactory

    if not User.objects.filter(username="bench.kutim").exists():
        UserFactory(username="bench.kutim", role=Role.BAWASLU_KABKOTA, region="64.08")
    cases.DB = url.rsplit("/", 1)[1]
    cases.URL = url
    cases.ADMIN_URL = url.rsplit("/", 1)[0] + "/postgres"
    if os.environ.get("NETRAL_BENCH_BACKGROUND") == "0":
        # the same server and database with no worker: what the two cores give the form alone
        cases._submit_benchmark(tmp, seconds, url, "PostgreSQL, no worker", rounds)
        return
    prioritize = _prioritize(url)
    print(f"  the workers' database sessions: {prioritize}", flush=True)
    with cpu_groups.placed(os.environ.get("NETRAL_BENCH_CPU_WEIGHTS", ""), os.getpid()) as groups:
        _form_beside_workers(env, small, url, rounds, seconds, tmp, groups)


def _form_beside_workers(
    env: dict[str, str],
    small: Path,
    url: str,
    rounds: int,
    seconds: int,
    tmp: str,
    groups: cpu_groups.Groups | None,
) -> None:
    from bench import cases

    # As `make run` starts them: one worker for both queues, one for the short jobs only.
    # A new id each run: a worker stopped mid-job by an earlier run is then seen as gone and
    # its job swept back to the queue (the same id would look alive forever).
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "netral",
                "worker",
                "--worker-id",
                f"bench-national-{os.getpid()}-{name}",
                *(["--queues", "default"] if name == "short" else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in ("all", "short")
    ]
    if groups is not None:
        groups.move("worker", [each.pid for each in workers])
    worker = workers[0]
    stop = threading.Event()
    counts: dict[str, int] = {
        "import done": 0,
        "import failed": 0,
        "certificates done": 0,
        "certificates failed": 0,
    }
    busy = threading.Thread(target=_keep_busy, args=(stop, small, counts), daemon=True)
    busy.start()
    worker_cpu0 = _process_cpu(worker.pid)
    try:
        cases._submit_benchmark(tmp, seconds, url, "PostgreSQL, worker busy", rounds)
    finally:
        worker_cpu = _process_cpu(worker.pid) - worker_cpu0
        print(
            f"  worker (nice {_process_nice(worker.pid)}): {worker_cpu:.1f} s of CPU during the "
            f"form's rounds, itself and its child processes (its database work not included)",
            flush=True,
        )
        stop.set()
        busy.join(60)
        for each in workers:
            each.terminate()  # finishes the job in hand, then stops
        for each in workers:
            try:
                each.wait(120)
            except subprocess.TimeoutExpired:
                each.kill()
                each.wait()
    from netral.jobs.models import Job

    print(
        f"  background work finished during the form's rounds: {counts}; "
        f"jobs in the table: {Job.objects.count():,} ({loadavg()})",
        flush=True,
    )


def run(args: Any, rest: list[str]) -> None:
    database = args.pg_database or DATABASE
    url, admin_url = pg_url(args, database), pg_admin_url(args)
    rows = args.rows or (500_000 if args.quick else 5_000_000)
    n_cases = int(os.environ.get("NETRAL_BENCH_CASES") or (100_000 if args.quick else 1_000_000))
    only = set(filter(None, os.environ.get("NETRAL_BENCH_ONLY", "").split(",")))
    parts = only or {"import", "search", "cases", "dashboards", "form"}
    keep = os.environ.get("NETRAL_BENCH_KEEP", "")
    tmp = keep or tempfile.mkdtemp(prefix="bench-national-")
    Path(tmp).mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "NETRAL_VAR_DIR": tmp,  # one var directory: the same keys for every process
        "DJANGO_SETTINGS_MODULE": "bench.settings_cases",
        "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    os.environ["NETRAL_VAR_DIR"] = tmp
    csv_path = Path(tmp) / f"officials-{rows}.csv"
    print(f"national scale on PostgreSQL {database}: {rows:,} officials, {n_cases:,} cases; {tmp}")
    if not csv_path.exists():
        start = time.perf_counter()
        oi.generate(csv_path, rows)
        print(
            f"generated {rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
    if "import" in parts:
        _recreate(admin_url, database)
        _import(csv_path, url, admin_url, database)
    if "search" in parts:
        _search(url, csv_path, args.rounds)
    if "cases" in parts:
        _cases(env, n_cases, rows)
    if "dashboards" in parts:
        _dashboards(env, url, args.quick)
    if "form" in parts:
        _form(env, tmp, csv_path, url, args.rounds, 5 if args.quick else 20, rows)
