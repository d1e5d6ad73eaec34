"""`netral worker`: run tasks, and beside them the housekeeping every worker does.

The main thread runs the backend's own worker loop (django-tasks-db's `Worker` on the
database backend, RQ's `SimpleWorker` on Redis). A housekeeping thread beats every
NETRAL_WORKER_BEAT_SECONDS (this worker and its running jobs are alive), enqueues the
periodic jobs that are due and sweeps up the work of dead workers (jobs_sweep).
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from netral.jobs import services

logger = logging.getLogger(__name__)


class Housekeeping(threading.Thread):
    def __init__(self, *, worker_id: str, backend: str) -> None:
        super().__init__(name="netral-worker-housekeeping", daemon=True)
        self.worker_id = worker_id
        self.backend = backend
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.last_sweep = 0.0

    def tick(self) -> None:
        """One round: beat, enqueue due periodic jobs, sweep now and then."""
        import time

        close_old_connections()
        services.worker_beat(
            worker_id=self.worker_id, backend=self.backend, started_at=self.started_at
        )
        services.periodic_enqueue_due()
        if time.monotonic() - self.last_sweep >= settings.NETRAL_WORKER_SWEEP_SECONDS:
            self.last_sweep = time.monotonic()
            swept = services.jobs_sweep()
            if swept.requeued or swept.failed or swept.redelivered:
                logger.warning("sweep: %s", swept)

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    self.tick()
                except Exception:
                    # The database may be locked by a long write (SQLite) or restarting:
                    # the next beat tries again. Never let housekeeping kill the worker.
                    logger.exception("worker housekeeping failed; trying again")
                self.stopping.wait(settings.NETRAL_WORKER_BEAT_SECONDS)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()


def warm_up() -> None:
    """Pay the one-off costs of the heavy libraries before the first job, not inside it:
    importing WeasyPrint and its first render (Pango and fontconfig set up), pypdf and
    segno. A long-running worker's first certificate batch then costs what the others do
    (issue 15: a 139-certificate batch in under 2 s after enqueue). Failures are only
    logged: a job that needs the library reports its own error."""
    import time

    start = time.monotonic()
    try:
        import pypdf  # noqa: F401
        import segno

        from netral.declarations.pdf import render_template_pdf

        segno.make("netral", error="m", micro=False)
        # the certificates' font families (declarations/pdf/certificate.html)
        render_template_pdf(
            "<!doctype html><html><body><p style='font-family: \"DejaVu Serif\"'>netral</p>"
            "<p style='font-family: \"DejaVu Sans\"'>netral</p></body></html>"
        )
    except Exception:
        logger.exception("worker warm-up failed (the jobs that need it will say why)")
        return
    logger.info("worker warmed up in %.2f s", time.monotonic() - start)


def priority_lower(nice: int) -> int:
    """Lower this process's CPU priority to the nice value `nice` (never raise it: a worker
    started at a higher nice value keeps it) and return the nice value it runs at.

    A node that serves the public form and runs the worker shares its cores: without this, an
    import or a certificate batch takes its full share of the CPU from the citizens' requests
    (issue 15: the form served 88 reports/s beside a busy worker on 2 cores). Called before the
    worker starts any thread or child process: on Linux the nice value belongs to the thread
    that sets it, and the threads and processes it starts afterwards inherit it (the
    housekeeping thread, chromium; the command line's import forks a reader process, the
    worker's does not). The database server's work on
    the worker's behalf is not lowered: it runs in PostgreSQL's own processes."""
    current = os.nice(0)
    if nice > current:
        current = os.nice(nice - current)
    return current


def priorities_lower(nice: int) -> None:
    """What `netral worker` does about its priority when it starts, before any thread or child
    process: its own (`priority_lower`), its PostgreSQL sessions' (`database_priority_lower`),
    and a warning where Linux's autogroup keeps them from counting (`autogroup_warning`):
    when the worker leads a session of its own (systemd starts it so) or its database work
    runs in PostgreSQL's processes. `make run` on SQLite starts it in the web server's
    session, where its nice value counts."""
    from django.db import connection

    priority_lower(nice)
    database_priority_lower(nice)
    warnings = [cpu_group_warning(nice)]
    if connection.vendor == "postgresql" or os.getsid(0) == os.getpid():
        warnings.append(autogroup_warning(nice))
    for warning in filter(None, warnings):
        logger.warning(warning)


AUTOGROUP = Path("/proc/sys/kernel/sched_autogroup_enabled")


def autogroup_warning(nice: int, switch: Path = AUTOGROUP) -> str | None:
    """What to tell the operator when Linux's autogroup is on (Debian's default): the
    scheduler then shares the CPU between sessions first and applies nice values only inside
    each, so a worker started in a session of its own (systemd, another terminal) and the
    database server's backends do not give way to the web server whatever their nice
    values (docs/how-to/deploy.md "One host for everything"; docs/benchmarks.md Session 17).
    None when it is off, absent (not Linux) or no priority is lowered."""
    if nice <= 0:
        return None
    try:
        enabled = switch.read_text().strip() == "1"
    except OSError:
        return None
    if not enabled:
        return None
    return (
        f"kernel.sched_autogroup_enabled is 1: the worker's nice value ({nice}) counts only "
        "against processes of its own session, and its database sessions' only inside the "
        "database server's; on a host that also serves the web, set it to 0 and give the "
        "services no CPU weights (docs/how-to/deploy.md, 'One host for everything')"
    )


PROC_CGROUP = Path("/proc/self/cgroup")
CGROUP_ROOT = Path("/sys/fs/cgroup")


def cpu_group_warning(nice: int, proc: Path = PROC_CGROUP, root: Path = CGROUP_ROOT) -> str | None:
    """What to tell the operator when the worker runs in a CPU group of its own: a systemd
    service with `CPUWeight=` (cgroup v2 `cpu.weight`, v1 `cpu.shares`) or a container with
    CPU shares. The kernel then shares the CPU between the groups first, so the worker's nice
    value counts only inside its group, and the web server and PostgreSQL, each in its own,
    share the cores by weight: measured on a 2-core host running everything, the public form
    served 114 to 127 reports/s beside the worker with such weights against 150 to 163 with none
    and autogroup off (docs/benchmarks.md Session 19). None in the root group, where the
    cpu controller does not apply, or when no priority is lowered."""
    if nice <= 0:
        return None
    try:
        lines = proc.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        controllers, _, group = line.partition(":")[2].partition(":")
        if group in ("", "/"):
            continue
        if controllers == "":  # cgroup v2: the group's cpu.weight exists while cpu is on
            files = [root / group.lstrip("/") / "cpu.weight"]
        elif "cpu" in controllers.split(","):  # v1: the cpu hierarchy, however it is mounted
            files = [
                root / name / group.lstrip("/") / "cpu.shares" for name in (controllers, "cpu")
            ]
        else:
            continue
        for path in files:
            try:
                weight = path.read_text().strip()
            except OSError:
                continue
            return (
                f"the worker runs in the CPU group {group} ({path.name} {weight}): the CPU is "
                "shared between such groups first and its nice value "
                f"({nice}) counts only inside it; on a host that also serves the web, give the "
                "services no CPU weights (docs/how-to/deploy.md, 'One host for everything')"
            )
    return None


def database_priority_lower(nice: int) -> None:
    """Lower the CPU priority of the worker's PostgreSQL sessions to `nice` as well, where the
    database has the `prioritize` extension (Debian's postgresql-NN-prioritize; docs/how-to/
    deploy.md): every connection this process opens from now on renices its own backend
    (`set_backend_priority(pg_backend_pid(), nice)`, never raising a priority).

    `priority_lower` cannot reach the database server's processes, and on a node that runs
    PostgreSQL, the web server and the worker, the import's SQL (matching, conflict checks)
    took a whole core from the citizens' requests at the worker's normal priority (issue 15,
    docs/benchmarks.md Session 17). On a database host of its own the same holds between the
    web's sessions and the worker's. Without the extension nothing changes; the worker says so
    once in its log. A role without privileges may lower its own backends (checked by hand)."""
    if nice <= 0:
        return
    from django.db.backends.signals import connection_created

    def lower(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "postgresql":
            _backend_priority_lower(connection, nice)

    connection_created.connect(lower, weak=False, dispatch_uid="netral-worker-database-nice")
    # a connection opened before (system checks) keeps its priority: close it
    connections.close_all()


_backend_priority_logged: set[str] = set()


def _backend_priority_lower(connection: Any, nice: int) -> None:
    from psycopg import sql

    try:
        raw = connection.connection
        row = raw.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'prioritize'"
        ).fetchone()
        if row is None:
            result = "the prioritize extension is not installed: normal priority"
        else:
            schema = sql.Identifier(row[0])
            raw.execute(
                sql.SQL(
                    "SELECT {s}.set_backend_priority(pg_backend_pid(), %(nice)s)"
                    " WHERE {s}.get_backend_priority(pg_backend_pid()) < %(nice)s"
                ).format(s=schema),
                {"nice": nice},
            )
            got = raw.execute(
                sql.SQL("SELECT {s}.get_backend_priority(pg_backend_pid())").format(s=schema)
            ).fetchone()
            result = f"nice {got[0] if got else '?'}"
    except Exception as exc:  # a replica without the library, a permission refused
        result = f"not lowered ({exc.__class__.__name__}: {exc})"
    if connection.alias not in _backend_priority_logged:
        _backend_priority_logged.add(connection.alias)
        logger.info("database sessions of %r: %s", connection.alias, result)


def new_worker_id() -> str:
    import socket

    return f"{socket.gethostname()[:40]}-{uuid.uuid4().hex[:12]}"


def worker_run(
    *,
    batch: bool = False,
    interval: float = 1.0,
    queues: str = "*",
    worker_id: str | None = None,
    max_tasks: int | None = None,
    handle_signals: bool = False,
) -> None:
    """Run the worker. `batch`: run what is due now, then return (tests, cron)."""
    worker_id = worker_id or new_worker_id()
    services.set_worker_identity(worker_id)
    backend = settings.NETRAL_TASK_BACKEND
    house = Housekeeping(worker_id=worker_id, backend=backend)
    if batch:
        house.tick()
    else:
        house.start()
        warm_up()
    try:
        if backend == "rq":
            _run_rq(batch=batch, queues=queues, worker_id=worker_id)
        else:
            _run_database(
                batch=batch,
                interval=interval,
                queues=queues,
                worker_id=worker_id,
                max_tasks=max_tasks,
                handle_signals=handle_signals,
            )
    finally:
        house.stop()
        if house.is_alive():
            house.join(timeout=settings.NETRAL_WORKER_BEAT_SECONDS + 5)
        try:
            services.worker_stopped(worker_id=worker_id)
        except Exception:
            logger.exception("could not remove the worker's heartbeat")


def _run_database(
    *,
    batch: bool,
    interval: float,
    queues: str,
    worker_id: str,
    max_tasks: int | None,
    handle_signals: bool,
) -> None:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=queues.split(","),
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    if handle_signals:
        worker.configure_signals()
    worker.run()


def _run_rq(*, batch: bool, queues: str, worker_id: str) -> None:
    import django_rq
    from django_tasks_rq.backend import Job as TaskJob
    from rq.worker import SimpleWorker

    names: list[Any] = (
        list(settings.RQ_QUEUES) if queues == "*" else [q for q in queues.split(",") if q]
    )
    # SimpleWorker runs jobs in this process, so the housekeeping thread's heartbeat
    # covers them (RQ's default forks a work horse per job).
    worker = django_rq.get_worker(
        *names,
        worker_class=SimpleWorker,  # type: ignore[arg-type]
        job_class=TaskJob,
        name=worker_id,
    )
    worker.work(burst=batch, with_scheduler=True)
