"""Background jobs on django-tasks (docs/decisions/0010-task-engine.md).

Define a job handler once, then enqueue it from a service:

    from netral.jobs.services import JobContext, background

    @background(max_attempts=3, backoff=30)
    def certificates_zip_job(job: JobContext, *, event_id: int) -> dict[str, object]:
        job.progress(0, total)            # shown to the user, survives reloads and restarts
        ...
        return {"file": name}             # JSON, kept on the Job row

    job = certificates_zip_job.enqueue(key=f"cert-zip:{event_id}:{version}", actor=user,
                                       event_id=event_id)

`enqueue` writes a `Job` row and hands one django-tasks task (`netral.jobs.tasks.run_job`)
to the configured backend. On the database backend the task row is written in the caller's
transaction, so a rolled-back service enqueues nothing and a committed one cannot lose its
job; on RQ it is sent on commit, and the worker's sweep re-sends a job whose delivery was
lost. A job runs at most once at a time: the worker claims it with a conditional UPDATE, so
a duplicate delivery is skipped. A handler that raises is retried after `backoff` seconds,
doubled each attempt, up to `max_attempts`; `PermanentError` (input gone, bad input) fails at
once. A job whose worker stops beating (killed, machine lost) is queued again by the sweep.
Handlers must therefore be idempotent: running one twice must leave what running it once did.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from netral.jobs.models import Job, JobStatus, PeriodicSlot, WorkerBeat

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# Longest wait between two attempts, whatever the backoff doubles to.
MAX_BACKOFF_SECONDS = 3600


class PermanentError(Exception):
    """Raised by a handler when retrying cannot help (its input is gone or invalid)."""


@dataclass
class JobContext:
    """What a handler gets: its job's id and attempt, and a way to report progress."""

    job_id: int
    attempt: int
    max_attempts: int = 1
    _written_at: float | None = field(default=None, repr=False)

    # Progress is written at most this often (and always at the first and the last step).
    PROGRESS_EVERY_SECONDS = 0.5

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Store progress on the job row (autocommitted: the user's page polls it)."""
        now = time.monotonic()
        last = total is not None and done >= total
        if (
            self._written_at is not None
            and not last
            and message is None
            and now - self._written_at < self.PROGRESS_EVERY_SECONDS
        ):
            return
        self._written_at = now
        fields: dict[str, Any] = {
            "progress_done": done,
            "progress_total": total,
            "heartbeat_at": timezone.now(),
        }
        if message is not None:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job_id).update(**fields)


# The task queues. A long job (an import, a certificate batch, a capture, a feed poll) goes
# to QUEUE_BULK; everything else (mails, sign-in codes, the deadline watch, the tally fold)
# to QUEUE_DEFAULT. `netral worker` takes both; `netral worker --queues default` never takes
# a long job, so a second worker started so keeps an officer's sign-in code and a
# reporter's receipt from waiting behind a minute-long import (issue 15, Session 16: 936
# mails queued behind one long job).
QUEUE_DEFAULT = "default"
QUEUE_BULK = "bulk"
QUEUES = (QUEUE_DEFAULT, QUEUE_BULK)


@dataclass(frozen=True)
class Background(Generic[P, R]):
    """A job handler: call it directly (tests, the command line) or `enqueue` it."""

    func: Callable[..., R]
    path: str
    max_attempts: int
    backoff: int
    queue: str = QUEUE_DEFAULT

    def __call__(self, job: JobContext, **kwargs: Any) -> R:
        return self.func(job, **kwargs)

    def enqueue(
        self,
        *,
        key: str | None = None,
        actor: Any = None,
        run_after: dt.datetime | None = None,
        **kwargs: Any,
    ) -> Job:
        return job_enqueue(handler=self, kwargs=kwargs, key=key, actor=actor, run_after=run_after)


def background(
    *, max_attempts: int = 3, backoff: int = 30, queue: str = QUEUE_DEFAULT
) -> Callable[[Callable[..., R]], Background[Any, R]]:
    """Make `func(job: JobContext, **kwargs)` a job handler (see the module's docstring);
    `queue=QUEUE_BULK` for a job that may run for many seconds."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}: one of {QUEUES}")

    def wrap(func: Callable[..., R]) -> Background[Any, R]:
        return Background(
            func=func,
            path=f"{func.__module__}.{func.__qualname__}",
            max_attempts=max_attempts,
            backoff=backoff,
            queue=queue,
        )

    return wrap


def _queue_of(path: str) -> str:
    """The queue of the handler at `path`; a path that names no handler runs (and fails
    clearly) on the default queue."""
    try:
        return _handler(path).queue
    except (ImportError, PermanentError):
        return QUEUE_DEFAULT


def _handler(path: str) -> Background[Any, Any]:
    handler = import_string(path)
    if not isinstance(handler, Background):
        raise PermanentError(f"{path} is not a job handler")
    return handler


# --- enqueueing ---------------------------------------------------------------------------


def database_backend() -> bool:
    """True when tasks travel through the database (django-tasks-db), so enqueueing is part
    of the caller's transaction."""
    return bool(settings.NETRAL_TASK_BACKEND == "database")


