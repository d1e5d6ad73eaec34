"""The officials file format: columns, identifier rules (DOMAIN.md §11), row validation.

Part of the officials import (services/officials_import.py): this module turns one row of
strings into a typed staging tuple or into errors naming the row and the column.
"""

from __future__ import annotations

import csv
import functools
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _

from netral.core.encryption import Sealer
from netral.core.spreadsheets import formula_safe
from netral.registry.models import REGION_CODE_RE, PositionCategory, SubjectType
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
# at most 30 characters in all, "+" included: the column's length (Official.phone)
PHONE_RE = re.compile(r"^(?=.{6,30}$)\+?[0-9 ().-]{6,30}$")
NRP_MAX = 30
_TEXT_MAX = 200

_TYPES = {t.value for t in SubjectType}
_CATEGORIES = {c.value for c in PositionCategory}


def _key(value: str) -> str:
    """How a coded cell is compared: case, spacing and "_" versus " " do not matter."""
    return " ".join(value.replace("_", " ").split()).upper()


@functools.cache
def _lookup(choices: type[SubjectType] | type[PositionCategory]) -> dict[str, str]:
    """Code or label (Indonesian or English) -> stored code (issue 13 §13): "Kepala Desa",
    "kepala_desa", "Village head" and KEPALA_DESA all mean KEPALA_DESA."""
    table: dict[str, str] = {}
    for language in ("en", "id"):
        with translation.override(language):
            for choice in choices:
                table[_key(str(choice.label))] = str(choice.value)
    for choice in choices:
        table[_key(str(choice.value))] = str(choice.value)
        table[str(choice.value)] = str(choice.value)
    return table


def subject_type_of(value: str) -> str | None:
    """The SubjectType code a cell names (by code or label), or None."""
    return _lookup(SubjectType).get(_key(value))


def position_category_of(value: str) -> str | None:
    return _lookup(PositionCategory).get(_key(value))


def valid_values(choices: type[SubjectType] | type[PositionCategory]) -> str:
    """The accepted values of a coded column, by label, for an error message."""
    return ", ".join(str(c.label) for c in choices)


DESA_TYPES = {SubjectType.KEPALA_DESA, SubjectType.PERANGKAT_DESA, SubjectType.ANGGOTA_BPD}

MAX_KEPT_ERRORS = 500  # kept in memory / on the job; the error CSV holds all of them
BATCH = 20_000
SQLITE_CACHE_KB = 16_384  # the SQLite page cache during an import (a fixed memory cap)
# SQLite, rebuilding the registry's indexes: the sorter's helper threads (at most one per
# core) and the page cache that makes it spill into runs they share (import_sql)
SQLITE_SORT_THREADS_MAX = 4
SQLITE_SORT_CACHE_KB = 2_000
DROP_INDEXES_FROM = 50_000  # rows; into an empty table, rebuilding indexes is cheaper
# rows (or an XLSX file, not counted up front); from here an import into an empty registry
# writes the officials directly, without the staging table (services/import_direct.py)
DIRECT_LOAD_FROM = DROP_INDEXES_FROM
# rows; from here the new officials are one bulk INSERT for the row-by-row bookkeeping of the
# table (netral.core.signals.bulk_insert: the SQLite tally triggers count them once, grouped)
BULK_INSERT_FROM = 1_000


# One validated row, in the column order of the staging table (import_sql._STAGE_COLUMNS).
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

# What is written: a StageRow whose NIK is encrypted, with the NIK's blind index and masked
# form appended (issue 14 pt 15; netral/core/encryption.py).
SealedRow = tuple[Any, ...]
NIK_AAD = b"registry.official.nik"  # the associated data of Official.nik (its column's name)


