"""Region codes must compare bytewise on PostgreSQL, whatever the database's collation."""

from __future__ import annotations

import pytest
from django.db import connection

from netral.core.schema import ensure_region_codes_collate_bytewise, region_code_columns

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares bytes already")
def test_every_region_code_column_collates_bytewise() -> None:
    columns = region_code_columns()
    tables = {table for table, *_ in columns}
    # the range-compared columns are among them
    assert {"registry_region", "registry_official", "cases_case", "declarations_event"} <= tables
    assert [(t, c) for t, c, coll, _n in columns if coll != "C"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares bytes already")
def test_a_reset_collation_is_repaired_and_ranges_hold() -> None:
    # given: a later AlterField reset the official's region column to the default collation
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE registry_official ALTER COLUMN region_id "
            'TYPE varchar(13) COLLATE "default"'
        )
    # when
    assert ensure_region_codes_collate_bytewise() == 1
    # then
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT '64.08.04' > '64.08.' COLLATE \"C\" AND '64.08.04' < '64.08/' COLLATE \"C\""
        )
        assert cursor.fetchone()[0] is True
    assert ensure_region_codes_collate_bytewise() == 0


def test_it_does_nothing_on_sqlite() -> None:
    if connection.vendor == "sqlite":
        assert ensure_region_codes_collate_bytewise() == 0
