"""The SQL of the officials import: TEMP staging tables, set-based checks and the merge."""

# ruff: noqa: S608  SQL here is built from module constants (table and column names) only;
# every value goes through query parameters.
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.core.progress import ProgressCallback, noop_progress
from netral.core.signals import bulk_insert
from netral.registry.models import AgencyKind, SubjectType
from netral.registry.services.import_format import (
    BULK_INSERT_FROM,
    DESA_TYPES,
    DROP_INDEXES_FROM,
    SQLITE_CACHE_KB,
    SQLITE_SORT_CACHE_KB,
    SQLITE_SORT_THREADS_MAX,
    ErrorCollector,
    ImportResult,
    RowContext,
    SealedRow,
    in_scope,
)

# --- staging ------------------------------------------------------------------------------

# PostgreSQL: memory for the index builds of a bulk import (SET LOCAL, this transaction only).
PG_MAINTENANCE_WORK_MEM = "256MB"
# ... and for its queries' sorts and hashes: the tallies' grouped count of the new officials
# (about 35,000 keys for 5,000,000 rows) sorted them on disk within the default 4 MB (8.2 s
# at 5,000,000 rows) where a hash takes 3.0 s.
PG_WORK_MEM = "64MB"

_STAGE = "netral_import_stage"
_STAGE_SOCIAL = "netral_import_social"
_STAGE_AGENCY = "netral_import_agency"
_CHANGED = "netral_import_changed"  # the matched rows that change their official
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
    "nik_hash",
    "nik_hint",
)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def create_stage(cursor: Any) -> None:
    temp = "TEMP"
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE_SOCIAL}")
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE_AGENCY}")
    cursor.execute(
        f"CREATE {temp} TABLE {_STAGE} (row_no integer PRIMARY KEY, subject_type varchar(16),"
        " name varchar(200), name_folded varchar(200), nip varchar(18), ni_pppk varchar(18),"
        " nik text, nrp varchar(30), position varchar(200),"
        " position_category varchar(16), agency_key integer, region_id varchar(13),"
        " email varchar(254), phone varchar(30), nik_hash varchar(32), nik_hint varchar(16),"
        " official_id bigint)"
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


def analyze_stage(cursor: Any, *tables: str) -> None:
    """PostgreSQL: statistics for freshly filled staging tables (none by default: autovacuum
    never sees TEMP tables). Without them the planner took a million-row stage for a few
    hundred rows and joined it to the agencies row by row: the INSERT of a million officials
    took 10.7 to 15.9 s instead of 9.9 to 12.1 s (hash join), for 0.6 to 0.9 s of ANALYZE."""
    if is_postgres():
        cursor.execute(f"ANALYZE {', '.join(tables or (_STAGE, _STAGE_SOCIAL))}")


def drop_stage(cursor: Any) -> None:
    for table in (_STAGE, _STAGE_SOCIAL, _STAGE_AGENCY, _CHANGED):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


# PostgreSQL: COPY in binary with the column types set once (import_direct measures it).
BINARY = "(FORMAT BINARY)"
_STAGE_TYPES = ["int4", *["text"] * 9, "int4", *["text"] * 5]


def write_stage(cursor: Any, rows: list[SealedRow], social: list[tuple[int, str, str]]) -> None:
    """Write a batch of sealed rows (import_format.row_sealer: the NIK encrypted) and their
    social accounts into the staging tables."""
    if is_postgres():
        cols = ", ".join(_STAGE_COLUMNS)
        with cursor.cursor.copy(f"COPY {_STAGE} ({cols}) FROM STDIN {BINARY}") as copy:
            copy.set_types(_STAGE_TYPES)
            for row in rows:
                copy.write_row(row)
        if social:
            with cursor.cursor.copy(f"COPY {_STAGE_SOCIAL} FROM STDIN {BINARY}") as copy:
                copy.set_types(["int4", "text", "text"])
                for item in social:
                    copy.write_row(item)
        return
    marks = ", ".join("?" * len(_STAGE_COLUMNS))
    raw = cursor.cursor  # the sqlite3 cursor: executemany without Django's per-row wrapping
    raw.executemany(f"INSERT INTO {_STAGE} ({', '.join(_STAGE_COLUMNS)}) VALUES ({marks})", rows)
    if social:
        raw.executemany(f"INSERT INTO {_STAGE_SOCIAL} VALUES (?, ?, ?)", social)


# --- set-based checks and merge -----------------------------------------------------------

# The NIK is matched by its blind index (it is encrypted, issue 14 pt 15) and shown masked.
_IDENTIFIERS = (("nip", "nip"), ("ni_pppk", "nip"), ("nik_hash", "nik"), ("nrp", "nrp"))
_ID_LABEL = {"nip": "NIP", "ni_pppk": "NI PPPK", "nik_hash": "NIK", "nrp": "NRP"}
_ID_SHOWN = {"nik_hash": "nik_hint"}


def loaded_rows(base: int) -> str:
    """Loading an empty registry (import_direct) writes each row as the official whose id is
    base + its row number: the checks below read those officials as a staging table."""
    return (
        f"(SELECT id - {base:d} AS row_no, nip, ni_pppk, nik_hash, nik_hint, nrp"
        " FROM registry_official)"
    )


def check_duplicates(cursor: Any, errors: ErrorCollector, rows: str = _STAGE) -> set[int]:
    """Identifiers repeated inside the file; returns the rows reported. `rows`: the
    staging table, or `loaded_rows`."""
    reported: set[int] = set()
    for column, label in _IDENTIFIERS:
        shown = _ID_SHOWN.get(column, column)
        cursor.execute(
            f"SELECT {column}, row_no, {shown} FROM {rows} s WHERE {column} IN ("
            f"SELECT {column} FROM {rows} s WHERE {column} IS NOT NULL"
            f" GROUP BY {column} HAVING COUNT(*) > 1) ORDER BY {column}, row_no"
        )
        first: dict[str, int] = {}
        for value, row_no, text in cursor:  # streamed: a file of duplicates must not fill memory
            if value not in first:
                first[value] = row_no
                continue
            errors.add(
                row_no,
                label,
                _("%(id)s %(value)s sudah ada di baris %(first)d.")
                % {"id": _ID_LABEL[column], "value": text, "first": first[value]},
            )
            reported.add(row_no)
    return reported


def match_existing(
    cursor: Any, errors: ErrorCollector, allowed: set[str] | None, duplicates: set[int]
) -> int:
    """Link staging rows to existing officials by any identifier; report conflicts."""
    if not registry_has_rows(cursor):
        return 0
    for column, _label in _IDENTIFIERS:
        cursor.execute(
            f"UPDATE {_STAGE} SET official_id = o.id FROM registry_official o"
            f" WHERE {_STAGE}.official_id IS NULL AND {_STAGE}.{column} IS NOT NULL"
            f" AND o.{column} = {_STAGE}.{column}"
        )
    for column, label in _IDENTIFIERS:
        cursor.execute(
            f"SELECT s.row_no, s.{_ID_SHOWN.get(column, column)} FROM {_STAGE} s"
            " JOIN registry_official o"
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
            if not in_scope(region_id, allowed):
                errors.add(
                    row_no,
                    "kode_wilayah",
                    _("Pejabat ini terdaftar di wilayah %(code)s, di luar yurisdiksi Anda.")
                    % {"code": region_id},
                )
    cursor.execute(f"SELECT COUNT(*) FROM {_STAGE} WHERE official_id IS NOT NULL")
    return int(cursor.fetchone()[0])


def id_base(cursor: Any, table: str) -> int:
    """The highest id `table` has handed out, deleted rows included: ids written explicitly
    (base + n) must not reuse a deleted row's id, which the audit trail may still name."""
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    highest = int(cursor.fetchone()[0])
    if is_postgres():
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        last, called = cursor.fetchone()
        handed_out = int(last) if called else int(last) - 1
    else:  # AUTOINCREMENT keeps the highest id ever used in sqlite_sequence
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        handed_out = int(row[0]) if row else 0
    return max(highest, handed_out)


def registry_has_rows(cursor: Any) -> bool:
    cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_official)")
    return bool(cursor.fetchone()[0])


@contextmanager
def foreign_keys_checked_at_end(cursor: Any) -> Iterator[None]:
    """SQLite: check foreign keys once after the merge instead of on every inserted row.

    The pragma only takes effect outside a transaction, so it wraps the atomic block (as
    Django's own SQLite schema editor does); `check_foreign_keys` runs inside it.
    """
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        cursor.execute("PRAGMA foreign_keys = ON")


def check_foreign_keys(cursor: Any, regions_used: set[str]) -> None:
    """SQLite, foreign keys off: check the references the merge wrote, set-based.

    Agencies come from a join on registry_agency and official ids from the merge itself, so
    the regions are the references to check: once per distinct code the rows named (each was
    in registry_region when its row was read; this catches one deleted since).
    """
    if connection.vendor != "sqlite" or not regions_used:
        return  # PostgreSQL checked them (deferred triggers or ADD CONSTRAINT)
    cursor.execute(
        "SELECT COUNT(*) FROM registry_region WHERE code IN (SELECT value FROM json_each(%s))",
        [json.dumps(sorted(regions_used))],
    )
    if cursor.fetchone()[0] != len(regions_used):
        raise IntegrityError("registry_official.region_id refers to a missing region")


def _foreign_keys(cursor: Any) -> list[tuple[str, str, str]]:
    """PostgreSQL: (table, name, definition) of the foreign keys of registry_official and of
    the social accounts that refer to it (a load into an empty registry writes both)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND (conrelid = 'registry_official'::regclass"
        " OR (conrelid = 'registry_socialaccount'::regclass"
        " AND confrelid = 'registry_official'::regclass)) ORDER BY 1, 2"
    )
    return [(table, name, definition) for table, name, definition in cursor.fetchall()]


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every index on registry_official except the primary key."""
    if is_postgres():
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


@dataclass(frozen=True)
class IndexesAside:
    """The secondary indexes (name, CREATE statement) of registry_official and, on
    PostgreSQL, the foreign keys (table, name, definition) of registry_official and of the
    social accounts referring to it, dropped for a bulk load into the empty table: building
    each index once after the load beats updating it row by row, and one set-based ADD
    CONSTRAINT validation beats a deferred FK trigger per row (a million officials: 1 s of
    SET CONSTRAINTS for the social accounts' checks alone)."""

    indexes: list[tuple[str, str]]
    foreign_keys: list[tuple[str, str, str]]

    @property
    def steps(self) -> int:
        return len(self.indexes) + len(self.foreign_keys)


def indexes_to_set_aside(cursor: Any) -> IndexesAside:
    return IndexesAside(_secondary_indexes(cursor), _foreign_keys(cursor) if is_postgres() else [])


def indexes_set_aside(cursor: Any, aside: IndexesAside) -> None:
    """Drop them, inside the load's transaction (a rollback brings them back)."""
    if aside.foreign_keys:  # fire pending deferred checks; ALTER TABLE refuses otherwise
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name, _definition in aside.foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _sql in aside.indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    if aside.foreign_keys:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def indexes_restore(cursor: Any, aside: IndexesAside, step: Callable[[], None]) -> None:
    """Build them again; a unique index over a repeated identifier raises IntegrityError."""
    postgres = is_postgres()
    if aside.indexes and postgres:  # run deferred FK checks; PG refuses CREATE INDEX before
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with _sorting_in_threads(cursor) if aside.indexes and not postgres else nullcontext():
        for _name, statement in aside.indexes:
            cursor.execute(statement)
            step()
    for table, name, definition in aside.foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        step()
    if aside.indexes and postgres:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def _sorting_in_threads(cursor: Any) -> Iterator[None]:
    """SQLite: CREATE INDEX sorts with helper threads (`PRAGMA threads`), which only share
    the work when the sort spills into several runs: with a page cache of SQLite's default
    size, not the import's larger one. The seven indexes of a million officials: 1.62 s
    against 2.24 s (2 cores; 2.7 s with a 64 MB cache, whatever the threads)."""
    threads = min(os.cpu_count() or 1, SQLITE_SORT_THREADS_MAX)
    cursor.execute(f"PRAGMA threads = {threads:d}")
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_SORT_CACHE_KB:d}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB:d}")
        cursor.execute("PRAGMA threads = 0")