def row_sealer() -> Callable[[list[StageRow]], list[SealedRow]]:
    """A function sealing a batch of rows, with the keys read once (for the whole import).
    A NIK here has passed NIK_RE (16 digits): it is in normal form for the blind index."""
    sealer = Sealer()
    encrypt_many, index_many = sealer.encrypt_many, sealer.index_many

    def seal(rows: list[StageRow]) -> list[SealedRow]:
        niks = [row[6] for row in rows if row[6] is not None]
        if not niks:
            return [(*row, None, "") for row in rows]
        sealed = iter(zip(encrypt_many(niks, NIK_AAD), index_many(niks), strict=True))
        out: list[SealedRow] = []
        add = out.append
        for row in rows:
            nik = row[6]
            if nik is None:
                add((*row, None, ""))
            else:
                ciphertext, blind = next(sealed)
                add((*row[:6], ciphertext, *row[7:], blind, nik[:6] + "********" + nik[-2:]))
        return out

    return seal


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
    updated: int = 0  # matched officials the file changed
    unchanged: int = 0  # matched officials the file says nothing new about (left as they are)
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
            "unchanged": self.unchanged,
            "agencies_created": self.agencies_created,
            "history_added": self.history_added,
            "social_added": self.social_added,
            "dry_run": self.dry_run,
            "error_count": self.error_count,
        }


