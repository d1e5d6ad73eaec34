"""Loading the Kemendagri region tree (idempotent, all-or-nothing).

The file is validated completely before anything is written: a malformed line stops
the load with its line number and leaves the database unchanged.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from netral.core.errors import ApplicationError
from netral.core.progress import ProgressCallback, noop_progress
from netral.registry.models import REGION_CODE_RE, Region, RegionLevel, parent_code_of
from netral.registry.text import fold

PACKAGED_REGIONS = Path(__file__).resolve().parent.parent / "data" / "wilayah.csv.gz"
PACKAGED_EDITION = "Kepmendagri 300.2.2-2430/2025"
HEADER = ["kode", "nama", "level", "parent_kode"]

_LEVELS = {
    "provinsi": RegionLevel.PROVINSI,
    "kabkota": RegionLevel.KABKOTA,
    "kecamatan": RegionLevel.KECAMATAN,
    "kelurahan": RegionLevel.KELURAHAN,
    "desa": RegionLevel.DESA,
}
# Number of dot-separated segments per level; villages: 1xxx kelurahan, 2xxx desa, 3xxx desa adat.
_SEGMENTS = {
    RegionLevel.PROVINSI: 1,
    RegionLevel.KABKOTA: 2,
    RegionLevel.KECAMATAN: 3,
    RegionLevel.KELURAHAN: 4,
    RegionLevel.DESA: 4,
}
_BATCH = 5000
_MAX_REPORTED_ERRORS = 50


class RegionFileError(ApplicationError):
    def __init__(self, errors: list[str]) -> None:
        shown = errors[:_MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        text = "\n".join(shown)
        if more:
            text += "\n" + _("… dan %(n)d kesalahan lain") % {"n": more}
        super().__init__(text, extra={"errors": errors})
        self.errors = errors


@dataclass
class RegionRow:
    line: int
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


@dataclass
class LoadResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    edition: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def open_region_file(path: Path) -> IO[str]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegionFileError(
            [_("Berkas bukan UTF-8 yang sah (byte %(pos)d).") % {"pos": exc.start}]
        ) from None
    return io.StringIO(text, newline="")


def parse_regions(stream: IO[str], *, known_codes: set[str]) -> list[RegionRow]:
    """Validate every line; raise RegionFileError with all problems, or return the rows."""
    reader = csv.reader(stream)
    errors: list[str] = []
    header = next(reader, None)
    if header is None:
        raise RegionFileError([_("Baris 1: berkas kosong.")])
    if [h.strip().lower() for h in header] != HEADER:
        raise RegionFileError(
            [
                _("Baris 1: kepala kolom harus %(expected)s, ditemukan %(found)s.")
                % {"expected": ",".join(HEADER), "found": ",".join(header)}
            ]
        )
    rows: list[RegionRow] = []
    seen: set[str] = set()
    for line, record in enumerate(reader, start=2):
        if not record:
            continue
        if len(record) != 4:
            errors.append(
                _("Baris %(line)d: harus 4 kolom, ditemukan %(n)d.")
                % {"line": line, "n": len(record)}
            )
            continue
        code, name, level_raw, parent = (v.strip() for v in record)
        level = _LEVELS.get(level_raw.lower())
        if not REGION_CODE_RE.match(code):
            errors.append(
                _("Baris %(line)d, kolom kode: format kode wilayah tidak sah %(code)r.")
                % {"line": line, "code": code}
            )
            continue
        if level is None:
            errors.append(
                _("Baris %(line)d, kolom level: tingkat tidak dikenal %(level)r.")
                % {"line": line, "level": level_raw}
            )
            continue
        segments = code.split(".")
        if (
            len(segments) != _SEGMENTS[level]
            or (level == RegionLevel.KELURAHAN and not segments[-1].startswith("1"))
            or (level == RegionLevel.DESA and segments[-1][0] not in "23")
        ):
            errors.append(
                _("Baris %(line)d: kode %(code)s tidak sesuai tingkat %(level)s.")
                % {"line": line, "code": code, "level": level_raw}
            )
            continue
        if not name:
            errors.append(_("Baris %(line)d, kolom nama: nama kosong.") % {"line": line})
            continue
        expected_parent = parent_code_of(code)
        if (parent or None) != expected_parent:
            errors.append(
                _("Baris %(line)d, kolom parent_kode: induk %(code)s seharusnya %(expected)s.")
                % {"line": line, "code": code, "expected": expected_parent or "(kosong)"}
            )
            continue
        if expected_parent and expected_parent not in seen and expected_parent not in known_codes:
            errors.append(
                _("Baris %(line)d, kolom parent_kode: induk %(parent)s tidak ada.")
                % {"line": line, "parent": expected_parent}
            )
            continue
        if code in seen:
            errors.append(
                _("Baris %(line)d, kolom kode: kode %(code)s ganda.") % {"line": line, "code": code}
            )
            continue
        seen.add(code)
        rows.append(RegionRow(line, code, name, level, expected_parent))
    if errors:
        raise RegionFileError(errors)
    if not rows:
        raise RegionFileError([_("Berkas tidak berisi satu wilayah pun.")])
    return rows


def regions_load(
    *,
    path: Path = PACKAGED_REGIONS,
    edition: str = PACKAGED_EDITION,
    progress: ProgressCallback = noop_progress,
) -> LoadResult:
    """Create or update every region of the file; running it twice changes nothing."""
    existing = {
        code: (name, level, parent_id, ed)
        for code, name, level, parent_id, ed in Region.objects.values_list(
            "code", "name", "level", "parent_id", "edition"
        ).iterator(chunk_size=20000)
    }
    with open_region_file(path) as stream:
        rows = parse_regions(stream, known_codes=set(existing))
    result = LoadResult(total=len(rows), edition=edition)
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in rows:
        result.counts[row.level] = result.counts.get(row.level, 0) + 1
        region = Region(
            code=row.code,
            name=row.name,
            name_folded=fold(row.name),
            level=row.level,
            parent_id=row.parent_code,
            edition=edition,
        )
        old = existing.get(row.code)
        if old is None:
            to_create.append(region)
        elif old != (row.name, row.level, row.parent_code, edition):
            to_update.append(region)
    result.created, result.updated = len(to_create), len(to_update)
    result.unchanged = result.total - result.created - result.updated
    done = result.unchanged
    progress(done, result.total)
    with transaction.atomic():
        # Rows are in code order, so a parent is always written before its children.
        for start in range(0, len(to_create), _BATCH):
            batch = to_create[start : start + _BATCH]
            Region.objects.bulk_create(batch, batch_size=_BATCH)
            done += len(batch)
            progress(done, result.total)
        for start in range(0, len(to_update), _BATCH):
            batch = to_update[start : start + _BATCH]
            Region.objects.bulk_update(
                batch, ["name", "name_folded", "level", "parent", "edition"], batch_size=500
            )
            done += len(batch)
            progress(done, result.total)
    return result
