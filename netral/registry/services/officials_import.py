"""Bulk import of supervised officials from CSV or XLSX (issue 3, STYLE.md §1.9).

One service for the command line (`netral import_officials FILE [--dry-run]`) and the upload
page. The file is streamed, never loaded whole:

1. parse + validate row by row (types, identifier formats of DOMAIN.md §11, region codes,
   jurisdiction) and stream the typed rows into a TEMP staging table (executemany in big
   batches on SQLite, COPY on PostgreSQL);
2. set-based checks over the staging table: identifiers repeated inside the file (GROUP BY),
   rows matching existing officials (joins on nip/ni_pppk/nik/nrp) and conflicting matches;
3. only when every row is valid and it is not a dry run: one transaction that creates the
   unknown agencies, keeps PositionHistory for changed officials, updates matched officials
   and inserts the new ones with INSERT ... SELECT / UPDATE ... FROM, and writes one audit
   entry for the ImportJob (not one per row).

Every error (row number + column name, in Indonesian) is collected, written to an error CSV
and the first ones kept in memory; nothing is written to the registry unless all rows pass.
"""

# ruff: noqa: S608  SQL here is built from module constants (table and column names) only;
# every value goes through query parameters.
from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.core.progress import ProgressCallback, noop_progress
from netral.registry.models import (
    REGION_CODE_RE,
    AgencyKind,
    ImportJob,
    ImportStatus,
    PositionCategory,
    SubjectType,
)
from netral.registry.text import fold

# --- the file format -----------------------------------------------------------------

COLUMNS = (
    "jenis",
    "nama",
    "nip",
    "nik",
    "nrp",
    "jabatan",
    "kategori_jabatan",
    "instansi",
    "kode_wilayah",
    "email",
    "telepon",
    "media_sosial",
)
REQUIRED_COLUMNS = ("jenis", "nama", "kode_wilayah")

# DOMAIN.md §11.2 (Perka BKN 22/2007 & 43/2007): birth date, TMT CPNS, gender, sequence.
NIP_RE = re.compile(
    r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(19|20)\d{2}(0[1-9]|1[0-2])[12]\d{3}$"
)
# DOMAIN.md §11.1 (PP 37/2007 Ps. 37): region, birth date (day + 40 for women), sequence.
NIK_RE = re.compile(r"^\d{6}(0[1-9]|[12]\d|3[01]|4[1-9]|[56]\d|7[01])(0[1-9]|1[0-2])\d{2}\d{4}$")
# DOMAIN.md §11.3: NI PPPK layout is UNCONFIRMED; only 18 digits, a valid birth date in
# digits 1-8 and a gender digit (15th) of 1 or 2 are checked.
NI_PPPK_RE = re.compile(r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{6}[12]\d{3}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ().-]{6,30}$")
NRP_MAX = 30
_TEXT_MAX = 200

_TYPES = {t.value for t in SubjectType}
_CATEGORIES = {c.value for c in PositionCategory}
_DESA_TYPES = {SubjectType.KEPALA_DESA, SubjectType.PERANGKAT_DESA, SubjectType.ANGGOTA_BPD}

MAX_KEPT_ERRORS = 500  # kept in memory / on the job; the error CSV holds all of them
_BATCH = 20_000
SQLITE_CACHE_KB = 16_384  # the SQLite page cache during an import (a fixed memory cap)
_DROP_INDEXES_FROM = 50_000  # rows; into an empty table, rebuilding indexes is cheaper
_MAGIC_NOT_TABULAR = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"MZ",
    b"\x7fELF",
)


@dataclass(frozen=True)
class RowError:
    row: int  # line in the file; the header is row 1
    field: str  # the column name (Indonesian), or "" for the whole row/file
    message: str

    def __str__(self) -> str:
        where = _("baris %(row)d") % {"row": self.row}
        if self.field:
            where += _(", kolom %(field)s") % {"field": self.field}
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    agencies_created: int = 0
    history_added: int = 0
    social_added: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)  # the first MAX_KEPT_ERRORS
    error_count: int = 0
    error_csv: Path | None = None  # every error, for download

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def summary(self) -> dict[str, int | bool]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "agencies_created": self.agencies_created,
            "history_added": self.history_added,
            "social_added": self.social_added,
            "dry_run": self.dry_run,
            "error_count": self.error_count,
        }


class _Errors:
    """Collects errors: all go to a CSV file, the first ones stay in memory."""

    def __init__(self, directory: Path | None) -> None:
        self.kept: list[RowError] = []
        self.count = 0
        self.path: Path | None = None
        self._writer: Any = None
        self._fh: IO[str] | None = None
        self._dir = directory

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        error = RowError(row, column, message)
        if len(self.kept) < MAX_KEPT_ERRORS:
            self.kept.append(error)
        if self._writer is None:
            fd, name = tempfile.mkstemp(
                prefix="netral-import-errors-", suffix=".csv", dir=self._dir
            )
            self.path = Path(name)
            self._fh = open(fd, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._fh)
            self._writer.writerow(["baris", "kolom", "kesalahan"])
        self._writer.writerow([row, column, message])

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


# --- reading CSV and XLSX as a stream of rows -------------------------------------------


