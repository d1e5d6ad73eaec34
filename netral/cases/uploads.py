"""Evidence files: type decided by content (magic bytes), size limits, SHA-256 digest."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from netral.cases.models import EvidenceKind
from netral.core import uploads
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    kind: EvidenceKind


def sniff(head: bytes) -> FileType | None:
    """The file's real type from its first bytes (netral.core.uploads), or None."""
    found = uploads.sniff(head)
    if found is None:
        return None
    if found.content_type.startswith("image/"):
        kind = EvidenceKind.FOTO
    elif found.content_type.startswith("video/"):
        kind = EvidenceKind.VIDEO
    else:
        kind = EvidenceKind.DOKUMEN
    return FileType(found.content_type, found.extension, kind)


# The declared type must agree with the content (a .jpg that is really a PDF is refused).
_FAMILY = {"image": "image/", "video": "video/", "application/pdf": "application/pdf"}


def _declared_matches(declared: str, actual: str) -> bool:
    declared = (declared or "").split(";")[0].strip().lower()
    if not declared or declared == "application/octet-stream":
        return True
    if declared.startswith("image/"):
        return actual.startswith("image/")
    if declared.startswith("video/"):
        return actual.startswith("video/")
    return declared == actual


_UNSAFE = re.compile(r"[^\w .()-]+")


def safe_name(name: str) -> str:
    """The client's file name with any path removed (kept for display only)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = base.replace("..", ".").strip(". ")
    return _UNSAFE.sub("_", base)[:150] or "berkas"


def max_bytes() -> int:
    return int(settings.NETRAL_MAX_UPLOAD_MB) * 1024 * 1024


def report_max_bytes() -> int:
    """All the files of one report together (NETRAL_MAX_REPORT_MB)."""
    return int(settings.NETRAL_MAX_REPORT_MB) * 1024 * 1024


def disk_room_check(incoming: int) -> None:
    """Refuse new files when the free space under MEDIA_ROOT would fall below
    NETRAL_MIN_FREE_DISK_MB: evidence must never fill the disk the database shares."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    if free - incoming < int(settings.NETRAL_MIN_FREE_DISK_MB) * 1024 * 1024:
        raise ApplicationError(
            _("Penyimpanan server sedang penuh; berkas tidak dapat diterima. Coba lagi nanti.")
        )


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    file_type: FileType
    sha256: str
    size: int
    name: str
    # True when only the cheap checks ran: the worker finishes the deep one (issue 15 §1).
    deep_check_pending: bool = False


def worker_check_bytes() -> int:
    """Files larger than this are deep-checked by the worker (0: every file in the request)."""
    return int(settings.NETRAL_EVIDENCE_WORKER_CHECK_KB) * 1024


def deep_check_in_worker(size: int) -> bool:
    threshold = worker_check_bytes()
    return bool(threshold) and size > threshold


def refusal_reason(name: str, kind_label: str) -> str:
    return _("Berkas %(name)s rusak atau bukan %(kind)s yang utuh; kirim berkas aslinya.") % {
        "name": name,
        "kind": kind_label.lower(),
    }


def check_size(upload: UploadedFile) -> str:
    """Refuse a file above NETRAL_MAX_UPLOAD_MB, naming it; returns its display name."""
    name = safe_name(upload.name or "")
    if (upload.size or 0) > max_bytes():
        raise ApplicationError(
            _("Berkas %(name)s terlalu besar (maksimal %(mb)s MB).")
            % {"name": name, "mb": settings.NETRAL_MAX_UPLOAD_MB}
        )
    return name


def check_upload(upload: UploadedFile, *, defer_deep: bool = True) -> CheckedFile:
    """Validate one evidence file; raises ApplicationError naming the file.

    The type (magic bytes, the declared type, markup and ZIP polyglots, headers and
    containers) is always checked here, so a bad upload is refused at once. The full decode
    of an image or parse of a PDF is done here for files up to NETRAL_EVIDENCE_WORKER_CHECK_KB
    and by the worker above it (`evidence_check_job`; the evidence is PENDING meanwhile).
    `defer_deep=False` does it here whatever the size: for callers with no worker check
    behind them (a patrol upload is sealed at once)."""
    name = check_size(upload)
    size = upload.size or 0
    if size == 0:
        raise ApplicationError(_("Berkas %(name)s kosong.") % {"name": name})
    upload.seek(0)
    head = upload.read(uploads.HEAD_BYTES)
    file_type = sniff(head)
    if file_type is None or not _declared_matches(
        upload.content_type or "", file_type.content_type
    ):
        raise ApplicationError(
            _("Isi berkas %(name)s tidak sesuai jenisnya; kirim foto, video atau PDF.")
            % {"name": name}
        )
    later = defer_deep and deep_check_in_worker(size)
    if not uploads.verify_content(upload, file_type.content_type, deep=not later):
        raise ApplicationError(refusal_reason(name, str(file_type.kind.label)))
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, file_type, digest.hexdigest(), size, name, later)
