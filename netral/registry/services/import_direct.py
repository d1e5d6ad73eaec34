"""Loading an empty registry: the validated rows go straight into registry_official.

The first import of a region (or of the nation) finds no official to match or update, so
the staging table and its INSERT ... SELECT are pure overhead (docs/decisions/0009). Inside
one transaction that holds the registry's write lock from the first row to the commit:

1. the registry is checked to be empty (under the lock, so no other writer can fill it);
2. the agencies already known are read, so every row's agency key is its agency's id to be;
3. the secondary indexes of registry_official (and on PostgreSQL the foreign keys of the
   officials and of their social accounts) are set aside, and each batch of valid rows is
   written as officials whose id is base + their row number, with their social accounts,
   while the reader process (if any) validates the next batch;
4. after the last row: the new agencies, the tallies (one grouped delta), the indexes again
   (a repeated identifier fails its unique index and is then located row by row).

Any error in any row rolls the whole transaction back: the registry is left as it was.
"""

# ruff: noqa: S608  SQL here is built from module constants and integers only; every value
# from the file goes through query parameters.
from __future__ import annotations

import marshal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.core.progress import ProgressCallback
from netral.core.signals import bulk_insert
from netral.registry.services.import_format import (
    ErrorCollector,
    ImportResult,
    RowContext,
    StageRow,
    row_sealer,
)
from netral.registry.services.import_sql import (
    BINARY,
    PG_MAINTENANCE_WORK_MEM,
    PG_WORK_MEM,
    agency_kind,
    agency_region,
    check_duplicates,
    check_foreign_keys,
    foreign_keys_checked_at_end,
    id_base,
    indexes_restore,
    indexes_set_aside,
    indexes_to_set_aside,
    is_postgres,
    loaded_rows,
    registry_has_rows,
)

Batch = tuple[list[StageRow], list[tuple[int, str, str]], int]  # rows, social, rows read

_OFFICIAL_COLUMNS = (
    "id, subject_type, name, name_folded, nip, ni_pppk, nik, nrp, position, position_category,"
    " agency_id, region_id, email, phone, nik_hash, nik_hint"
)


# PostgreSQL: COPY in binary, each column's type given once (psycopg then dumps every value
# without looking at its Python type; a million officials written in 0.8 s instead of 2.4 s,
# measured apart). The types are the columns' own: bigint ids; text for varchar, whose
# binary form is text's and whose length the server still checks.
_OFFICIAL_TYPES = [
    "int8",
    *["text"] * 9,
    "int8",
    *["text"] * 5,
    "bool",
    "timestamptz",
    "timestamptz",
]


_ACCOUNT_COLUMNS = "official_id, platform, handle"


class _RowsRejectedError(Exception):
    """Some row failed: the load's transaction is rolled back (the errors are collected)."""


def load_into_empty_registry(
    cursor: Any,
    batches: Callable[[], Iterable[Batch]],
    ctx: RowContext,
    errors: ErrorCollector,
    result: ImportResult,
    progress: ProgressCallback,
    total: int | None,
    saving: ProgressCallback,
    record: Callable[[], None],
) -> bool:
    """The whole import as one load into an empty registry; False, with nothing read or
    written, when the registry holds officials already. `batches` is called once the
    registry is known to be empty (the rows' agency keys depend on the agencies read then);
    `record` runs inside the transaction, after the load (the job and its audit entry)."""
    try:
        with foreign_keys_checked_at_end(cursor), transaction.atomic():
            if not _claim_empty(cursor):
                return False
            _agencies_seed(cursor, ctx)
            _load(cursor, batches(), ctx, errors, result, progress, total, saving)
            check_foreign_keys(cursor, ctx.regions_used)
            record()
    except _RowsRejectedError:
        result.created = result.agencies_created = result.social_added = 0
    return True


