"""Job handlers used by the tests (importable by a worker subprocess started from the repo)."""

from __future__ import annotations

import time
from pathlib import Path

from netral.jobs.services import QUEUE_BULK, JobContext, PermanentError, background


@background(max_attempts=3, backoff=10)
def add(job: JobContext, *, a: int, b: int) -> dict[str, int]:
    job.progress(1, 1)
    return {"sum": a + b, "attempt": job.attempt}


@background(max_attempts=3, backoff=10)
def fail_until(job: JobContext, *, succeed_on: int) -> str:
    if job.attempt < succeed_on:
        raise RuntimeError(f"attempt {job.attempt} fails on purpose")
    return "ok"


@background(max_attempts=5, backoff=10)
def input_gone(job: JobContext) -> None:
    raise PermanentError("the event was deleted")


@background(max_attempts=3, backoff=1)
def slow_steps(job: JobContext, *, steps: int, marker: str, step_seconds: float) -> int:
    """Reports progress step by step, then appends its attempt number to `marker`."""
    for i in range(steps):
        job.progress(i, steps, f"langkah {i}")
        time.sleep(step_seconds)
    with Path(marker).open("a", encoding="utf-8") as fh:
        fh.write(f"{job.attempt}\n")
    return job.attempt


@background(max_attempts=1, queue=QUEUE_BULK)
def bulk_add(job: JobContext, *, a: int, b: int) -> int:
    """A long job's stand-in: enqueued on the bulk queue."""
    return a + b
