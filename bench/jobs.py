# ruff: noqa: S603
"""Background jobs (issue 15): the task system's overhead, and a 139-certificate batch.

1. Overhead per job, N no-op jobs: `handler.enqueue()` each in its own transaction, then
   `worker_run(batch=True)` (the loop of `netral worker`) runs them; against a bare call of
   the same function and, when Redis answers on 127.0.0.1:6379 (db 6), an empty RQ job
   (enqueue + RQ SimpleWorker burst) in the same run.
2. The demo's declaration event of Kutai Timur (139 kepala desa): a certificate batch (merged
   PDF, then ZIP) from enqueue to DONE with a worker running beside (cold template cache).
   Target: < 2 s.

    .venv/bin/python -m bench jobs [--quick]           # SQLite in a throwaway directory
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/DB .venv/bin/python -m bench jobs

Never touches var/: a temporary NETRAL_VAR_DIR and database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REGIONS = ROOT / "tests" / "fixtures" / "regions" / "wilayah-sample.csv"


def _child(quick: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench import jobs_handlers
    from netral.declarations.jobs import certificates_batch_start
    from netral.declarations.models import Event
    from netral.demo import demo_load
    from netral.jobs.models import Job, JobStatus
    from netral.jobs.worker import worker_run
    from netral.registry.services.regions_load import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=SAMPLE_REGIONS, edition="sample")
    demo_load()
    n = 100 if quick else 500
    print(f"database: {connection.vendor}; {n} no-op jobs")

    start = time.perf_counter()
    for i in range(n):
        jobs_handlers.bare(i)
    bare = (time.perf_counter() - start) / n

    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            jobs_handlers.noop.enqueue(n=i)
    enqueue = (time.perf_counter() - start) / n
    start = time.perf_counter()
    worker_run(batch=True)
    run = (time.perf_counter() - start) / n
    assert Job.objects.filter(status=JobStatus.DONE, handler__endswith="noop").count() == n
    print(f"bare call            {bare * 1e6:10.1f} us/job")
    print(f"netral job enqueue   {enqueue * 1e3:10.2f} ms/job")
    print(f"netral job run       {run * 1e3:10.2f} ms/job (worker loop, claim, result)")
    print(f"netral job total     {(enqueue + run) * 1e3:10.2f} ms/job")
    _rq(n)

    from django.db.models import Count

    event = Event.objects.annotate(n=Count("signatures")).order_by("-n").first()
    assert event is not None
    count = event.signatures.count()
    for kind in ("pdf", "zip"):
        cache = Path(os.environ["NETRAL_VAR_DIR"]) / "media/declarations/certificate-templates"
        for path in cache.glob("*"):
            path.unlink()
        start = time.perf_counter()
        job = certificates_batch_start(event=event, kind=kind, actor=None)
        worker_run(batch=True)
        job.refresh_from_db()
        took = time.perf_counter() - start
        assert job.status == JobStatus.DONE, job.error
        print(f"certificate batch {kind}: {count} certificates, enqueue to DONE {took:.2f} s")


def _rq(n: int) -> None:
    try:
        import redis
        from rq import Queue
        from rq.worker import SimpleWorker

        conn = redis.Redis.from_url("redis://127.0.0.1:6379/6")
        conn.ping()
    except Exception as exc:
        print(f"empty RQ job: not measured (Redis: {exc})")
        return
    from bench import jobs_handlers

    queue = Queue("bench-jobs", connection=conn)
    queue.empty()
    start = time.perf_counter()
    for i in range(n):
        queue.enqueue(jobs_handlers.rq_noop, i)
    enqueue = (time.perf_counter() - start) / n
    start = time.perf_counter()
    SimpleWorker([queue], connection=conn).work(burst=True, logging_level="WARNING")
    run = (time.perf_counter() - start) / n
    print(f"empty RQ job enqueue {enqueue * 1e3:10.2f} ms/job")
    print(f"empty RQ job run     {run * 1e3:10.2f} ms/job (SimpleWorker burst)")
    print(f"empty RQ job total   {(enqueue + run) * 1e3:10.2f} ms/job")
    queue.empty()


def run(args: Any, rest: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="netral-bench-jobs-") as tmp:
        Path(tmp, "staticfiles").mkdir()
        env = {
            **os.environ,
            "NETRAL_VAR_DIR": tmp,
            "DATABASE_URL": os.environ.get("BENCH_PG_URL") or f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "NETRAL_DEADLINE_WATCH_SECONDS": "0",
            "NETRAL_NOTIFICATIONS_SECONDS": "0",
            "NETRAL_TALLY_FOLD_SECONDS": "0",
        }
        argv = [sys.executable, "-m", "bench.jobs", "child"]
        if args.quick:
            argv.append("--quick")
        subprocess.run(argv, cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    if sys.argv[1] == "child":
        _child("--quick" in sys.argv)