class _FileRefusedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _count_lines(fh: IO[bytes]) -> int:
    lines = 0
    while chunk := fh.read(1 << 20):
        lines += chunk.count(b"\n")
    fh.seek(0)
    return lines


def _csv_rows(fh: IO[bytes], head: bytes) -> Iterator[list[str]]:
    first_line = head.split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    # surrogateescape keeps undecodable bytes as lone surrogates, so a broken row can be
    # reported with its row and column instead of aborting the whole file.
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
    yield from csv.reader(text, delimiter=delimiter)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Up to this size an XLSX file is read by python-calamine (Rust): 15x faster than openpyxl but
# it holds the sheet in memory (about 12 MB of RAM per MB of XLSX, measured). Larger files are
# streamed by openpyxl in read-only mode, so memory stays flat for a national-scale sheet.
XLSX_IN_MEMORY_MAX_BYTES = 10 * 1024 * 1024


def _xlsx_rows_calamine(fh: IO[bytes]) -> tuple[Iterator[list[str]], int | None]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(fh).get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise _FileRefusedError(_("Berkas bukan CSV atau XLSX yang sah.")) from exc

    def rows() -> Iterator[list[str]]:
        for values in sheet.iter_rows():
            yield [_cell(v) for v in values]

    return rows(), sheet.height or None


