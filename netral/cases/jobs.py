"""Mail as background jobs: the deferred notifications of the public form (periodic)."""

from __future__ import annotations

from netral.cases.notifications import notifications_send_pending
from netral.jobs.services import JobContext, background


@background(max_attempts=2, backoff=30)
def notifications_send_job(job: JobContext) -> dict[str, int]:
    """Send PENDING notifications; each row is locked while sent, so a mail leaves once."""
    return {"sent": notifications_send_pending()}
