"""Schema upkeep that migrations alone cannot guarantee.

Region codes are compared as byte strings: "everything under 64.08" is the index range
'64.08.' < code < '64.08/' (netral/registry/selectors.py::region_subtree_q). That holds
only under a bytewise collation. A PostgreSQL database created with a linguistic default
collation (en_US.UTF-8, id_ID.UTF-8: glibc ignores punctuation at the first level) would
sort "64.08.04" after "64.08/" and silently drop rows from every jurisdiction. So on
PostgreSQL the region code and every column referencing it get COLLATE "C", after every
`migrate` (a later AlterField would otherwise reset it). SQLite compares bytes already.
See docs/decisions/0006-region-codes-collate-bytewise.md.

The registry's identifiers and codes are made bytewise the same way, for speed
(`BYTEWISE_COLUMNS`, `ensure_identifiers_collate_bytewise`).
"""

from __future__ import annotations

from typing import Any

from django.db import connections

REGION_TABLE = "registry_region"
REGION_PK = "code"


def region_code_columns(using: str = "default") -> list[tuple[str, str, str, int]]:
    """(table, column, collation, max length) of the region code and its referencing columns."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT cl.relname, a.attname, COALESCE(co.collname, 'default'),
                   a.atttypmod - 4
              FROM pg_attribute a
              JOIN pg_class cl ON cl.oid = a.attrelid
              LEFT JOIN pg_collation co ON co.oid = a.attcollation
             WHERE (cl.relname = %s AND a.attname = %s)
                OR (a.attrelid, a.attnum) IN (
                    SELECT c.conrelid, k.attnum
                      FROM pg_constraint c, unnest(c.conkey) AS k(attnum)
                     WHERE c.contype = 'f' AND c.confrelid = %s::regclass)
             ORDER BY cl.relname, a.attname
            """,
            [REGION_TABLE, REGION_PK, REGION_TABLE],
        )
        return [(t, c, coll, n) for t, c, coll, n in cursor.fetchall()]


def ensure_region_codes_collate_bytewise(using: str = "default", **_kwargs: Any) -> int:
    """Give every region code column COLLATE "C" on PostgreSQL; returns how many changed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [REGION_TABLE])
        if cursor.fetchone()[0] is None:
            return 0
    columns = region_code_columns(using)
    return _collate_bytewise(
        using, [(t, c, coll, f"varchar({int(n)})") for t, c, coll, n in columns]
    )


def _collate_bytewise(using: str, columns: list[tuple[str, str, str, str]]) -> int:
    """COLLATE "C" for each (table, column, collation, type) not already bytewise, a table's
    columns in one ALTER TABLE (each index over them is rebuilt once; the rows are not
    rewritten); returns how many columns changed."""
    qn = connections[using].ops.quote_name
    changes: dict[str, list[str]] = {}
    for table, column, collation, kind in columns:
        if collation != "C":
            changes.setdefault(table, []).append(
                f'ALTER COLUMN {qn(column)} TYPE {kind} COLLATE "C"'
            )
    with connections[using].cursor() as cursor:
        for table, clauses in changes.items():
            cursor.execute(f"ALTER TABLE {qn(table)} {', '.join(clauses)}")
    return sum(len(clauses) for clauses in changes.values())


# The officials' stored codes, identifiers and folded name compare bytewise too (PostgreSQL),
# for speed: under a libc locale, C.UTF-8 included, PostgreSQL 15 compares text with strcoll
# and sorts it without abbreviated keys. Building the unique NIK index over 5,000,000 officials
# took 5.9 to 6.3 s against 2.7 to 2.9 s bytewise by hand (5.7 against 3.7 in an import), NIP
# 3.0 against 2.0, the name index 6.6 against 5.1 (docs/benchmarks.md Session 19); every
# lookup descends those indexes with the same comparisons. Nothing a user sees changes: the
# codes (SUBJECT_TYPE), NIP, NI PPPK and NRP are ASCII and digits, the blind index is hex, and
# equality under a deterministic collation is byte equality already. The folded name
# (netral/registry/text.py `fold`: lower case, accents stripped) orders the registry's lists;
# on a database created under C.UTF-8 (code point order) that order is unchanged, under a
# linguistic locale spaces and punctuation then count as bytes ("ab c" before "abc"). Under
# "C", `LIKE 'prefix%'` can use the name's B-tree.
BYTEWISE_COLUMNS: dict[str, tuple[str, ...]] = {
    "registry_official": ("subject_type", "name_folded", "nip", "ni_pppk", "nrp", "nik_hash"),
}


def identifier_columns(using: str = "default") -> list[tuple[str, str, str, str]]:
    """(table, column, collation, type) of the columns `BYTEWISE_COLUMNS` names."""
    found = []
    with connections[using].cursor() as cursor:
        for table, columns in BYTEWISE_COLUMNS.items():
            cursor.execute(
                """
                SELECT a.attname, COALESCE(co.collname, 'default'),
                       format_type(a.atttypid, a.atttypmod)
                  FROM pg_attribute a
                  LEFT JOIN pg_collation co ON co.oid = a.attcollation
                 WHERE a.attrelid = to_regclass(%s) AND a.attname = ANY(%s)
                   AND NOT a.attisdropped
                 ORDER BY a.attnum
                """,
                [table, list(columns)],
            )
            found += [(table, column, coll, kind) for column, coll, kind in cursor.fetchall()]
    return found


def ensure_identifiers_collate_bytewise(using: str = "default", **_kwargs: Any) -> int:
    """Give the columns of `BYTEWISE_COLUMNS` COLLATE "C" on PostgreSQL; returns how many
    changed."""
    if connections[using].vendor != "postgresql":
        return 0
    return _collate_bytewise(using, identifier_columns(using))
