"""The dashboard tallies' fold as a periodic background job (NETRAL_PERIODIC_JOBS)."""

from __future__ import annotations

from netral.dashboards.tallies import tally_compact
from netral.jobs.services import JobContext, background


@background(max_attempts=2, backoff=30)
def tally_fold_job(job: JobContext) -> dict[str, int]:
    """Fold the tallies' delta rows (idempotent: a second fold finds nothing new)."""
    return {"rows": tally_compact()}
