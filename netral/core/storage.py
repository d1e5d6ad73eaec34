"""File storage whose files are whole or absent (issue 14, point 5).

Django's FileSystemStorage writes an upload straight into its final name (or moves a
temporary upload there, copying across file systems), so a server killed mid-write leaves a
truncated file under a name rows may point at. Here every file is written to a hidden
`.partial-*` file in the same directory, flushed and fsync'd, then linked into its final name
in one step (`os.link`: atomic, and refuses an existing name just as O_EXCL did). A crash
leaves at worst a `.partial-*` file or a whole file no committed row names; `netral
clean_orphans` removes both once they are an hour old.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import FileSystemStorage, Storage

PARTIAL_PREFIX = ".partial-"


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        partial = os.path.join(directory, PARTIAL_PREFIX + secrets.token_hex(8))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    os.link(partial, full_path)
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                else:
                    break
        finally:
            with contextlib.suppress(FileNotFoundError):  # linked, then unlinked: gone
                os.unlink(partial)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        else:
            os.chmod(full_path, 0o644)
        name = os.path.relpath(full_path, self.location)
        return str(name).replace("\\", "/")


def storage_walk(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name of a storage, recursively, in a stable order (the local disk or an
    object store alike: only listdir)."""
    try:
        dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(dirs):
        yield from storage_walk(storage, f"{directory}/{sub}" if directory else sub)