def _xlsx_rows(fh: IO[bytes]) -> tuple[Iterator[list[str]], int | None]:
    """The first sheet, streamed (openpyxl read-only mode), and its row count if declared."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(0)
    if size <= XLSX_IN_MEMORY_MAX_BYTES:
        return _xlsx_rows_calamine(fh)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fh, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise _FileRefusedError(_("Berkas bukan CSV atau XLSX yang sah.")) from exc

    def rows() -> Iterator[list[str]]:
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [_cell(v) for v in values]
        finally:
            workbook.close()

    max_row = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
    return rows(), max_row


def _open_rows(fh: IO[bytes]) -> tuple[Iterator[list[str]], int | None]:
    """Detect the format by content (magic bytes), never by the file name."""
    head = fh.read(65536)
    fh.seek(0)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise _FileRefusedError(_("Berkas kosong."))
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fh) as archive:
                is_xlsx = "xl/workbook.xml" in archive.namelist()
        except zipfile.BadZipFile as exc:
            raise _FileRefusedError(_("Berkas bukan CSV atau XLSX yang sah.")) from exc
        fh.seek(0)
        if not is_xlsx:
            raise _FileRefusedError(_("Berkas ZIP ini bukan XLSX."))
        return _xlsx_rows(fh)
    if head.startswith(_MAGIC_NOT_TABULAR) or b"\x00" in head:
        raise _FileRefusedError(_("Berkas bukan CSV atau XLSX."))
    total = _count_lines(fh)
    return _csv_rows(fh, head), total


def _has_bad_bytes(values: list[str]) -> bool:
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- staging ------------------------------------------------------------------------------

_STAGE = "netral_import_stage"
_STAGE_SOCIAL = "netral_import_social"
_STAGE_AGENCY = "netral_import_agency"
_STAGE_COLUMNS = (
    "row_no",
    "subject_type",
    "name",
    "name_folded",
    "nip",
    "ni_pppk",
    "nik",
    "nrp",
    "position",
    "position_category",
    "agency_key",
    "region_id",
    "email",
    "phone",
)
StageRow = tuple[
    int,
    str,
    str,
    str,
    str | None,
    str | None,
    str | None,
    str | None,
    str,
    str,
    int | None,
    str,
    str,
    str,
]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _create_stage(cursor: Any) -> None:
    temp = "TEMP"
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE_SOCIAL}")
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE_AGENCY}")
    cursor.execute(
        f"CREATE {temp} TABLE {_STAGE} (row_no integer PRIMARY KEY, subject_type varchar(16),"
        " name varchar(200), name_folded varchar(200), nip varchar(18), ni_pppk varchar(18),"
        " nik varchar(16), nrp varchar(30), position varchar(200),"
        " position_category varchar(16), agency_key integer, region_id varchar(13),"
        " email varchar(254), phone varchar(30), official_id bigint)"
    )
    cursor.execute(
        f"CREATE {temp} TABLE {_STAGE_SOCIAL} (row_no integer, platform varchar(40),"
        " handle varchar(300))"
    )
    cursor.execute(
        f"CREATE {temp} TABLE {_STAGE_AGENCY} (agency_key integer PRIMARY KEY,"
        " name varchar(200), name_folded varchar(200), kind varchar(10),"
        " region_id varchar(13), agency_id bigint)"
    )


def _drop_stage(cursor: Any) -> None:
    for table in (_STAGE, _STAGE_SOCIAL, _STAGE_AGENCY):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _write_stage(cursor: Any, rows: list[StageRow], social: list[tuple[int, str, str]]) -> None:
    if _is_postgres():
        cols = ", ".join(_STAGE_COLUMNS)
        with cursor.cursor.copy(f"COPY {_STAGE} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if social:
            with cursor.cursor.copy(f"COPY {_STAGE_SOCIAL} FROM STDIN") as copy:
                for item in social:
                    copy.write_row(item)
        return
    marks = ", ".join("?" * len(_STAGE_COLUMNS))
    raw = cursor.cursor  # the sqlite3 cursor: executemany without Django's per-row wrapping
    raw.executemany(f"INSERT INTO {_STAGE} ({', '.join(_STAGE_COLUMNS)}) VALUES ({marks})", rows)
    if social:
        raw.executemany(f"INSERT INTO {_STAGE_SOCIAL} VALUES (?, ?, ?)", social)


# --- row validation (the hot path) --------------------------------------------------------


@dataclass
class _Context:
    region_codes: set[str]
    allowed: set[str] | None  # jurisdiction roots; None = national
    # folded name -> (key, display name, subject type of the first row naming it)
    agencies: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    agency_by_name: dict[str, int] = field(default_factory=dict)  # raw name -> key
    # agency key -> the deepest region containing all its rows (the agency's region)
    agency_region: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Positions:
    """Where each canonical column sits in a row; a missing column points at the pad cell."""

    jenis: int
    nama: int
    nip: int
    nik: int
    nrp: int
    jabatan: int
    kategori_jabatan: int
    instansi: int
    kode_wilayah: int
    email: int
    telepon: int
    media_sosial: int


def _in_scope(code: str, allowed: set[str] | None) -> bool:
    if allowed is None:
        return True
    parts = code.split(".")
    return any(".".join(parts[:i]) in allowed for i in range(1, len(parts) + 1))


def _parse_social(value: str) -> list[tuple[str, str]] | None:
    items: list[tuple[str, str]] = []
    for raw in value.split(";"):
        raw = raw.strip()
        if not raw:
            continue
        platform, sep, handle = raw.partition(":")
        platform, handle = platform.strip().lower(), handle.strip()
        if not sep or not platform or not handle or len(platform) > 40 or len(handle) > 300:
            return None
        if (platform, handle) not in items:
            items.append((platform, handle))
    return items


def _common_region(a: str, b: str) -> str:
    """The deepest region containing both codes ('64.08.04' and '64.08.01' -> '64.08')."""
    common: list[str] = []
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x != y:
            break
        common.append(x)
    return ".".join(common)


def _fold_fast(text: str) -> str:
    # `text` has single spaces already; ASCII needs no accent stripping.
    return text.lower() if text.isascii() else fold(text)


def _identifier_error(kind: str, value: str) -> str:
    """A precise message for an identifier that failed its pattern (the slow path only)."""
    length = {"nip": 18, "ni_pppk": 18, "nik": 16}[kind]
    label = {"nip": "NIP", "ni_pppk": "NI PPPK", "nik": "NIK"}[kind]
    if not value.isdigit() or len(value) != length:
        return _("%(id)s harus %(n)d digit angka (tertulis: '%(value)s').") % {
            "id": label,
            "n": length,
            "value": value[:30],
        }
    if kind == "nik":
        return _(
            "Tanggal lahir dalam NIK tidak sah (digit 7-12: DDMMYY, tanggal +40 untuk perempuan)."
        )
    if kind == "nip" and not NIP_RE.match(value[:8] + "200001" + value[14:]):
        return _("Tanggal lahir dalam NIP tidak sah (digit 1-8: YYYYMMDD).")
    if kind == "nip" and value[14] not in "12":
        return _("Digit jenis kelamin dalam NIP harus 1 atau 2 (digit ke-15).")
    if kind == "nip":
        return _("TMT CPNS dalam NIP tidak sah (digit 9-14: YYYYMM).")
    if value[14] not in "12":
        return _("Digit jenis kelamin dalam NI PPPK harus 1 atau 2 (digit ke-15).")
    return _("Tanggal lahir dalam NI PPPK tidak sah (digit 1-8: YYYYMMDD).")


def _validate_row(
    row_no: int,
    v: list[str],
    ix: _Positions,
    ctx: _Context,
    errors: _Errors,
    social_out: list[tuple[int, str, str]],
) -> StageRow | None:
    bad = False
    kind = v[ix.jenis].strip().upper()
    if not kind:
        errors.add(row_no, "jenis", _("Wajib diisi."))
        bad = True
    elif kind not in _TYPES:
        errors.add(row_no, "jenis", _("Jenis '%(value)s' tidak dikenal.") % {"value": kind[:40]})
        bad = True
    name = " ".join(v[ix.nama].split())
    if not name:
        errors.add(row_no, "nama", _("Wajib diisi."))
        bad = True
    elif len(name) > _TEXT_MAX:
        errors.add(row_no, "nama", _("Terlalu panjang (maks. 200 karakter)."))
        bad = True
    nip = v[ix.nip].strip() or None
    ni_pppk = None
    if nip is not None:
        if kind == SubjectType.PPPK:
            ni_pppk, nip = nip, None
            if not NI_PPPK_RE.match(ni_pppk):
                errors.add(row_no, "nip", _identifier_error("ni_pppk", ni_pppk))
                bad = True
        elif not NIP_RE.match(nip):
            errors.add(row_no, "nip", _identifier_error("nip", nip))
            bad = True
    nik = v[ix.nik].strip() or None
    if nik is not None and not NIK_RE.match(nik):
        errors.add(row_no, "nik", _identifier_error("nik", nik))
        bad = True
    nrp = v[ix.nrp].strip() or None
    if nrp is not None and len(nrp) > NRP_MAX:
        errors.add(row_no, "nrp", _("Terlalu panjang (maks. 30 karakter)."))
        bad = True
    position = " ".join(v[ix.jabatan].split())
    if len(position) > _TEXT_MAX:
        errors.add(row_no, "jabatan", _("Terlalu panjang (maks. 200 karakter)."))
        bad = True
    category = v[ix.kategori_jabatan].strip().upper()
    if category and category not in _CATEGORIES:
        errors.add(
            row_no,
            "kategori_jabatan",
            _("Kategori '%(value)s' tidak dikenal.") % {"value": category[:40]},
        )
        bad = True
    agency_key: int | None = None
    agency_name = " ".join(v[ix.instansi].split())
    if len(agency_name) > _TEXT_MAX:
        errors.add(row_no, "instansi", _("Terlalu panjang (maks. 200 karakter)."))
        bad = True
    elif agency_name:
        agency_key = ctx.agency_by_name.get(agency_name)
        if agency_key is None:
            folded = _fold_fast(agency_name)
            known = ctx.agencies.get(folded)
            if known is None:
                known = (len(ctx.agencies) + 1, agency_name, kind)
                ctx.agencies[folded] = known
            agency_key = ctx.agency_by_name[agency_name] = known[0]
    region = v[ix.kode_wilayah].strip()
    if not region:
        errors.add(row_no, "kode_wilayah", _("Wajib diisi."))
        bad = True
    elif region not in ctx.region_codes:
        if REGION_CODE_RE.match(region):
            message = _("Kode wilayah %(code)s tidak ada dalam data Kemendagri.")
        else:
            message = _("Kode wilayah '%(code)s' tidak sah (contoh: 64.08.04.2001).")
        errors.add(row_no, "kode_wilayah", message % {"code": region[:20]})
        bad = True
    elif not _in_scope(region, ctx.allowed):
        errors.add(
            row_no,
            "kode_wilayah",
            _("Wilayah %(code)s di luar yurisdiksi Anda.") % {"code": region},
        )
        bad = True
    email = v[ix.email].strip()
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        errors.add(row_no, "email", _("Alamat email tidak sah."))
        bad = True
    phone = v[ix.telepon].strip()
    if phone and not PHONE_RE.match(phone):
        errors.add(row_no, "telepon", _("Nomor telepon tidak sah."))
        bad = True
    social_text = v[ix.media_sosial]
    if social_text:
        social = _parse_social(social_text)
        if social is None:
            errors.add(
                row_no, "media_sosial", _("Format harus platform:akun, dipisah titik koma (;).")
            )
            bad = True
        else:
            social_out.extend((row_no, p, h) for p, h in social)
    if bad:
        return None
    if agency_key is not None:
        known_region = ctx.agency_region.get(agency_key)
        if known_region is None:
            ctx.agency_region[agency_key] = region
        elif known_region != region:
            ctx.agency_region[agency_key] = _common_region(known_region, region)
    return (
        row_no,
        kind,
        name,
        _fold_fast(name),
        nip,
        ni_pppk,
        nik,
        nrp,
        position,
        category,
        agency_key,
        region,
        email,
        phone,
    )


def _header(raw: list[str], errors: _Errors) -> dict[str, int] | None:
    names = [h.strip().lstrip("\ufeff").lower().replace(" ", "_") for h in raw]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if not name:
            continue
        if name not in COLUMNS:
            errors.add(
                1,
                name[:60],
                _("Kolom tidak dikenal. Kolom yang sah: %(cols)s.") % {"cols": ", ".join(COLUMNS)},
            )
        elif name in index:
            errors.add(1, name, _("Kolom muncul lebih dari sekali."))
        else:
            index[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in index:
            errors.add(1, name, _("Kolom wajib tidak ada."))
    return None if errors.count else index


# --- set-based checks and merge -----------------------------------------------------------

_IDENTIFIERS = (("nip", "nip"), ("ni_pppk", "nip"), ("nik", "nik"), ("nrp", "nrp"))
_ID_LABEL = {"nip": "NIP", "ni_pppk": "NI PPPK", "nik": "NIK", "nrp": "NRP"}


def _check_duplicates(cursor: Any, errors: _Errors) -> set[int]:
    """Identifiers repeated inside the file; returns the rows reported."""
    reported: set[int] = set()
    for column, label in _IDENTIFIERS:
        cursor.execute(
            f"SELECT {column}, row_no FROM {_STAGE} WHERE {column} IN ("
            f"SELECT {column} FROM {_STAGE} WHERE {column} IS NOT NULL"
            f" GROUP BY {column} HAVING COUNT(*) > 1) ORDER BY {column}, row_no"
        )
        first: dict[str, int] = {}
        for value, row_no in cursor:  # streamed: a file of duplicates must not fill memory
            if value not in first:
                first[value] = row_no
                continue
            errors.add(
                row_no,
                label,
                _("%(id)s %(value)s sudah ada di baris %(first)d.")
                % {"id": _ID_LABEL[column], "value": value, "first": first[value]},
            )
            reported.add(row_no)
    return reported


def _match_existing(
    cursor: Any, errors: _Errors, allowed: set[str] | None, duplicates: set[int]
) -> int:
    """Link staging rows to existing officials by any identifier; report conflicts."""
    if not _registry_has_rows(cursor):
        return 0
    for column, _label in _IDENTIFIERS:
        cursor.execute(
            f"UPDATE {_STAGE} SET official_id = o.id FROM registry_official o"
            f" WHERE {_STAGE}.official_id IS NULL AND {_STAGE}.{column} IS NOT NULL"
            f" AND o.{column} = {_STAGE}.{column}"
        )
    for column, label in _IDENTIFIERS:
        cursor.execute(
            f"SELECT s.row_no, s.{column} FROM {_STAGE} s JOIN registry_official o"
            f" ON o.{column} = s.{column} WHERE o.id <> s.official_id ORDER BY s.row_no"
        )
        for row_no, value in cursor:
            errors.add(
                row_no,
                label,
                _(
                    "%(id)s %(value)s sudah terdaftar untuk pejabat lain "
                    "daripada yang cocok dengan identitas lain di baris "
                    "ini."
                )
                % {"id": _ID_LABEL[column], "value": value},
            )
    cursor.execute(
        f"SELECT s.row_no, s.official_id FROM {_STAGE} s WHERE s.official_id IN ("
        f"SELECT official_id FROM {_STAGE} WHERE official_id IS NOT NULL"
        " GROUP BY official_id HAVING COUNT(*) > 1) ORDER BY s.official_id, s.row_no"
    )
    seen: set[int] = set()
    for row_no, official_id in cursor:
        if official_id in seen and row_no not in duplicates:
            errors.add(
                row_no,
                "nip/nik/nrp",
                _("Baris ini dan baris sebelumnya merujuk pejabat yang sama (id %(id)d).")
                % {"id": official_id},
            )
        seen.add(official_id)
    if allowed is not None:
        cursor.execute(
            f"SELECT s.row_no, o.region_id FROM {_STAGE} s JOIN registry_official o"
            " ON o.id = s.official_id ORDER BY s.row_no"
        )
        for row_no, region_id in cursor:
            if not _in_scope(region_id, allowed):
                errors.add(
                    row_no,
                    "kode_wilayah",
                    _("Pejabat ini terdaftar di wilayah %(code)s, di luar yurisdiksi Anda.")
                    % {"code": region_id},
                )
    cursor.execute(f"SELECT COUNT(*) FROM {_STAGE} WHERE official_id IS NOT NULL")
    return int(cursor.fetchone()[0])


def _registry_has_rows(cursor: Any) -> bool:
    cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_official)")
    return bool(cursor.fetchone()[0])


@contextmanager
def _foreign_keys_checked_at_end(cursor: Any) -> Iterator[None]:
    """SQLite: check foreign keys once after the merge instead of on every inserted row.

    The pragma only takes effect outside a transaction, so it wraps the atomic block (as
    Django's own SQLite schema editor does); `_check_foreign_keys` runs inside it.
    """
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        cursor.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(cursor: Any) -> None:
    """SQLite, foreign keys off: check the references the merge wrote, set-based.

    Agencies come from a join on registry_agency and official ids from the merge itself, so
    the regions are the references to check (once per distinct code, not once per row).
    """
    if connection.vendor != "sqlite":
        return  # PostgreSQL checked them (deferred triggers or ADD CONSTRAINT)
    cursor.execute(
        f"SELECT s.region_id FROM (SELECT DISTINCT region_id FROM {_STAGE}) s"
        " LEFT JOIN registry_region r ON r.code = s.region_id WHERE r.code IS NULL LIMIT 1"
    )
    if cursor.fetchone() is not None:
        raise IntegrityError("registry_official.region_id refers to a missing region")


def _foreign_keys(cursor: Any) -> list[tuple[str, str]]:
    """PostgreSQL: (name, definition) of the foreign keys of registry_official."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = 'registry_official'::regclass AND contype = 'f'"
    )
    return [(name, definition) for name, definition in cursor.fetchall()]


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every index on registry_official except the primary key."""
    if _is_postgres():
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
            " WHERE i.tablename = 'registry_official' AND i.schemaname = current_schema()"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
            " AND tbl_name = 'registry_official' AND sql IS NOT NULL"
        )
    return [(name, sql) for name, sql in cursor.fetchall()]


def _agency_region(ctx: _Context, key: int) -> str | None:
    code = ctx.agency_region.get(key)
    return code if code and code in ctx.region_codes else None


def _agency_kind(subject_type: str) -> str:
    if subject_type == SubjectType.TNI:
        return AgencyKind.TNI
    if subject_type == SubjectType.POLRI:
        return AgencyKind.POLRI
    if subject_type in _DESA_TYPES:
        return AgencyKind.DESA
    return AgencyKind.KAB_KOTA


def _merge(cursor: Any, ctx: _Context, result: ImportResult, matched: int) -> None:
    now = timezone.now()
    postgres = _is_postgres()
    if postgres:
        cursor.execute("LOCK TABLE registry_official IN EXCLUSIVE MODE")
    # 1. agencies: the unknown ones are created (set-based) and counted.
    if ctx.agencies:
        cursor.executemany(
            f"INSERT INTO {_STAGE_AGENCY} (agency_key, name, name_folded, kind, region_id)"
            " VALUES (%s, %s, %s, %s, %s)",
            [
                (key, name, folded, _agency_kind(kind), _agency_region(ctx, key))
                for folded, (key, name, kind) in ctx.agencies.items()
            ],
        )
        cursor.execute(
            "INSERT INTO registry_agency (name, name_folded, kind, region_id, ppk_name,"
            " created_at)"
            " SELECT sa.name, sa.name_folded, sa.kind, sa.region_id, '', %s"
            f" FROM {_STAGE_AGENCY} sa"
            " WHERE NOT EXISTS (SELECT 1 FROM registry_agency a"
            " WHERE a.name_folded = sa.name_folded) ORDER BY sa.agency_key",
            [now],
        )
        result.agencies_created = cursor.rowcount
        cursor.execute(
            f"UPDATE {_STAGE_AGENCY} SET agency_id = a.id FROM registry_agency a"
            f" WHERE a.name_folded = {_STAGE_AGENCY}.name_folded"
        )
    # 2. matched officials: keep history where position/agency/region change, then update.
    if matched:
        cursor.execute(
            "INSERT INTO registry_positionhistory (official_id, position, position_category,"
            " agency_name, region_id, valid_until)"
            " SELECT o.id, o.position, o.position_category, COALESCE(a.name, ''), o.region_id, %s"
            f" FROM {_STAGE} s JOIN registry_official o ON o.id = s.official_id"
            f" LEFT JOIN {_STAGE_AGENCY} sa ON sa.agency_key = s.agency_key"
            " LEFT JOIN registry_agency a ON a.id = o.agency_id"
            " WHERE o.position <> s.position OR o.position_category <> s.position_category"
            " OR o.region_id <> s.region_id"
            " OR COALESCE(o.agency_id, -1) <> COALESCE(sa.agency_id, o.agency_id, -1)",
            [now],
        )
        result.history_added = cursor.rowcount
        target = "registry_official"
        cursor.execute(
            f"UPDATE {target} SET subject_type = s.subject_type, name = s.name,"
            f" name_folded = s.name_folded, nip = COALESCE(s.nip, {target}.nip),"
            f" ni_pppk = COALESCE(s.ni_pppk, {target}.ni_pppk),"
            f" nik = COALESCE(s.nik, {target}.nik), nrp = COALESCE(s.nrp, {target}.nrp),"
            " position = s.position, position_category = s.position_category,"
            f" agency_id = COALESCE(sa.agency_id, {target}.agency_id), region_id = s.region_id,"
            f" email = CASE WHEN s.email <> '' THEN s.email ELSE {target}.email END,"
            f" phone = CASE WHEN s.phone <> '' THEN s.phone ELSE {target}.phone END,"
            " is_active = %s, updated_at = %s"
            f" FROM {_STAGE} s LEFT JOIN {_STAGE_AGENCY} sa ON sa.agency_key = s.agency_key"
            f" WHERE {target}.id = s.official_id",
            [True, now],
        )
        result.updated = matched
    # 3. new officials: ids are assigned as base + row number, so social accounts can be
    #    linked by a join without reading the ids back.
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM registry_official")
    base = int(cursor.fetchone()[0])
    cursor.execute(f"SELECT COUNT(*) FROM {_STAGE} WHERE official_id IS NULL")
    new_rows = int(cursor.fetchone()[0])
    # Into an empty table, building the indexes once after the load beats updating them
    # row by row (the table is locked by this transaction either way).
    rebuild = _secondary_indexes(cursor) if base == 0 and new_rows >= _DROP_INDEXES_FROM else []
    # PostgreSQL: one set-based ADD CONSTRAINT validation instead of 1M deferred FK triggers.
    foreign_keys = _foreign_keys(cursor) if rebuild and postgres else []
    if foreign_keys:  # fire the agency rows' deferred checks; ALTER TABLE refuses otherwise
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE registry_official DROP CONSTRAINT "{name}"')
    for name, _sql in rebuild:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(
        "INSERT INTO registry_official (id, subject_type, name, name_folded, nip, ni_pppk, nik,"
        " nrp, position, position_category, agency_id, region_id, email, phone, is_active,"
        " created_at, updated_at)"
        " SELECT %s + s.row_no, s.subject_type, s.name, s.name_folded, s.nip, s.ni_pppk, s.nik,"
        " s.nrp, s.position, s.position_category, sa.agency_id, s.region_id, s.email, s.phone,"
        f" %s, %s, %s FROM {_STAGE} s"
        f" LEFT JOIN {_STAGE_AGENCY} sa ON sa.agency_key = s.agency_key"
        " WHERE s.official_id IS NULL ORDER BY s.row_no",
        [base, True, now, now],
    )
    result.created = new_rows
    if rebuild and postgres:  # run the deferred FK checks now; PG refuses CREATE INDEX before
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for _name, statement in rebuild:
        cursor.execute(statement)
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE registry_official ADD CONSTRAINT "{name}" {definition}')
    if rebuild and postgres:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    if postgres and new_rows:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('registry_official', 'id'),"
            " (SELECT MAX(id) FROM registry_official))"
        )
    # 4. social accounts (new ones only).
    not_known = (
        ""
        if base == 0
        else (
            " AND NOT EXISTS (SELECT 1 FROM registry_socialaccount x WHERE"
            " x.official_id = COALESCE(s.official_id, %s + s.row_no)"
            " AND x.platform = ss.platform AND x.handle = ss.handle)"
        )
    )
    cursor.execute(
        "INSERT INTO registry_socialaccount (official_id, platform, handle)"
        " SELECT COALESCE(s.official_id, %s + s.row_no), ss.platform, ss.handle"
        f" FROM {_STAGE_SOCIAL} ss JOIN {_STAGE} s ON s.row_no = ss.row_no"
        " WHERE 1 = 1" + not_known,
        [base] if base == 0 else [base, base],
    )
    result.social_added = cursor.rowcount
    if postgres and (rebuild or new_rows + matched >= _DROP_INDEXES_FROM):
        # Fresh planner statistics: without them PostgreSQL seq-scans a just-loaded table.
        cursor.execute("ANALYZE registry_official")


# --- the service --------------------------------------------------------------------------


@dataclass
class _Progress:
    callback: ProgressCallback
    every: int = _BATCH


def officials_import(
    *,
    file: IO[bytes],
    actor: Any = None,
    dry_run: bool = False,
    allowed_regions: set[str] | None = None,
    progress: ProgressCallback = noop_progress,
    error_dir: Path | None = None,
    audit_obj: ImportJob | None = None,
    source_name: str | None = None,
) -> ImportResult:
    """Validate a whole officials file and, if every row is valid and not `dry_run`, apply it.

    `file` is a binary file object (seekable). `allowed_regions` holds the jurisdiction roots
    of the importer (None = national). `audit_obj` (the ImportJob) gets the one audit entry
    of the import, written in the same transaction as the data; without one, a finished job
    named `source_name` is recorded in that transaction (the command line), so a failed or
    dry run leaves no row at all.
    """
    from netral.registry.models import Region

    result = ImportResult(dry_run=dry_run)
    errors = _Errors(error_dir)
    try:
        try:
            rows, total = _open_rows(file)
            rows_iter = iter(rows)
            header_raw = next(rows_iter, None)
        except _FileRefusedError as refused:
            errors.add(1, "", refused.message)
            return result
        if header_raw is None:
            errors.add(1, "", _("Berkas kosong."))
            return result
        if _has_bad_bytes(header_raw):
            errors.add(1, "", _("Pengodean karakter rusak: simpan berkas sebagai CSV UTF-8."))
            return result
        index = _header(header_raw, errors)
        if index is None:
            return result
        matched = 0
        ctx = _Context(
            region_codes=set(Region.objects.values_list("code", flat=True)), allowed=allowed_regions
        )
        data_rows = (total - 1) if total else None
        width = len(header_raw)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # a fixed cap (not per row); a larger cache speeds up building the indexes
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
            _create_stage(cursor)
            try:
                _stage_rows(
                    cursor, rows_iter, index, width, ctx, errors, result, progress, data_rows
                )
                if result.rows == 0 and not errors.count:
                    errors.add(2, "", _("Berkas tidak berisi baris data."))
                # Cross-row checks run over the valid rows even when some rows failed, so
                # one run reports every error.
                # Into an empty registry, repeated identifiers are caught by the unique
                # indexes built after the load (IntegrityError), and only then located row
                # by row; otherwise (and for dry runs) they are looked for up front.
                optimistic = not dry_run and not errors.count and not _registry_has_rows(cursor)
                duplicates = set() if optimistic else _check_duplicates(cursor, errors)
                matched = _match_existing(cursor, errors, allowed_regions, duplicates)
                if errors.count or dry_run:
                    return result
                try:
                    with _foreign_keys_checked_at_end(cursor), transaction.atomic():
                        _merge(cursor, ctx, result, matched)
                        _check_foreign_keys(cursor)
                        if audit_obj is None and source_name is not None:
                            now = timezone.now()
                            audit_obj = ImportJob.objects.create(
                                created_by=actor,
                                original_name=source_name[:255],
                                status=ImportStatus.DONE,
                                processed=result.rows,
                                total=result.rows,
                                summary=result.summary(),
                                started_at=now,
                                finished_at=now,
                            )
                        if audit_obj is not None:
                            _audit(result, actor, audit_obj, allowed_regions)
                except IntegrityError:
                    if not optimistic:
                        raise
                    _check_duplicates(cursor, errors)
                    if not errors.count:
                        raise
                    result.created = result.updated = result.agencies_created = 0
                    result.history_added = result.social_added = 0
                    return result
            finally:
                _drop_stage(cursor)
                if connection.vendor == "sqlite":
                    cursor.execute("PRAGMA cache_size = -2000")
        return result
    finally:
        errors.close()
        result.errors = errors.kept
        result.error_count = errors.count
        result.error_csv = errors.path


def _stage_rows(
    cursor: Any,
    rows: Iterator[list[str]],
    index: dict[str, int],
    width: int,
    ctx: _Context,
    errors: _Errors,
    result: ImportResult,
    progress: ProgressCallback,
    total: int | None,
) -> None:
    positions = {name: index.get(name) for name in COLUMNS}
    ix = _Positions(**{name: width if pos is None else pos for name, pos in positions.items()})
    padded = width + 1
    batch: list[StageRow] = []
    social: list[tuple[int, str, str]] = []
    row_no = 1

    def flush() -> None:
        if batch:
            with transaction.atomic():
                _write_stage(cursor, batch, social)
        batch.clear()
        social.clear()
        progress(result.rows, total)

    for values in rows:
        row_no += 1
        if not any(values):
            continue
        result.rows += 1
        if len(values) > width and any(values[width:]):  # (the pad cell is added below)
            errors.add(
                row_no,
                "",
                _("Baris memiliki %(n)d kolom, seharusnya %(w)d.") % {"n": len(values), "w": width},
            )
            continue
        if _has_bad_bytes(values):
            for name, position in positions.items():
                if (
                    position is not None
                    and position < len(values)
                    and _has_bad_bytes([values[position]])
                ):
                    errors.add(row_no, name, _("Pengodean karakter rusak (bukan UTF-8)."))
            continue
        if len(values) < padded:
            values.extend([""] * (padded - len(values)))
        staged = _validate_row(row_no, values, ix, ctx, errors, social)
        if staged is not None:
            batch.append(staged)
        if result.rows % _BATCH == 0:
            flush()
    flush()


def _audit(result: ImportResult, actor: Any, audit_obj: Any, allowed: set[str] | None) -> None:
    from netral.audit.services import audit_record

    region_code = None
    if allowed is not None and len(allowed) == 1:
        region_code = next(iter(allowed))
    audit_record(
        obj=audit_obj,
        action="officials.import",
        actor=actor,
        after=result.summary(),
        region_code=region_code,
    )


# --- import jobs (the command line and the upload page) -----------------------------------


def import_job_create(
    *,
    actor: Any,
    file: IO[bytes] | None,
    original_name: str,
    dry_run: bool,
    region_code: str | None,
) -> ImportJob:
    """Record an upload. The web view stores the file; the command line passes file=None."""
    from django.core.files import File

    job = ImportJob(
        created_by=actor,
        original_name=original_name[:255],
        dry_run=dry_run,
        region_code=region_code,
    )
    if file is not None:
        job.file.save(Path(original_name).name or "impor.csv", File(file), save=False)
    job.save()
    return job


def _job_progress(job_id: int) -> ProgressCallback:
    def callback(done: int, total: int | None) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=done, total=total)

    return callback


def import_job_run(
    *,
    job: ImportJob,
    file: IO[bytes] | None = None,
    allowed_regions: set[str] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Run one job to the end, keeping its status, counts and error file up to date.

    The temporary `result.error_csv` is copied onto the job; the caller removes it."""
    from django.core.files import File

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job_progress = _job_progress(job.pk)

    def both(done: int, total: int | None) -> None:
        job_progress(done, total)
        if progress is not None:
            progress(done, total)

    handle = file if file is not None else job.file.open("rb")
    try:
        result = officials_import(
            file=handle,
            actor=job.created_by,
            dry_run=job.dry_run,
            allowed_regions=allowed_regions,
            progress=both,
            audit_obj=job,
        )
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Impor gagal karena kesalahan sistem: %(error)s") % {"error": exc},
        )
        raise
    finally:
        if file is None:
            handle.close()
    job.refresh_from_db()
    job.status = ImportStatus.DONE if result.ok else ImportStatus.FAILED
    job.summary = result.summary()
    job.processed = result.rows
    job.total = result.rows
    job.error_count = result.error_count
    job.errors = [{"row": e.row, "field": e.field, "message": e.message} for e in result.errors]
    job.finished_at = timezone.now()
    if result.error_csv is not None:
        with result.error_csv.open("rb") as fh:
            job.error_file.save(f"kesalahan-impor-{job.pk}.csv", File(fh), save=False)
    job.save()
    return result


def _run_in_thread(job_id: int, allowed_regions: set[str] | None) -> None:
    import logging

    from django.db import connections

    try:
        job = ImportJob.objects.get(pk=job_id)
        result = import_job_run(job=job, allowed_regions=allowed_regions)
        if result.error_csv is not None:
            result.error_csv.unlink(missing_ok=True)
    except Exception:
        logging.getLogger(__name__).exception("import job %s failed", job_id)
    finally:
        connections.close_all()


def import_job_start(*, job: ImportJob, allowed_regions: set[str] | None) -> None:
    """Run the job in a background thread once the upload is committed.

    docs/decisions/0003-officials-import-in-a-thread.md explains why a thread and not a queue.
    """
    import threading

    def start() -> None:
        threading.Thread(
            target=_run_in_thread,
            args=(job.pk, allowed_regions),
            name=f"netral-import-{job.pk}",
            daemon=True,
        ).start()

    transaction.on_commit(start)
