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
        cf.upload.seek(0)
        evidence.file.save("bukti", cf.upload, save=False)
        evidence.save()
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
