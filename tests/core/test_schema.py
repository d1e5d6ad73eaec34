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


# The registry's identifiers and codes: bytewise for speed (netral/core/schema.py).


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares bytes already")
def test_the_registry_identifiers_collate_bytewise_after_migrate() -> None:
    from netral.core.schema import BYTEWISE_COLUMNS, identifier_columns

    columns = identifier_columns()
    named = {(table, column) for table, cols in BYTEWISE_COLUMNS.items() for column in cols}
    # every named column exists (a rename would otherwise drop it from the upkeep silently)
    assert {(t, c) for t, c, _coll, _kind in columns} == named
    assert [(t, c) for t, c, coll, _kind in columns if coll != "C"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares bytes already")
def test_reset_identifier_collations_are_repaired_in_one_statement_and_keep_their_rows() -> None:
    from django.test.utils import CaptureQueriesContext

    from netral.core.schema import ensure_identifiers_collate_bytewise, identifier_columns
    from netral.registry.models import Official
    from tests.factories import OfficialFactory

    official = OfficialFactory(nip="198001012005011001", name="Budi Santoso")
    # given: a later AlterField reset two of them to the database's default collation
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the factory's deferred FK checks
        cursor.execute(
            "ALTER TABLE registry_official ALTER COLUMN nip TYPE varchar(18) "
            'COLLATE "default", ALTER COLUMN name_folded TYPE varchar(200) COLLATE "default"'
        )
    # when
    with CaptureQueriesContext(connection) as queries:
        assert ensure_identifiers_collate_bytewise() == 2
    # then: one ALTER TABLE for both, and the same row found by its identifier and name
    assert [q["sql"] for q in queries if q["sql"].startswith("ALTER TABLE")] == [
        'ALTER TABLE "registry_official" ALTER COLUMN "name_folded" TYPE character '
        'varying(200) COLLATE "C", ALTER COLUMN "nip" TYPE character varying(18) COLLATE "C"'
    ]
    assert [coll for _t, _c, coll, _k in identifier_columns()] == ["C"] * 6
    assert Official.objects.get(nip="198001012005011001") == official
    assert list(Official.objects.filter(name_folded__startswith="budi s")) == [official]
    assert ensure_identifiers_collate_bytewise() == 0


def test_the_identifier_upkeep_does_nothing_on_sqlite() -> None:
    from netral.core.schema import ensure_identifiers_collate_bytewise

    if connection.vendor == "sqlite":
        assert ensure_identifiers_collate_bytewise() == 0