def _claim_empty(cursor: Any) -> bool:
    """Inside the load's transaction: keep other writers off the registry until the commit,
    and tell whether it holds no official (then nothing in the file can match one).

    SQLite: the transaction began IMMEDIATE (config/env.py), so it holds the database's
    write lock already; readers go on reading the last commit (WAL). PostgreSQL: the
    officials' table is locked as dropping its indexes will lock it (ACCESS EXCLUSIVE, so
    readers wait too, until the commit: the table is empty then), at once rather than by an
    upgrade from a weaker lock, which a reader about to write could deadlock with; agencies
    keep their readers (EXCLUSIVE)."""
    if is_postgres():
        cursor.execute("LOCK TABLE registry_official IN ACCESS EXCLUSIVE MODE")
        cursor.execute("LOCK TABLE registry_agency IN EXCLUSIVE MODE")
    return not registry_has_rows(cursor)


def _agencies_seed(cursor: Any, ctx: RowContext) -> None:
    """The agencies already known, so a row's agency key is the agency's id (to be)."""
    cursor.execute("SELECT name_folded, id FROM registry_agency")
    ctx.agency_ids = dict(cursor.fetchall())
    ctx.agency_key_base = id_base(cursor, "registry_agency")


def _load(
    cursor: Any,
    batches: Iterable[Batch],
    ctx: RowContext,
    errors: ErrorCollector,
    result: ImportResult,
    progress: ProgressCallback,
    total: int | None,
    saving: ProgressCallback,
) -> None:
    """Write every batch, then finish the registry; raise _RowsRejectedError if a row failed.

    Valid rows are written even after an error, so the repeated identifiers among them are
    reported in the same run (check_duplicates over the loaded rows), as the staged path
    does."""
    now = timezone.now()
    postgres = is_postgres()
    if postgres:
        # As the staged merge: the commit does not wait for the WAL flush (a crash loses at
        # most this import, never half of it), index builds and queries sort in memory.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{PG_MAINTENANCE_WORK_MEM}'")
        cursor.execute(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
    aside = indexes_to_set_aside(cursor)
    indexes_set_aside(cursor, aside)
    steps = 2 + aside.steps  # the steps after the last row (the command line shows them)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        saving(done, steps)

    base = id_base(cursor, "registry_official")  # an official's id: base + its row number
    # The registry was empty: every official in it after the load is one of the file's; the
    # table's lock (_claim_empty) keeps other writers out until the commit.
    with bulk_insert(table="registry_official", inserted="1 = 1", streamed=True):
        with _writer(cursor, now, base) as write:
            for rows, social, read in batches:
                if rows:
                    write(rows, social)
                    result.created += len(rows)
                    result.social_added += len(social)  # (a row's accounts are distinct)
                result.rows = read
                progress(read, total)
        if postgres:
            # Planner statistics for the queries over the loaded rows that follow (the
            # tallies' grouped count, the foreign keys' checks, the duplicates' search);
            # the index builds do not change them.
            cursor.execute("ANALYZE registry_official")
        if result.rows == 0 and not errors.count:
            errors.add(2, "", _("Berkas tidak berisi baris data."))
        if errors.count:
            check_duplicates(cursor, errors, loaded_rows(base))
            raise _RowsRejectedError
        saving(0, steps)
        # before the tallies count the officials (as the block closes): they may join them
        result.agencies_created = _agencies_insert(cursor, ctx, now)
        step()
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL aborts on a failed CREATE INDEX
            indexes_restore(cursor, aside, step)
    except IntegrityError:
        check_duplicates(cursor, errors, loaded_rows(base))
        if not errors.count:
            raise
        raise _RowsRejectedError from None
    if postgres:
        for table in ("registry_official", "registry_agency"):  # ids written explicitly
            highest = id_base(cursor, table)
            if highest:  # the sequence goes on after them (never back)
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, highest]
                )
    step()


Write = Callable[[list[StageRow], list[tuple[int, str, str]]], None]


