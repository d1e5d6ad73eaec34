"""Mail as background jobs (issue 15 §1): one job per notification, and the periodic batch
sender of the public form's deferred notifications (netral/cases/notifications.py)."""

from __future__ import annotations

from netral.cases.notifications import notification_deliver, notifications_send_pending
from netral.jobs.services import QUEUE_BULK, JobContext, background


@background(max_attempts=5, backoff=60)
def notification_send_job(job: JobContext, *, log_id: int) -> dict[str, bool]:
    """Send one notification; an SMTP failure raises, so the job retries it with backoff
    (60 s, doubled per attempt). Idempotent: an already-sent notification is not sent again."""
    sent = notification_deliver(log_id=log_id, last_attempt=job.attempt >= job.max_attempts)
    return {"sent": sent}


@background(max_attempts=2, backoff=30)
def notifications_send_job(job: JobContext) -> dict[str, int]:
    """Send PENDING notifications; each row is locked while sent, so a mail leaves once."""
    return {"sent": notifications_send_pending()}


@background(max_attempts=3, backoff=30, queue=QUEUE_BULK)
def evidence_check_job(job: JobContext, *, evidence_id: int) -> dict[str, str]:
    """Decode or parse a large evidence file whole; refuse and quarantine it if that fails
    (netral.cases.services.evidence.evidence_check_deep)."""
    from netral.cases.services.evidence import evidence_check_deep

    job.progress(0, 1)
    return {"check": evidence_check_deep(evidence_id=evidence_id)}
