"""Schema upkeep that migrations alone cannot guarantee.

Region codes are compared as byte strings: "everything under 64.08" is the index range
'64.08.' < code < '64.08/' (netral/registry/selectors.py::region_subtree_q). That holds
only under a bytewise collation. A PostgreSQL database created with a linguistic default
collation (en_US.UTF-8, id_ID.UTF-8: glibc ignores punctuation at the first level) would
sort "64.08.04" after "64.08/" and silently drop rows from every jurisdiction. So on
PostgreSQL the region code and every column referencing it get COLLATE "C", after every
`migrate` (a later AlterField would otherwise reset it). SQLite compares bytes already.
See docs/decisions/0006-region-codes-collate-bytewise.md.
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
    changed = 0
    for table, column, collation, length in region_code_columns(using):
        if collation == "C":
            continue
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE {qn(table)} ALTER COLUMN {qn(column)} "
                f'TYPE varchar({int(length)}) COLLATE "C"'
            )
        changed += 1
    return changed
