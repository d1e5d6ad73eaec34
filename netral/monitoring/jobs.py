"""The deadline watch as a periodic background job (NETRAL_PERIODIC_JOBS)."""

from __future__ import annotations

from dataclasses import asdict

from netral.jobs.services import JobContext, background
from netral.monitoring.services import deadlines_watch


@background(max_attempts=2, backoff=30)
def deadlines_watch_job(job: JobContext) -> dict[str, int]:
    """One pass of the watcher: idempotent (each alert is claimed once, monitoring.services)."""
    return asdict(deadlines_watch())
