"""Index builds that do not block writers (netral/core/migration_ops.py): CREATE INDEX
CONCURRENTLY on PostgreSQL, exactly migrations.AddIndex elsewhere; a failed build's INVALID
leftover is replaced; column changes of a non-atomic migration commit together, once.

The operations run on a probe table of their own (idx_probe), created and dropped by each
test, outside the test's transaction where PostgreSQL needs it (CONCURRENTLY)."""

# ruff: noqa: S608  SQL built from the probe's constant names.

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, NotSupportedError, connection, migrations, models
from django.db.migrations.migration import Migration
from django.db.migrations.state import ModelState, ProjectState
from django.test.utils import CaptureQueriesContext

from netral.core.migration_ops import AddIndexConcurrentlyOnPostgres, AtomicOnce

APP = "probe"
TABLE = "idx_probe"
INDEX = "idx_probe_v"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="CONCURRENTLY is PostgreSQL's"
)
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _state() -> ProjectState:
    state = ProjectState()
    state.add_model(
        ModelState(
            APP,
            "Probe",
            [("id", models.AutoField(primary_key=True)), ("v", models.IntegerField())],
            options={"db_table": TABLE},
        )
    )
    return state


def _operation() -> AddIndexConcurrentlyOnPostgres:
    return AddIndexConcurrentlyOnPostgres(
        model_name="probe", index=models.Index(fields=["v"], name=INDEX)
    )


def _forwards(operation: Any, state: ProjectState) -> ProjectState:
    after = state.clone()
    operation.state_forwards(APP, after)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards(APP, editor, state, after)
    return after


def _backwards(operation: Any, state: ProjectState, after: ProjectState) -> None:
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards(APP, editor, after, state)


def _collected(operation: Any, state: ProjectState, *, backwards: bool = False) -> list[str]:
    after = state.clone()
    operation.state_forwards(APP, after)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        if backwards:
            operation.database_backwards(APP, editor, after, state)
        else:
            operation.database_forwards(APP, editor, state, after)
    return editor.collected_sql


