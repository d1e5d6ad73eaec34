"""Files of the media storage that no row refers to (issue 14, point 5; `netral clean_orphans`).

A file is an orphan when no FileField of any model names it, nor the result of a job still
kept (a certificate batch), and it is older than `min_age`
(an upload being saved right now has no committed row yet). Interrupted writes
(`.partial-*`, netral/core/storage.py) and abandoned temporary uploads (FILE_UPLOAD_TEMP_DIR)
are orphans by construction once old enough.

The media are walked through the storage API, so the local disk and an S3 bucket
(NETRAL_STORAGE=s3) are cleaned alike; the temporary uploads are always on the node's disk.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from netral.core.progress import ProgressCallback, noop_progress
from netral.core.storage import storage_walk


@dataclass
class OrphanReport:
    # local paths (the disk), or the storage's names (object storage)
    files: list[str] = field(default_factory=list)
    bytes: int = 0
    removed: int = 0


def _referenced() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                rows = model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True)
                names.update(str(n) for n in rows.iterator(chunk_size=5000) if n)
    # A job's result may name the file it made ({"file": name}, netral/jobs/services.py:
    # certificate batches); the file is kept while its job row is (NETRAL_JOB_RETENTION_DAYS).
    from netral.jobs.models import Job

    results = Job.objects.filter(result__has_key="file").values_list("result", flat=True)
    for result in results.iterator(chunk_size=5000):
        if isinstance(result, dict) and result.get("file"):
            names.add(str(result["file"]))
    return names


def _walk(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [Path(d) / n for d, _dirs, files in os.walk(root) for n in files]


def _local_path(name: str) -> str | None:
    try:
        return str(default_storage.path(name))
    except NotImplementedError:  # object storage: no local path
        return None


def orphans_clean(
    *, dry_run: bool, min_age: float = 3600, progress: ProgressCallback = noop_progress
) -> OrphanReport:
    """Find (and unless `dry_run`, remove) orphaned files older than `min_age` seconds."""
    referenced = _referenced()
    cutoff = timezone.now() - dt.timedelta(seconds=min_age)
    report = OrphanReport()
    # Referenced names are skipped before their age is asked (a request per object on S3).
    candidates = [name for name in storage_walk(default_storage) if name not in referenced]
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR) if settings.FILE_UPLOAD_TEMP_DIR else None
    media = _local_path("")
    uploads = (
        _walk(temp)
        if temp is not None and not (media and temp.resolve().is_relative_to(Path(media)))
        else []
    )
    total = len(candidates) + len(uploads)
    done = 0
    for name in candidates:
        done += 1
        progress(done, total)
        try:
            modified = default_storage.get_modified_time(name)
            size = default_storage.size(name)
        except FileNotFoundError:
            continue
        if modified > cutoff:
            continue
        report.files.append(_local_path(name) or name)
        report.bytes += size
        if not dry_run:
            default_storage.delete(name)
            report.removed += 1
    for path in uploads:
        done += 1
        progress(done, total)
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC) > cutoff:
            continue
        report.files.append(str(path))
        report.bytes += stat.st_size
        if not dry_run:
            path.unlink(missing_ok=True)
            report.removed += 1
    return report
