"""The tallies' index migrations (dashboards 0007 and 0009) build their indexes CONCURRENTLY
on PostgreSQL, so a migration at national scale does not stop the public reports that write
to the tallies through triggers, and plainly elsewhere; 0007's column changes still commit
together, and the migrations go back and forth on a database that has tallies."""

from __future__ import annotations

import importlib
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

TALLIES = ("casetally", "codetally", "decisiontally", "duetally", "officialtally", "persontally")
UNIT_INDEXES = [f"{t}_unit" for t in TALLIES if t != "officialtally"]
FOLD_INDEXES = [f"{t}_{kind}" for t in TALLIES for kind in ("delta", "key")]
MIGRATIONS = "netral.dashboards.migrations."


def _sqlmigrate(name: str) -> str:
    out = StringIO()
    call_command("sqlmigrate", "dashboards", name, stdout=out)
    return out.getvalue()


def _built(sql: str) -> list[str]:
    return re.findall(r'CREATE INDEX (?:CONCURRENTLY )?"(\w+)"', sql)


def test_the_index_migrations_are_not_atomic() -> None:
    for name in ("0007_tally_fold_incremental", "0009_tally_unit_indexes"):
        assert importlib.import_module(MIGRATIONS + name).Migration.atomic is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sqlmigrate_shows_concurrent_builds_on_postgresql_and_plain_ones_elsewhere() -> None:
    unit, fold = _sqlmigrate("0009"), _sqlmigrate("0007")
    assert sorted(_built(unit)) == sorted(UNIT_INDEXES)
    assert sorted(_built(fold)) == sorted(FOLD_INDEXES)
    if connection.vendor == "postgresql":
        assert unit.count("CREATE INDEX CONCURRENTLY") == 5
        assert fold.count("CREATE INDEX CONCURRENTLY") == 12
        assert "BEGIN;" not in unit  # not atomic: CONCURRENTLY refuses a transaction
        assert 'ALTER TABLE "dashboards_persontally" ADD COLUMN "folded"' in fold
    else:
        assert "CONCURRENTLY" not in unit + fold
        assert unit.count("CREATE INDEX") == 5
        assert fold.count("CREATE INDEX") >= 12  # and SQLite's table rebuilds' own


def _indexes(table: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _invalid_indexes() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE NOT i.indisvalid"
        )
        return [name for (name,) in cursor.fetchall()]


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="on SQLite, going back past 0008 drops dashboards_accounttally while the "
    "registry's account-tally triggers still name it, and 0007's table rebuilds then fail "
    "('no such table: main.dashboards_accounttally'; the same before this migration was "
    "made non-atomic)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unapplied_and_applied_again_the_indexes_and_folded_rows_come_back() -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes("dashboards")
    # when: back to before 0007
    executor.migrate([("dashboards", "0006_tallies_in_unit_zones")])
    # then
    assert "folded" not in _columns("dashboards_casetally")
    assert not set(FOLD_INDEXES + UNIT_INDEXES) & set(_indexes("dashboards_casetally"))
    # given: a tally row from before the incremental fold
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dashboards_casetally (unit, event_id, month, origin, status, "
            "registered, n) VALUES ('64.08.01', 0, '2024-10-01', 'LAPORAN', 'BARU', FALSE, 1)"
        )
    # when: forwards again, outside one transaction
    executor.loader.build_graph()
    executor.migrate(leaves)
    # then: the row already there counts as folded, a new one is a delta
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dashboards_casetally (unit, event_id, month, origin, status, "
            "registered, n) VALUES ('64.08.01', 0, '2024-10-01', 'LAPORAN', 'BARU', FALSE, 1)"
        )
        cursor.execute("SELECT folded FROM dashboards_casetally ORDER BY id")
        assert [folded for (folded,) in cursor.fetchall()] == [True, False]
    # and every index is there, valid
    for table in TALLIES:
        names = set(_indexes(f"dashboards_{table}"))
        assert {f"{table}_delta", f"{table}_key"} <= names
    assert {"casetally_unit", "persontally_unit"} <= set(_indexes("dashboards_casetally")) | set(
        _indexes("dashboards_persontally")
    )
    assert _invalid_indexes() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0009_goes_back_and_forth() -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes("dashboards")
    executor.migrate([("dashboards", "0008_account_tally")])
    assert "casetally_unit" not in _indexes("dashboards_casetally")
    executor.loader.build_graph()
    executor.migrate(leaves)
    assert "casetally_unit" in _indexes("dashboards_casetally")
    assert _invalid_indexes() == []