class ErrorCollector:
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
            if self.path is None:
                fd, name = tempfile.mkstemp(
                    prefix="netral-import-errors-", suffix=".csv", dir=self._dir
                )
                self.path = Path(name)
                self._fh = open(fd, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
                self._writer = csv.writer(self._fh)
                self._writer.writerow(["baris", "kolom", "kesalahan"])
            else:  # a file adopted from the reader process: carry on after its rows
                self._fh = self.path.open("a", encoding="utf-8", newline="")
                self._writer = csv.writer(self._fh)
        # the column and the message may quote the file's own text: never a live formula
        self._writer.writerow([row, formula_safe(column), formula_safe(message)])

    def adopt(self, count: int, kept: list[RowError], path: Path | None) -> None:
        """Take over what another process's collector (closed) found, before any add()."""
        self.count, self.kept, self.path = count, kept, path

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


# --- row validation (the hot path) --------------------------------------------------------


@dataclass
class RowContext:
    region_codes: set[str]
    allowed: set[str] | None  # jurisdiction roots; None = national
    # folded name -> (key, display name, subject type of the first row naming it): the
    # agencies the file names that are not in `agency_ids`
    agencies: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    # Loading an empty registry (import_direct): the agencies already known (folded name ->
    # id), and the key of a new agency is its id to be: agency_key_base + 1, + 2, ...
    agency_ids: dict[str, int] = field(default_factory=dict)
    agency_key_base: int = 0
    agency_by_name: dict[str, int] = field(default_factory=dict)  # raw name -> key
    # agency key -> the deepest region containing all its rows (the agency's region)
    agency_region: dict[int, str] = field(default_factory=dict)
    # every region code a valid row names (the foreign keys checked once per code)
    regions_used: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ColumnPositions:
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


def in_scope(code: str, allowed: set[str] | None) -> bool:
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


def _agency_key(ctx: RowContext, name: str, kind: str) -> int:
    """The key of the agency named `name` (spacing normalised), seen for the first time under
    this spelling: an agency already known keeps its id; a new one gets the next key."""
    folded = _fold_fast(name)
    known = ctx.agencies.get(folded)
    if known is None:
        existing = ctx.agency_ids.get(folded)
        if existing is not None:
            return existing
        known = (ctx.agency_key_base + len(ctx.agencies) + 1, name, kind)
        ctx.agencies[folded] = known
    return known[0]


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


def validate_row(
    row_no: int,
    v: list[str],
    ix: ColumnPositions,
    ctx: RowContext,
    errors: ErrorCollector,
    social_out: list[tuple[int, str, str]],
) -> StageRow | None:
    bad = False
    raw_kind = v[ix.jenis].strip()
    kind = subject_type_of(raw_kind) or raw_kind.upper()
    if not raw_kind:
        errors.add(row_no, "jenis", _("Wajib diisi."))
        bad = True
    elif kind not in _TYPES:
        errors.add(
            row_no,
            "jenis",
            _("Jenis '%(value)s' tidak dikenal. Nilai yang sah: %(valid)s.")
            % {"value": raw_kind[:40], "valid": valid_values(SubjectType)},
        )
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
    raw_category = v[ix.kategori_jabatan].strip()
    category = position_category_of(raw_category) or raw_category.upper()
    if category and category not in _CATEGORIES:
        errors.add(
            row_no,
            "kategori_jabatan",
            _("Kategori '%(value)s' tidak dikenal. Nilai yang sah: %(valid)s.")
            % {"value": raw_category[:40], "valid": valid_values(PositionCategory)},
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
            agency_key = ctx.agency_by_name[agency_name] = _agency_key(ctx, agency_name, kind)
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
    elif not in_scope(region, ctx.allowed):
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
    ctx.regions_used.add(region)
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


def row_validator(
    ix: ColumnPositions,
    ctx: RowContext,
    errors: ErrorCollector,
    social_out: list[tuple[int, str, str]],
) -> Callable[[int, list[str]], StageRow | None]:
    """`validate_row` with a fast path: one function per import with everything bound locally.

    A row that passes every check is typed here in one go; any row that fails one (or that
    the fast path is not sure about) goes through `validate_row`, which re-checks it and
    reports every error with its column. Both give the same StageRow for a valid row.
    """
    cells = itemgetter(
        ix.jenis,
        ix.nama,
        ix.nip,
        ix.nik,
        ix.nrp,
        ix.jabatan,
        ix.kategori_jabatan,
        ix.instansi,
        ix.kode_wilayah,
        ix.email,
        ix.telepon,
        ix.media_sosial,
    )
    types, categories = frozenset(_TYPES), frozenset(_CATEGORIES)
    region_codes, allowed = ctx.region_codes, ctx.allowed
    agency_by_name, agency_region = ctx.agency_by_name, ctx.agency_region
    nip_match, ni_pppk_match, nik_match = NIP_RE.match, NI_PPPK_RE.match, NIK_RE.match
    email_match, phone_match = EMAIL_RE.match, PHONE_RE.match
    pppk = str(SubjectType.PPPK.value)
    type_lookup, category_lookup = _lookup(SubjectType), _lookup(PositionCategory)
    add_social = social_out.extend
    region_used = ctx.regions_used.add

    def validate(row_no: int, v: list[str]) -> StageRow | None:
        (kind, name, nip, nik, nrp, position, category, agency_name, region, email, phone,
         social_text) = cells(v)  # fmt: skip
        kind = kind.strip().upper()
        if kind not in types:  # a label ("Kepala Desa"), or unknown
            kind = type_lookup.get(_key(kind), kind)
        name = " ".join(name.split())
        nip = nip.strip() or None
        nik = nik.strip() or None
        nrp = nrp.strip() or None
        position = " ".join(position.split())
        category = category.strip().upper()
        if category and category not in categories:
            category = category_lookup.get(_key(category), category)
        agency_name = " ".join(agency_name.split())
        region = region.strip()
        email = email.strip()
        phone = phone.strip()
        ni_pppk = None
        if nip is not None and kind == pppk:
            ni_pppk, nip = nip, None
        if (
            kind not in types
            or not name
            or len(name) > _TEXT_MAX
            or (nip is not None and nip_match(nip) is None)
            or (ni_pppk is not None and ni_pppk_match(ni_pppk) is None)
            or (nik is not None and nik_match(nik) is None)
            or (nrp is not None and len(nrp) > NRP_MAX)
            or len(position) > _TEXT_MAX
            or (category and category not in categories)
            or len(agency_name) > _TEXT_MAX
            or region not in region_codes
            or (allowed is not None and not in_scope(region, allowed))
            or (email and (len(email) > 254 or email_match(email) is None))
            or (phone and phone_match(phone) is None)
        ):
            return validate_row(row_no, v, ix, ctx, errors, social_out)
        if social_text:
            social = _parse_social(social_text)
            if social is None:
                return validate_row(row_no, v, ix, ctx, errors, social_out)
            add_social([(row_no, p, h) for p, h in social])
        region_used(region)
        agency_key: int | None = None
        if agency_name:
            agency_key = agency_by_name.get(agency_name)
            if agency_key is None:
                agency_key = agency_by_name[agency_name] = _agency_key(ctx, agency_name, kind)
            known_region = agency_region.get(agency_key)
            if known_region is None:
                agency_region[agency_key] = region
            elif known_region != region:
                agency_region[agency_key] = _common_region(known_region, region)
        return (
            row_no,
            kind,
            name,
            name.lower() if name.isascii() else fold(name),
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

    return validate


def read_header(raw: list[str], errors: ErrorCollector) -> dict[str, int] | None:
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