def agency_region(ctx: RowContext, key: int) -> str | None:
    code = ctx.agency_region.get(key)
    return code if code and code in ctx.region_codes else None


def agency_kind(subject_type: str) -> str:
    return _AGENCY_KIND.get(subject_type, AgencyKind.KAB_KOTA)


_AGENCY_KIND: dict[str, str] = {
    str(SubjectType.TNI.value): AgencyKind.TNI,
    str(SubjectType.POLRI.value): AgencyKind.POLRI,
    **{str(t.value): AgencyKind.DESA for t in DESA_TYPES},
}


# The merge's lock on the officials (PostgreSQL): no other writer of the registry until the
# commit (new officials take ids base + row number, and the match must not change under it),
# while the foreign-key checks of other tables still pass. Every report that names a reported
# person checks its official at COMMIT with `SELECT ... FOR KEY SHARE`, which takes ROW SHARE
# on this table even for a NULL official: EXCLUSIVE refuses it, so under EXCLUSIVE every public
# report filed during a re-import waited for the whole merge (issue 15, Session 14: 11 reports
# waited 4 s and a round's 16 connections timed out). SHARE ROW EXCLUSIVE refuses writers
# (ROW EXCLUSIVE) and itself (two merges), and admits ROW SHARE.
MERGE_LOCK = "SHARE ROW EXCLUSIVE"


