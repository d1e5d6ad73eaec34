"""Certificate batches of an event (one merged PDF, or a ZIP of one PDF per signer) as
background jobs: an event of hundreds of signers takes longer than a request should."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.urls import reverse

from netral.declarations import certificates, selectors
from netral.declarations.models import Event
from netral.jobs.models import Job, JobStatus
from netral.jobs.services import QUEUE_BULK, JobContext, PermanentError, background

KINDS = {"pdf": "application/pdf", "zip": "application/zip"}


def verify_url(code: str) -> str:
    """The public verification URL printed on a certificate (SITE_URL: no request here)."""
    return settings.SITE_URL + reverse("declarations:verify", args=[code])


@background(max_attempts=3, backoff=10, queue=QUEUE_BULK)
def certificates_batch_job(job: JobContext, *, event_id: int, kind: str) -> dict[str, Any]:
    """Render the event's certificates into one file in the storage. Idempotent: a second
    run renders the same signatures into a new file and the job points at it."""
    if kind not in KINDS:
        raise PermanentError(f"unknown certificate batch kind {kind!r}")
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise PermanentError(f"event {event_id} was deleted")
    signatures = list(selectors.event_signatures(event=event))

    def progress(done: int, total: int | None) -> None:
        job.progress(done, total)

    if kind == "pdf":
        data = certificates.certificates_merged(
            signatures=signatures, verify_url=verify_url, progress=progress
        )
    else:
        data = certificates.certificates_zip(
            signatures=signatures, verify_url=verify_url, progress=progress
        )
    name = default_storage.save(
        f"declarations/batches/{event_id}/sertifikat-kegiatan-{event_id}-{job.job_id}.{kind}",
        ContentFile(data),
    )
    return {"file": name, "count": len(signatures), "bytes": len(data)}


def batch_key(*, event: Event, kind: str) -> str:
    """One batch per event, kind and state of its signatures: asking again for an unchanged
    event returns the batch already made (or under way)."""
    state = selectors.event_signatures(event=event).aggregate(
        n=Count("id"), last=Max("id"), revoked=Count("revoked_at"), last_revoked=Max("revoked_at")
    )
    digest = hashlib.sha256(repr(sorted(state.items())).encode()).hexdigest()[:16]
    return f"certificates:{kind}:{event.pk}:{digest}"


def certificates_batch_start(*, event: Event, kind: str, actor: Any) -> Job:
    """Start (or find) the batch for the event's current signatures; a failed one is retried."""
    from netral.jobs.services import job_retry

    job = certificates_batch_job.enqueue(
        key=batch_key(event=event, kind=kind), actor=actor, event_id=event.pk, kind=kind
    )
    if job.status == JobStatus.FAILED:
        job = job_retry(job=job, actor=actor)
    return job


def certificates_batch_current(*, event: Event, kind: str) -> Job | None:
    return Job.objects.filter(key=batch_key(event=event, kind=kind)).first()
