"""Patroli siber's background work (netral/jobs on django-tasks): a capture, a takedown
recheck, and the periodic sweep that rechecks every URL still requested for takedown."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from netral.jobs.services import QUEUE_BULK, JobContext, PermanentError, background
from netral.patrol.models import TakedownItem, TakedownState


@background(max_attempts=2, backoff=30, queue=QUEUE_BULK)
def capture_job(job: JobContext, *, capture_id: int) -> dict[str, object]:
    """Render, archive and seal one queued capture (idempotent: a sealed or failed capture
    is left as it is)."""
    from netral.patrol.models import Capture
    from netral.patrol.services import capture_run

    job.progress(0, 1)
    try:
        capture = capture_run(capture_id=capture_id)
    except Capture.DoesNotExist as exc:
        raise PermanentError(f"capture {capture_id} is gone") from exc
    job.progress(1, 1)
    return {"status": capture.status, "duration_ms": capture.duration_ms}


@background(max_attempts=2, backoff=60, queue=QUEUE_BULK)
def takedown_recheck_job(job: JobContext, *, item_id: int) -> dict[str, object]:
    """Capture a URL requested for takedown again; a page gone marks it taken down."""
    from netral.patrol.services import takedown_recheck

    try:
        item = takedown_recheck(item_id=item_id)
    except TakedownItem.DoesNotExist as exc:  # deleted since it was queued: nothing to check
        raise PermanentError(f"takedown item {item_id} is gone") from exc
    return {"state": item.state, "http_status": item.last_check_status}


@background(max_attempts=1, backoff=60)
def takedown_recheck_due_job(job: JobContext) -> dict[str, int]:
    """Periodic: enqueue a recheck of each URL still requested whose last check is older than
    NETRAL_TAKEDOWN_RECHECK_HOURS."""
    limit = timezone.now() - dt.timedelta(hours=settings.NETRAL_TAKEDOWN_RECHECK_HOURS)
    due = TakedownItem.objects.filter(state=TakedownState.DIMINTA).filter(
        Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=limit)
    )
    n = 0
    stamp = timezone.now().strftime("%Y%m%d%H")
    for item_id in due.values_list("pk", flat=True)[:500]:
        takedown_recheck_job.enqueue(key=f"patrol.recheck:{item_id}:{stamp}", item_id=item_id)
        n += 1
    return {"enqueued": n}
