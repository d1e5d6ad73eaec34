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
    from netral.demo import demo_load
    from netral.jobs.models import Job, JobStatus
    from netral.jobs.worker import worker_run
    from netral.registry.services.regions_load import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=SAMPLE_REGIONS, edition="sample")
    demo_load()
    if os.environ.get("BENCH_JOBS_ONLY") == "certificates":
        _certificates()
        return
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

    _certificates()


def _certificates() -> None:
    """The demo's biggest event: each batch from enqueue to DONE through the worker loop,
    template cache cold, in a process that has not rendered anything yet (the first batch
    pays the WeasyPrint import), then again warm-process; with the ceilings measured in the
    same run: one bare WeasyPrint render of the same template HTML, and one certificate
    rendered on its own (the view's path) x the number of signers."""
    import cProfile
    import pstats

    from django.db.models import Count

    from bench.harness import loadavg
    from netral.declarations import certificates, pdf
    from netral.declarations.jobs import certificates_batch_start, verify_url
    from netral.declarations.models import Event
    from netral.jobs.models import Job, JobStatus
    from netral.jobs.worker import worker_run

    event = Event.objects.annotate(n=Count("signatures")).order_by("-n").first()
    assert event is not None
    count = event.signatures.count()
    cache = Path(os.environ["NETRAL_VAR_DIR"]) / "media/declarations/certificate-templates"
    profile = os.environ.get("BENCH_PROFILE")
    print(f"event {event.pk}: {count} signatures; {loadavg()}")
    for round_ in ("cold process", "warm process"):
        for kind in ("pdf", "zip"):
            for path in cache.glob("*"):
                path.unlink()
            Job.objects.filter(handler__endswith="certificates_batch_job").delete()
            profiler = cProfile.Profile() if profile else None
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            job = certificates_batch_start(event=event, kind=kind, actor=None)
            worker_run(batch=True)
            if profiler:
                profiler.disable()
            took = time.perf_counter() - start
            job.refresh_from_db()
            assert job.status == JobStatus.DONE, job.error
            print(
                f"certificate batch {kind} ({round_}): {count} certificates, enqueue to DONE "
                f"{took:.2f} s (job ran {(job.finished_at - job.started_at).total_seconds():.2f}"
                f" s); {loadavg()}"
            )
            if profiler:
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(35)
    # The same through a real `netral worker` process (default --interval 1: an idle worker
    # looks for new tasks once a second, so pick-up adds up to 1 s), timed from enqueue in
    # this process to DONE seen in the database; its first batch pays the WeasyPrint import.
    worker = subprocess.Popen(
        [sys.executable, "-m", "netral", "worker", "--worker-id", "bench-worker"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from netral.jobs.models import WorkerBeat

        deadline = time.monotonic() + 60
        while not WorkerBeat.objects.filter(worker_id="bench-worker").exists():
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.1)
        time.sleep(2)  # past its start-up delay, idle and polling
        for round_ in ("first batch of the worker", "second batch of the worker"):
            for kind in ("pdf", "zip"):
                for path in cache.glob("*"):
                    path.unlink()
                Job.objects.filter(handler__endswith="certificates_batch_job").delete()
                start = time.perf_counter()
                job = certificates_batch_start(event=event, kind=kind, actor=None)
                while not Job.objects.filter(
                    pk=job.pk, status__in=(JobStatus.DONE, JobStatus.FAILED)
                ).exists():
                    time.sleep(0.01)
                took = time.perf_counter() - start
                job.refresh_from_db()
                assert job.status == JobStatus.DONE, job.error
                ran = (job.finished_at - job.started_at).total_seconds()
                print(
                    f"certificate batch {kind} (netral worker process, {round_}): enqueue to "
                    f"DONE {took:.2f} s (job ran {ran:.2f} s); {loadavg()}"
                )
                time.sleep(1.5)  # let the worker go idle again
    finally:
        worker.terminate()
        worker.wait(30)
    # ceilings, same run
    signature = event.signatures.order_by("id").first()
    assert signature is not None
    html = certificates._template_html(signature)
    start = time.perf_counter()
    pdf.render_template_pdf(html)
    bare = time.perf_counter() - start
    print(f"ceiling: one bare WeasyPrint render of the template HTML {bare:.2f} s")
    for path in cache.glob("*"):
        path.unlink()
    start = time.perf_counter()
    certificates.certificate_for(signature=signature, verify_url=verify_url)
    single_cold = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(20):
        certificates.certificate_for(signature=signature, verify_url=verify_url)
    single_warm = (time.perf_counter() - start) / 20
    print(
        f"ceiling: one certificate on its own {single_cold * 1e3:.0f} ms cold, "
        f"{single_warm * 1e3:.1f} ms warm; x {count} = {single_warm * count:.2f} s warm; "
        f"{loadavg()}"
    )


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
            # the batch alone: no periodic job shares the worker loop being timed
            "NETRAL_NEWS_POLL_SECONDS": "0",
            "NETRAL_AUDIT_CHECKPOINT_SECONDS": "0",
            "NETRAL_TAKEDOWN_SWEEP_SECONDS": "0",
        }
        argv = [sys.executable, "-m", "bench.jobs", "child"]
        if args.quick:
            argv.append("--quick")
        subprocess.run(argv, cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    if sys.argv[1] == "child":
        _child("--quick" in sys.argv)