def job_enqueue(
    *,
    handler: Background[Any, Any],
    kwargs: dict[str, Any],
    key: str | None = None,
    actor: Any = None,
    run_after: dt.datetime | None = None,
) -> Job:
    """Record a job and hand it to the worker; with a `key` already used, the existing job."""
    if key is not None:
        existing = Job.objects.filter(key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                handler=handler.path,
                key=key,
                kwargs=kwargs,
                max_attempts=handler.max_attempts,
                run_after=run_after or timezone.now(),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            _dispatch(job)
    except IntegrityError:
        if key is None:
            raise
        return Job.objects.get(key=key)
    return job


def _dispatch(job: Job) -> None:
    """Send one delivery of `job` to the task backend (see the module's docstring)."""
    from netral.jobs.tasks import run_job

    def send() -> None:
        later = job.run_after if job.run_after > timezone.now() else None
        task = run_job.using(queue_name=_queue_of(job.handler), run_after=later)
        result = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    def send_or_wait() -> None:
        """After commit, a broker that is down (Redis) must not fail the request that
        already committed its work: the job stays QUEUED and the sweep sends it again."""
        try:
            send()
        except Exception:
            logger.exception("job %s: the task backend refused it; the sweep will resend", job.pk)

    if database_backend():
        send()
    else:
        transaction.on_commit(send_or_wait)


def job_retry(*, job: Job, actor: Any) -> Job:
    """An administrator runs a failed job again (its attempts start over)."""
    from netral.audit.services import audit_record

    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.QUEUED,
            attempts=0,
            run_after=timezone.now(),
            finished_at=None,
            worker_id="",
        )
        job.refresh_from_db()
        if updated:
            audit_record(obj=job, action="job.retry", actor=actor, after={"handler": job.handler})
            _dispatch(job)
    return job


# --- running ------------------------------------------------------------------------------

_local = threading.local()
_running: set[int] = set()  # job ids running in this process (the heartbeat touches them)
_running_lock = threading.Lock()


def worker_identity() -> str:
    """This process's worker id (set by `netral worker`; otherwise host:pid)."""
    wid = getattr(_local, "worker_id", None) or os.environ.get("NETRAL_WORKER_ID")
    return wid or f"{socket.gethostname()}:{os.getpid()}"[:64]


def set_worker_identity(worker_id: str) -> None:
    _local.worker_id = worker_id
    os.environ["NETRAL_WORKER_ID"] = worker_id


def running_job_ids() -> set[int]:
    with _running_lock:
        return set(_running)


def backoff_seconds(handler: Background[Any, Any], attempt: int) -> int:
    """Wait before attempt `attempt + 1`: backoff, doubled per attempt, capped."""
    return int(min(MAX_BACKOFF_SECONDS, handler.backoff * 2 ** max(0, attempt - 1)))


