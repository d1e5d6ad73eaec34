"""Files under MEDIA_ROOT that no row refers to (issue 14, point 5; `netral clean_orphans`).

A file is an orphan when no FileField of any model names it and it is older than `min_age`
(an upload being saved right now has no committed row yet). Interrupted writes
(`.partial-*`, netral/core/storage.py) and abandoned temporary uploads (FILE_UPLOAD_TEMP_DIR)
are orphans by construction once old enough.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from netral.core.progress import ProgressCallback, noop_progress


@dataclass
class OrphanReport:
    files: list[Path] = field(default_factory=list)
    bytes: int = 0
    removed: int = 0


def _referenced() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                rows = model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True)
                names.update(str(n) for n in rows.iterator(chunk_size=5000) if n)
    return names


def _walk(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [Path(d) / n for d, _dirs, files in os.walk(root) for n in files]


def orphans_clean(
    *, dry_run: bool, min_age: float = 3600, progress: ProgressCallback = noop_progress
) -> OrphanReport:
    """Find (and unless `dry_run`, remove) orphaned files older than `min_age` seconds."""
    media = Path(settings.MEDIA_ROOT)
    temp = Path(settings.FILE_UPLOAD_TEMP_DIR) if settings.FILE_UPLOAD_TEMP_DIR else None
    referenced = _referenced()
    cutoff = time.time() - min_age
    candidates = _walk(media) + (_walk(temp) if temp and temp != media else [])
    report = OrphanReport()
    for i, path in enumerate(candidates, 1):
        progress(i, len(candidates))
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if stat.st_mtime > cutoff:
            continue
        in_media = path.is_relative_to(media)
        if in_media and path.relative_to(media).as_posix() in referenced:
            continue
        report.files.append(path)
        report.bytes += stat.st_size
        if not dry_run:
            path.unlink(missing_ok=True)
            report.removed += 1
    return report