@contextmanager
def _writer(cursor: Any, now: Any, base: int) -> Iterator[Write]:
    """A function writing one batch: officials (id = base + row number) and their social
    accounts, all written when the block ends. The NIK is encrypted here, in the writing
    process (the reader process is the import's slower half), with the keys read once."""
    seal = row_sealer()
    if is_postgres():
        with _pg_writer(cursor, now, base, seal) as write:
            yield write
        return
    # SQLite: the constant columns are literals, so each row is bound as the reader typed it
    # (binding a datetime per row cost 2.1 s per million rows: Python's adapter).
    stamp = connection.ops.adapt_datetimefield_value(now)
    if not isinstance(stamp, str) or "'" in stamp:  # Django's own format: never
        raise TypeError(f"unexpected datetime literal {stamp!r}")
    officials = (
        f"INSERT INTO registry_official ({_OFFICIAL_COLUMNS}, is_active, created_at,"
        f" updated_at) VALUES (? + {base:d}, {', '.join('?' * 15)}, 1, '{stamp}', '{stamp}')"
    )
    accounts = (
        "INSERT INTO registry_socialaccount (official_id, platform, handle)"
        f" VALUES (? + {base:d}, ?, ?)"
    )
    raw = cursor.cursor

    def write_sqlite(rows: list[StageRow], social: list[tuple[int, str, str]]) -> None:
        raw.executemany(officials, seal(rows))
        if social:
            raw.executemany(accounts, social)

    yield write_sqlite


# PostgreSQL: rows are sealed and sent in slices of this many, so the server stores one
# slice while this process seals the next (one COPY for the whole load; see _pg_writer).
PG_SLICE = 1_000


@contextmanager
def _pg_writer(
    cursor: Any, now: Any, base: int, seal: Callable[[list[StageRow]], list[Any]]
) -> Iterator[Write]:
    """PostgreSQL: every official goes through ONE binary COPY, open from the first batch
    to the last, fed a slice at a time. The server stores what the socket holds while this
    process unmarshals and seals the next slice, so the two overlap; one COPY per batch made
    them take turns (the server idle while a batch was sealed, this process idle while the
    server finished each COPY): a million officials' batches took 8.4 s of wall time for
    3.8 s of this process's CPU and 4.0 s of the server's (2026-12-04, Session 14).

    The social accounts cannot share the connection while the officials' COPY is open:
    they are spooled to a temporary file (marshal, batch by batch: memory stays flat) and
    copied after it. If the block fails, the COPY is abandoned (psycopg sends CopyFail) and
    the transaction rolls back with everything else."""
    tail = (True, now, now)
    columns = _OFFICIAL_COLUMNS + ", is_active, created_at, updated_at"
    raw = cursor.cursor
    spooled = 0
    with tempfile.TemporaryFile(prefix="netral-import-social-") as spool:
        with raw.copy(f"COPY registry_official ({columns}) FROM STDIN {BINARY}") as copy:
            copy.set_types(_OFFICIAL_TYPES)
            write_row = copy.write_row

            def write_pg(batch: list[StageRow], social: list[tuple[int, str, str]]) -> None:
                nonlocal spooled
                for start in range(0, len(batch), PG_SLICE):
                    rows = seal(batch[start : start + PG_SLICE])
                    if base:
                        for row in rows:
                            write_row((row[0] + base, *row[1:], *tail))
                    else:  # a database never written to: the ids are the row numbers
                        for row in rows:
                            write_row(row + tail)
                if social:
                    marshal.dump(social, spool)
                    spooled += 1

            yield write_pg
        # the officials' COPY has ended: the connection is free for the social accounts'
        if spooled:
            _copy_spooled_accounts(raw, spool, spooled, base)


def _copy_spooled_accounts(raw: Any, spool: IO[bytes], batches: int, base: int) -> None:
    spool.seek(0)
    with raw.copy(f"COPY registry_socialaccount ({_ACCOUNT_COLUMNS}) FROM STDIN {BINARY}") as copy:
        copy.set_types(["int8", "text", "text"])
        for _ in range(batches):
            for official, platform, handle in marshal.load(spool):  # noqa: S302  our own file
                copy.write_row((official + base, platform, handle))


def _agencies_insert(cursor: Any, ctx: RowContext, now: Any) -> int:
    """The agencies the file named that were not known, with the ids their rows refer to."""
    if not ctx.agencies:
        return 0
    rows = [
        (key, name, folded, agency_kind(kind), agency_region(ctx, key), "", now)
        for folded, (key, name, kind) in ctx.agencies.items()
    ]
    columns = "id, name, name_folded, kind, region_id, ppk_name, created_at"
    if is_postgres():
        with cursor.cursor.copy(f"COPY registry_agency ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        stamp = connection.ops.adapt_datetimefield_value(now)
        cursor.cursor.executemany(
            f"INSERT INTO registry_agency ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*row[:-1], stamp) for row in rows],
        )
    return len(rows)