def _pg_index(name: str = INDEX) -> tuple[bool, str] | None:
    """(valid, definition) of an index on the probe table, None if there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid, x.indexdef FROM pg_indexes x "
            "JOIN pg_index i ON i.indexrelid = to_regclass(quote_ident(x.indexname)) "
            "WHERE x.tablename = %s AND x.indexname = %s",
            [TABLE, name],
        )
        row = cursor.fetchone()
    return None if row is None else (bool(row[0]), row[1])


@pytest.fixture
def probe(transactional_db: Any) -> Iterator[ProjectState]:
    state = _state()
    with connection.schema_editor() as editor:
        editor.create_model(state.apps.get_model(APP, "Probe"))
    try:
        yield state
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def test_the_state_and_its_serialization_are_addindex() -> None:
    """makemigrations compares states: the same state as AddIndex, the same arguments."""
    ours, theirs = _state(), _state()
    _operation().state_forwards(APP, ours)
    migrations.AddIndex(
        model_name="probe", index=models.Index(fields=["v"], name=INDEX)
    ).state_forwards(APP, theirs)
    assert ours.models[APP, "probe"].options["indexes"] == [models.Index(fields=["v"], name=INDEX)]
    assert ours.models[APP, "probe"].options == theirs.models[APP, "probe"].options
    name, args, kwargs = _operation().deconstruct()
    assert (name, args) == ("AddIndexConcurrentlyOnPostgres", [])
    assert kwargs == {"model_name": "probe", "index": models.Index(fields=["v"], name=INDEX)}


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the other databases")
@transactional
def test_elsewhere_it_runs_the_sql_of_addindex(probe: ProjectState) -> None:
    plain = migrations.AddIndex(model_name="probe", index=models.Index(fields=["v"], name=INDEX))
    assert _collected(_operation(), probe) == _collected(plain, probe)
    assert _collected(_operation(), probe, backwards=True) == _collected(
        plain, probe, backwards=True
    )
    assert "CONCURRENTLY" not in " ".join(_collected(_operation(), probe))
    # and it builds and drops the index
    after = _forwards(_operation(), probe)
    with connection.cursor() as cursor:
        assert INDEX in connection.introspection.get_constraints(cursor, TABLE)
    _backwards(_operation(), probe, after)
    with connection.cursor() as cursor:
        assert INDEX not in connection.introspection.get_constraints(cursor, TABLE)


@on_postgresql
@transactional
def test_on_postgresql_it_builds_and_drops_the_index_concurrently(probe: ProjectState) -> None:
    # when
    with CaptureQueriesContext(connection) as built:
        after = _forwards(_operation(), probe)
    # then
    assert [q["sql"] for q in built if "CREATE INDEX" in q["sql"]] == [
        f'CREATE INDEX CONCURRENTLY "{INDEX}" ON "{TABLE}" ("v")'
    ]
    assert _pg_index() == (True, f"CREATE INDEX {INDEX} ON public.{TABLE} USING btree (v)")
    # when: backwards
    with CaptureQueriesContext(connection) as dropped:
        _backwards(_operation(), probe, after)
    # then
    assert [q["sql"] for q in dropped if "DROP INDEX" in q["sql"]] == [
        f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX}"'
    ]
    assert _pg_index() is None


@on_postgresql
@transactional
def test_a_failed_builds_invalid_leftover_is_replaced(probe: ProjectState) -> None:
    # given: a concurrent build that failed (here on a unique violation) left its index behind
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (v) VALUES (1), (1)")
        with pytest.raises(DatabaseError):
            cursor.execute(f"CREATE UNIQUE INDEX CONCURRENTLY {INDEX} ON {TABLE} (v)")
    leftover = _pg_index()
    assert leftover is not None
    assert leftover[0] is False
    # when: the migration runs again
    _forwards(_operation(), probe)
    # then: the index is the operation's own, and valid
    assert _pg_index() == (True, f"CREATE INDEX {INDEX} ON public.{TABLE} USING btree (v)")
    # and a further run (migrate again after a later operation failed) keeps it as it is
    with CaptureQueriesContext(connection) as again:
        _forwards(_operation(), probe)
    assert not [q for q in again if "INDEX" in q["sql"] and "pg_index" not in q["sql"]]
    assert _pg_index() == (True, f"CREATE INDEX {INDEX} ON public.{TABLE} USING btree (v)")


@on_postgresql
@transactional
def test_a_writer_does_not_wait_for_the_build(probe: ProjectState) -> None:
    """A build waits for the transactions already writing the table; a plain CREATE INDEX
    would queue every later writer behind it, a concurrent one lets them through."""
    import psycopg

    params = connection.get_connection_params()
    errors: list[BaseException] = []

    def build() -> None:
        from django.db import connection as own

        try:
            _forwards(_operation(), probe)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            own.close()

    with psycopg.connect(**params) as earlier, psycopg.connect(**params) as later:
        # given: a writer with an open transaction on the table
        earlier.execute(f"INSERT INTO {TABLE} (v) VALUES (1)")
        builder = threading.Thread(target=build)
        builder.start()
        try:
            deadline = time.monotonic() + 10
            while not _a_build_waits() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _a_build_waits(), errors
            # when: another report writes while the build waits
            later.execute("SET lock_timeout = '2s'")
            later.execute(f"INSERT INTO {TABLE} (v) VALUES (2)")
            later.commit()
        finally:
            earlier.commit()
            builder.join(30)
    # then: it was not made to wait (lock_timeout would have raised), and the index is built
    assert errors == []
    assert _pg_index() == (True, f"CREATE INDEX {INDEX} ON public.{TABLE} USING btree (v)")


def _a_build_waits() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            [f"%CREATE INDEX%{INDEX}%"],
        )
        return bool(cursor.fetchone()[0])


@on_postgresql
@pytest.mark.django_db
def test_inside_a_transaction_it_refuses_to_run() -> None:
    state = _state()
    after = state.clone()
    _operation().state_forwards(APP, after)
    with (
        connection.schema_editor() as editor,
        pytest.raises(NotSupportedError, match="atomic = False"),
    ):
        _operation().database_forwards(APP, editor, state, after)


def _group(done: str = "w") -> AtomicOnce:
    return AtomicOnce(
        done=("probe", done),
        operations=[
            migrations.AddField("probe", "w", models.IntegerField(db_default=1)),
            migrations.AlterField("probe", "w", models.IntegerField(db_default=0)),
        ],
    )


def _columns() -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, TABLE)}


@transactional
def test_atomic_once_applies_its_operations_once_and_reverses_them_once(
    probe: ProjectState,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (v) VALUES (1)")
    # when
    after = _forwards(_group(), probe)
    # then: the rows already there took the first default, new rows take the second
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (v) VALUES (2)")
        cursor.execute(f"SELECT v, w FROM {TABLE} ORDER BY v")
        assert cursor.fetchall() == [(1, 1), (2, 0)]
    # and a second run (migrate again after a later operation failed) changes nothing
    again = _forwards(_group(), probe)
    assert again.models[APP, "probe"].fields.keys() == {"id", "v", "w"}
    assert "w" in _columns()
    # when: backwards, twice
    _backwards(_group(), probe, after)
    _backwards(_group(), probe, after)
    # then
    assert "w" not in _columns()


@transactional
def test_atomic_once_commits_all_its_operations_or_none(probe: ProjectState) -> None:
    """In a non-atomic migration, a failure inside the group rolls the whole group back."""
    migration = Migration("0001_probe", APP)
    migration.atomic = False
    migration.operations = [
        AtomicOnce(
            done=("probe", "w"),
            operations=[
                migrations.AddField("probe", "w", models.IntegerField(db_default=1)),
                migrations.RunSQL("INSERT INTO idx_no_such_table VALUES (1)"),
            ],
        )
    ]
    with connection.schema_editor(atomic=False) as editor, pytest.raises(DatabaseError):
        migration.apply(probe.clone(), editor)
    assert "w" not in _columns()
