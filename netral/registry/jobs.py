"""The web import of officials as a background job (docs/decisions/0010-task-engine.md)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from netral.jobs.services import QUEUE_BULK, JobContext, PermanentError, background
from netral.registry.models import ImportJob, ImportStatus


@background(max_attempts=3, backoff=30, queue=QUEUE_BULK)
def officials_import_job(
    job: JobContext, *, import_job_id: int, allowed_regions: list[str] | None
) -> dict[str, Any]:
    """Run one upload. Idempotent: a finished upload is not imported again, and an upload
    whose import committed before its worker died (its audit entry exists) is only marked
    done. The import itself is all-or-nothing, so a run cut short left nothing to undo."""
    from netral.registry.services.officials_import import import_job_run

    upload = ImportJob.objects.filter(pk=import_job_id).first()
    if upload is None:
        raise PermanentError(f"import job {import_job_id} was deleted")
    if upload.status in (ImportStatus.DONE, ImportStatus.FAILED) and upload.finished_at:
        return {"status": upload.status, "summary": upload.summary}
    committed = _committed_summary(upload)
    if committed is not None:
        ImportJob.objects.filter(pk=upload.pk).update(
            status=ImportStatus.DONE,
            summary=committed,
            processed=committed.get("rows", upload.processed),
            finished_at=timezone.now(),
        )
        return {"status": ImportStatus.DONE, "summary": committed}
    if not upload.file or not upload.file.storage.exists(upload.file.name):
        ImportJob.objects.filter(pk=upload.pk).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Berkas unggahan tidak ditemukan lagi; unggah ulang."),
        )
        raise PermanentError(f"the file of import job {import_job_id} is gone")

    def progress(done: int, total: int | None) -> None:
        job.progress(done, total)

    try:
        result = import_job_run(
            job=upload,
            allowed_regions=set(allowed_regions) if allowed_regions is not None else None,
            progress=progress,
        )
    except Exception:
        if job.attempt < job.max_attempts:
            # import_job_run marked it FAILED; the next attempt runs it again.
            ImportJob.objects.filter(pk=upload.pk).update(
                status=ImportStatus.PENDING,
                finished_at=None,
                message=_("Percobaan %(n)d gagal karena kesalahan sistem; akan dicoba lagi.")
                % {"n": job.attempt},
            )
        raise
    if result.error_csv is not None:
        result.error_csv.unlink(missing_ok=True)
    return {"status": ImportStatus.DONE if result.ok else ImportStatus.FAILED}


def _committed_summary(upload: ImportJob) -> dict[str, Any] | None:
    """The summary of this upload's import if it already committed (its audit entry)."""
    from netral.audit.models import AuditEntry
    from netral.audit.services import chain_key_for

    entry = (
        AuditEntry.objects.filter(chain_key=chain_key_for(upload), action="officials.import")
        .order_by("-seq")
        .first()
    )
    return dict(entry.after) if entry is not None and entry.after else None