def _changed(target: str, postgres: bool) -> str:
    """SQL: the staged row `s` (and its agency `sa`) would change the official `target`.

    An official whose row in the file says what the registry says is left as it is (no new
    row version, index entries, tally deltas, history or `updated_at`): a regency sends its
    whole staff list again and again, and rewriting 500,000 unchanged officials kept one
    PostgreSQL backend busy for 50 s (issue 15). The columns and their rules are those of
    the merge's UPDATE: an identifier or contact left empty in the file keeps the stored one;
    the NIK is compared by its blind index, as its ciphertext differs on every sealing."""
    differs = "IS DISTINCT FROM" if postgres else "IS NOT"  # NULL-safe on both
    always = ("subject_type", "name", "name_folded", "position", "position_category", "region_id")
    unless_empty = ("nip", "ni_pppk", "nrp", "nik_hash")
    return " OR ".join(
        [
            f"NOT {target}.is_active",
            *(f"{target}.{c} {differs} s.{c}" for c in always),
            *(f"(s.{c} IS NOT NULL AND {target}.{c} {differs} s.{c})" for c in unless_empty),
            f"(s.nik_hash IS NOT NULL AND {target}.nik_hint {differs} s.nik_hint)",
            f"(sa.agency_id IS NOT NULL AND {target}.agency_id {differs} sa.agency_id)",
            *(f"(s.{c} <> '' AND {target}.{c} <> s.{c})" for c in ("email", "phone")),
        ]
    )


