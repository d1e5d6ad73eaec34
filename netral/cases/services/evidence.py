"""Evidence files of a case: upload checks and adding files (intake, completion, officers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.models import (
    Case,
    CaseEvent,
    Evidence,
    EvidenceCheck,
)
from netral.cases.uploads import CheckedFile, check_upload, disk_room_check, report_max_bytes
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from netral.accounts.models import User


MAX_FILES_PER_SUBMISSION = 10


def _add_evidence(
    case: Case,
    checked: list[CheckedFile],
    *,
    actor: User | None,
    descriptions: list[str] | None = None,
) -> list[Evidence]:
    out = []
    for i, cf in enumerate(checked):
        desc = (descriptions[i] if descriptions and i < len(descriptions) else "") or cf.name
        evidence = Evidence(
            case=case,
            kind=cf.file_type.kind,
            description=desc[:300],
            original_name=cf.name,
            content_type=cf.file_type.content_type,
            extension=cf.file_type.extension,
            size=cf.size,
            sha256=cf.sha256,
            uploaded_by=actor,
        )
        if cf.deep_check_pending:
            evidence.check_status = EvidenceCheck.PENDING
        cf.upload.seek(0)
        evidence.file.save("bukti", cf.upload, save=False)
        evidence.save()
        if cf.deep_check_pending:
            # In the caller's transaction (decision 0010): the check exists iff the file does.
            from netral.cases.jobs import evidence_check_job

            evidence_check_job.enqueue(key=f"evidence-check:{evidence.pk}", evidence_id=evidence.pk)
        out.append(evidence)
    return out


def _check_files(files: list[UploadedFile], *, case: Case | None = None) -> list[CheckedFile]:
    """Count, total size (the report's files so far included), free disk, then each file's
    content. Refuses with an ApplicationError naming the limit; stores nothing."""
    if len(files) > MAX_FILES_PER_SUBMISSION:
        raise ApplicationError(
            _("Paling banyak %(n)s berkas sekali kirim.") % {"n": MAX_FILES_PER_SUBMISSION}
        )
    incoming = sum(f.size or 0 for f in files)
    stored = 0
    if case is not None and incoming:
        stored = int(case.evidence.aggregate(total=Sum("size"))["total"] or 0)
    if stored + incoming > report_max_bytes():
        raise ApplicationError(
            _("Berkas satu laporan paling banyak %(mb)s MB seluruhnya.")
            % {"mb": settings.NETRAL_MAX_REPORT_MB}
        )
    if incoming:
        disk_room_check(incoming)
    return [check_upload(f) for f in files]


def evidence_add(
    *, case: Case, actor: User, files: list[UploadedFile], descriptions: list[str] | None = None
) -> list[Evidence]:
    checked = _check_files(files, case=case)
    with transaction.atomic():
        added = _add_evidence(case, checked, actor=actor, descriptions=descriptions)
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.EVIDENCE_ADDED,
            actor=actor,
            actor_label=str(actor),
            parameters={"sha256": [e.sha256 for e in added]},
        )
        audit_record(
            obj=case,
            action="case.evidence_add",
            actor=actor,
            after={"sha256": [e.sha256 for e in added]},
            region_code=case.audit_region_code,
        )
    return added


QUARANTINE_DIR = "karantina"


def evidence_check_deep(*, evidence_id: int) -> str:
    """The worker's half of the content check of one evidence file (issue 15 §1): decode or
    parse it whole (netral.core.uploads.verify_content). Passed: CHECKED. Failed: REFUSED with
    the reason, the file moved under `karantina/` in the storage (kept for the record, its
    SHA-256 unchanged, never served: `evidence_download` refuses it), audited. Every row that
    refers to the same stored file (a pelimpahan's copies) follows. Idempotent: a file already
    decided is left as it is. Returns the outcome."""
    from django.utils import timezone

    from netral.cases.uploads import refusal_reason
    from netral.core import uploads
    from netral.jobs.services import PermanentError

    evidence = Evidence.objects.select_related("case").filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise PermanentError(f"evidence {evidence_id} no longer exists")
    if evidence.check_status != EvidenceCheck.PENDING:
        return str(evidence.check_status)
    name = evidence.file.name
    try:
        with evidence.file.storage.open(name, "rb") as fh:
            good = uploads.verify_content(fh, evidence.content_type, deep=True)
    except FileNotFoundError as exc:
        raise PermanentError(f"the file of evidence {evidence_id} is gone: {name}") from exc
    now = timezone.now()
    if good:
        Evidence.objects.filter(file=name, check_status=EvidenceCheck.PENDING).update(
            check_status=EvidenceCheck.CHECKED, checked_at=now
        )
        return str(EvidenceCheck.CHECKED)
    kind_label = evidence.get_kind_display()
    reason = refusal_reason(evidence.original_name or evidence.description, str(kind_label))
    storage = evidence.file.storage
    with storage.open(name, "rb") as fh:
        quarantined = storage.save(f"{QUARANTINE_DIR}/{name}", fh)
    with transaction.atomic():
        rows = list(Evidence.objects.select_related("case").filter(file=name))
        Evidence.objects.filter(file=name).update(
            file=quarantined,
            check_status=EvidenceCheck.REFUSED,
            check_note=reason[:300],
            checked_at=now,
        )
        for row in rows:
            audit_record(
                obj=row.case,
                action="case.evidence_refused",
                actor=None,
                after={"evidence": row.pk, "sha256": row.sha256, "reason": reason},
                region_code=row.case.audit_region_code,
            )
    storage.delete(name)
    return str(EvidenceCheck.REFUSED)
