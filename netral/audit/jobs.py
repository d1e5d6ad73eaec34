"""Sealing audit checkpoints as a periodic background job (issue 14 §18)."""

from __future__ import annotations

from netral.audit.checkpoints import audit_checkpoint_create
from netral.jobs.services import JobContext, background


@background(max_attempts=2, backoff=60)
def audit_checkpoint_job(job: JobContext) -> dict[str, int]:
    """Seal a checkpoint of the audit trail if anything was written since the last one."""
    checkpoint = audit_checkpoint_create()
    return {"checkpoint": checkpoint.number if checkpoint else 0}