def merge(
    cursor: Any,
    ctx: RowContext,
    result: ImportResult,
    matched: int,
    progress: ProgressCallback = noop_progress,
) -> None:
    # as the ORM stores it (SQLite: naive UTC text; a raw parameter would add "+00:00")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    postgres = is_postgres()
    if postgres:
        cursor.execute(f"LOCK TABLE registry_official IN {MERGE_LOCK} MODE")
        # Inside this transaction only: the commit does not wait for the WAL flush (a crash
        # loses at most this import, never half of it), and index builds sort in memory.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{PG_MAINTENANCE_WORK_MEM}'")
        cursor.execute(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
    # New officials get ids base + row number, so social accounts can be linked by a join
    # without reading the ids back.
    empty = not registry_has_rows(cursor)
    base = id_base(cursor, "registry_official")
    cursor.execute(f"SELECT COUNT(*) FROM {_STAGE} WHERE official_id IS NULL")
    new_rows = int(cursor.fetchone()[0])
    # Into an empty table, building the indexes once after the load beats updating them
    # row by row (the table is locked by this transaction either way).
    aside = (
        indexes_to_set_aside(cursor)
        if empty and new_rows >= DROP_INDEXES_FROM
        else IndexesAside([], [])
    )
    # Progress of the steps below (the command line shows them; each may take seconds).
    steps = 3 + (1 if matched else 0) + aside.steps
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        progress(done, steps)

    progress(0, steps)
    # 1. agencies: the unknown ones are created (set-based) and counted.
    if ctx.agencies:
        agency_rows = (
            (key, name, folded, agency_kind(kind), agency_region(ctx, key))
            for folded, (key, name, kind) in ctx.agencies.items()
        )
        agency_columns = "agency_key, name, name_folded, kind, region_id"
        if postgres:
            with cursor.cursor.copy(f"COPY {_STAGE_AGENCY} ({agency_columns}) FROM STDIN") as copy:
                for agency_row in agency_rows:
                    copy.write_row(agency_row)
        else:
            cursor.cursor.executemany(
                f"INSERT INTO {_STAGE_AGENCY} ({agency_columns}) VALUES (?, ?, ?, ?, ?)",
                agency_rows,
            )
        analyze_stage(cursor, _STAGE_AGENCY)
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
    step()
    # 2. matched officials: keep history where position/agency/region change, then update.
    if matched:
        # The rows that change their official, found in one pass over the matched officials;
        # the history and the update then read only those.
        cursor.execute(f"DROP TABLE IF EXISTS {_CHANGED}")
        cursor.execute(
            f"CREATE TEMP TABLE {_CHANGED} AS SELECT s.row_no FROM {_STAGE} s"
            " JOIN registry_official o ON o.id = s.official_id"
            f" LEFT JOIN {_STAGE_AGENCY} sa ON sa.agency_key = s.agency_key"
            f" WHERE {_changed('o', postgres)}"
        )
        analyze_stage(cursor, _CHANGED)
        cursor.execute(
            "INSERT INTO registry_positionhistory (official_id, position, position_category,"
            " agency_name, region_id, valid_until)"
            " SELECT o.id, o.position, o.position_category, COALESCE(a.name, ''), o.region_id, %s"
            f" FROM {_CHANGED} c JOIN {_STAGE} s ON s.row_no = c.row_no"
            " JOIN registry_official o ON o.id = s.official_id"
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
            f" nik_hash = COALESCE(s.nik_hash, {target}.nik_hash),"
            f" nik_hint = CASE WHEN s.nik_hash IS NULL THEN {target}.nik_hint ELSE s.nik_hint END,"
            " position = s.position, position_category = s.position_category,"
            f" agency_id = COALESCE(sa.agency_id, {target}.agency_id), region_id = s.region_id,"
            f" email = CASE WHEN s.email <> '' THEN s.email ELSE {target}.email END,"
            f" phone = CASE WHEN s.phone <> '' THEN s.phone ELSE {target}.phone END,"
            " is_active = %s, updated_at = %s"
            f" FROM {_CHANGED} c JOIN {_STAGE} s ON s.row_no = c.row_no"
            f" LEFT JOIN {_STAGE_AGENCY} sa ON sa.agency_key = s.agency_key"
            f" WHERE {target}.id = s.official_id",
            [True, now],
        )
        result.updated = cursor.rowcount
        result.unchanged = matched - result.updated
        cursor.execute(f"DROP TABLE {_CHANGED}")
        step()
    # 3. new officials
    indexes_set_aside(cursor, aside)
    insert = (
        bulk_insert(table="registry_official", inserted=f"id > {base:d}")
        if new_rows >= BULK_INSERT_FROM
        else nullcontext()
    )
    with insert:
        cursor.execute(
            "INSERT INTO registry_official (id, subject_type, name, name_folded, nip, ni_pppk,"
            " nik, nrp, position, position_category, agency_id, region_id, email, phone,"
            " nik_hash, nik_hint, is_active, created_at, updated_at)"
            " SELECT %s + s.row_no, s.subject_type, s.name, s.name_folded, s.nip, s.ni_pppk,"
            " s.nik, s.nrp, s.position, s.position_category, sa.agency_id, s.region_id,"
            f" s.email, s.phone, s.nik_hash, s.nik_hint, %s, %s, %s FROM {_STAGE} s"
            f" LEFT JOIN {_STAGE_AGENCY} sa ON sa.agency_key = s.agency_key"
            " WHERE s.official_id IS NULL" + ("" if postgres else " ORDER BY s.row_no"),
            [base, True, now, now],
        )
    result.created = new_rows
    step()
    indexes_restore(cursor, aside, step)
    if postgres and new_rows:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('registry_official', 'id'),"
            " (SELECT MAX(id) FROM registry_official))"
        )
    # 4. social accounts (new ones only).
    not_known = (
        ""
        if empty
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
        [base] if empty else [base, base],
    )
    result.social_added = cursor.rowcount
    step()
    if postgres and (aside.indexes or new_rows + matched >= DROP_INDEXES_FROM):
        # Fresh planner statistics: without them PostgreSQL seq-scans a just-loaded table.
        cursor.execute("ANALYZE registry_official")
