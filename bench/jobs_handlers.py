"""Job handlers for bench/jobs.py (imported only once Django is set up)."""

from __future__ import annotations

from netral.jobs.services import JobContext, background


def bare(n: int) -> int:
    return n + 1


@background(max_attempts=1)
def noop(job: JobContext, *, n: int) -> int:
    return bare(n)


def rq_noop(n: int) -> int:
    return bare(n)
