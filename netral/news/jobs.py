"""News monitoring as background jobs (netral/jobs): the periodic poll of every due source,
and one source polled on request."""

from __future__ import annotations

from netral.jobs.services import QUEUE_BULK, JobContext, PermanentError, background
from netral.news.models import NewsSource
from netral.news.services import poll_due_sources, poll_source


@background(max_attempts=2, backoff=60, queue=QUEUE_BULK)
def news_poll_job(job: JobContext) -> dict[str, int]:
    """Periodic (NETRAL_PERIODIC_JOBS): every active source whose interval has passed; each
    skips itself when polled too recently, so a retry never hammers a site."""
    results = poll_due_sources(progress=lambda done, total: job.progress(done, total))
    return {
        "sources": len(results),
        "polled": sum(1 for r in results if not r.skipped),
        "stored": sum(r.stored for r in results),
        "errors": sum(1 for r in results if r.error),
    }


@background(max_attempts=1, queue=QUEUE_BULK)
def news_source_poll_job(job: JobContext, *, source_id: int) -> dict[str, object]:
    """One source now (an administrator's "poll now"), still with conditional requests."""
    source = NewsSource.objects.filter(pk=source_id).first()
    if source is None:
        raise PermanentError(f"news source {source_id} is gone")
    result = poll_source(source, force=True)
    return {"items": result.items, "stored": result.stored, "error": result.error}