def job_execute(*, job_id: int) -> str:
    """Run one delivery of a job (the task's body). Returns what happened, for the task log."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, run_after__lte=now).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        worker_id=worker_identity(),
        finished_at=None,
    )
    if not claimed:
        return "skipped"  # done, running elsewhere, not due yet, or gone
    job = Job.objects.get(pk=job_id)
    with _running_lock:
        _running.add(job_id)
    try:
        try:
            handler = _handler(job.handler)
            context = JobContext(job_id=job.pk, attempt=job.attempts, max_attempts=job.max_attempts)
            value = handler(context, **job.kwargs)
        except Exception as exc:
            return _job_failed(job, exc)
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.DONE,
            result=value,
            finished_at=timezone.now(),
            progress_done=Coalesce(F("progress_total"), F("progress_done")),
            error="",
        )
        return "done"
    finally:
        with _running_lock:
            _running.discard(job_id)


def _job_failed(job: Job, exc: Exception) -> str:
    error = "".join(traceback.format_exception(exc))[-8000:]
    logger.warning("job %s (%s) attempt %s failed: %s", job.pk, job.handler, job.attempts, exc)
    permanent = isinstance(exc, PermanentError | ImportError)
    if permanent or job.attempts >= job.max_attempts:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=error, finished_at=timezone.now()
        )
        return "failed"
    try:
        handler = _handler(job.handler)
        wait = backoff_seconds(handler, job.attempts)
    except (ImportError, PermanentError):
        wait = 60
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED,
            error=error,
            run_after=timezone.now() + dt.timedelta(seconds=wait),
            worker_id="",
        )
        job.refresh_from_db()
        _dispatch(job)
    return "retry"


# --- the worker's housekeeping: heartbeat, sweep, periodic jobs -------------------------


def worker_beat(*, worker_id: str, backend: str, started_at: dt.datetime) -> None:
    """Say this worker is alive, and that its running jobs are."""
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "backend": backend,
            "started_at": started_at,
            "seen_at": now,
        },
    )
    ids = running_job_ids()
    if ids:
        Job.objects.filter(pk__in=ids, status=JobStatus.RUNNING).update(heartbeat_at=now)


def worker_stopped(*, worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def workers_alive(*, now: dt.datetime | None = None) -> list[WorkerBeat]:
    since = (now or timezone.now()) - dt.timedelta(seconds=settings.NETRAL_WORKER_STALE_SECONDS)
    return list(WorkerBeat.objects.filter(seen_at__gte=since))


@dataclass
class SweepResult:
    requeued: int = 0
    failed: int = 0
    redelivered: int = 0
    pruned: int = 0


def jobs_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Find the work a dead worker left behind and deliveries that were lost.

    - A RUNNING job whose heartbeat is older than NETRAL_WORKER_STALE_SECONDS: its worker
      died (killed, machine lost). Queued again, or FAILED once out of attempts.
    - A QUEUED, due job that the backend no longer holds (an RQ queue flushed, an on-commit
      send lost with its process): delivered again.
    - Finished jobs and task rows older than NETRAL_JOB_RETENTION_DAYS are deleted (FAILED
      jobs are kept until an administrator retries or deletes them).
    """
    now = now or timezone.now()
    result = SweepResult()
    stale = now - dt.timedelta(seconds=settings.NETRAL_WORKER_STALE_SECONDS)
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale):
        out_of_attempts = job.attempts >= job.max_attempts
        note = f"worker {job.worker_id} stopped beating at {job.heartbeat_at:%Y-%m-%d %H:%M:%S}"
        with transaction.atomic():
            updated = Job.objects.filter(
                pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at
            ).update(
                status=JobStatus.FAILED if out_of_attempts else JobStatus.QUEUED,
                error=note,
                run_after=now,
                worker_id="",
                finished_at=now if out_of_attempts else None,
            )
            if updated and not out_of_attempts:
                job.refresh_from_db()
                _dispatch(job)
        if updated:
            if out_of_attempts:
                result.failed += 1
            else:
                result.requeued += 1
            logger.warning("job %s: %s", job.pk, note)
    _fail_lost_task_rows(stale)
    for job in Job.objects.filter(status=JobStatus.QUEUED, run_after__lt=stale):
        if not _delivery_pending(job):
            _dispatch(job)
            result.redelivered += 1
    keep = now - dt.timedelta(days=settings.NETRAL_JOB_RETENTION_DAYS)
    result.pruned, _ = Job.objects.filter(status=JobStatus.DONE, finished_at__lt=keep).delete()
    if database_backend():
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.finished().filter(finished_at__lt=keep).delete()
    WorkerBeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return result


def _delivery_pending(job: Job) -> bool:
    """Does the backend still hold a delivery of this job that will run?"""
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    if not job.task_id:
        return False
    try:
        status = default_task_backend.get_result(job.task_id).status
    except TaskResultDoesNotExist:
        return False
    except Exception:  # the backend is down: do not pile up deliveries meanwhile
        logger.exception("cannot ask the task backend about job %s", job.pk)
        return True
    return status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _fail_lost_task_rows(stale: dt.datetime) -> None:
    """django-tasks-db leaves a killed worker's task row RUNNING; mark it FAILED (the Job,
    not this row, is what runs again)."""
    if not database_backend():
        return
    from django_tasks_db.models import DBTaskResult

    alive = {w.worker_id for w in WorkerBeat.objects.filter(seen_at__gte=stale)}
    for row in DBTaskResult.objects.running().filter(started_at__lt=stale):
        if not row.worker_ids or row.worker_ids[-1] not in alive:
            row.set_failed(WorkerLostError(f"worker {row.worker_ids[-1:]} stopped beating"))


class WorkerLostError(Exception):
    pass


def periodic_jobs() -> dict[str, int]:
    """Handler path -> seconds between runs (NETRAL_PERIODIC_JOBS; 0 turns one off)."""
    return {path: s for path, s in settings.NETRAL_PERIODIC_JOBS.items() if s > 0}


def periodic_enqueue_due(*, now: dt.datetime | None = None) -> list[Job]:
    """Enqueue each periodic job that is due, once across all workers."""
    now = now or timezone.now()
    enqueued = []
    for path, seconds in periodic_jobs().items():
        slot, _created = PeriodicSlot.objects.get_or_create(name=path, defaults={"next_at": now})
        if slot.next_at > now:
            continue
        # Claim this slot: only the worker whose UPDATE matches enqueues it.
        if not PeriodicSlot.objects.filter(name=path, next_at=slot.next_at).update(
            next_at=now + dt.timedelta(seconds=seconds)
        ):
            continue
        handler = _handler(path)
        job = handler.enqueue(key=f"periodic:{path}:{slot.next_at.isoformat()}")
        PeriodicSlot.objects.filter(name=path).update(last_job=job)
        enqueued.append(job)
    return enqueued
