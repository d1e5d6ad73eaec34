"""Migration operations shared by the apps (STYLE.md §1.13: indexes on big tables are built
CONCURRENTLY on PostgreSQL).

`AddIndexConcurrentlyOnPostgres` is `migrations.AddIndex` that does not block writers on
PostgreSQL. A plain CREATE INDEX holds a SHARE lock on the table for the whole build: every
INSERT, UPDATE and DELETE waits, and so does every public report whose triggers write to a
million-row tally (about 5 s for dashboards/0009 at national scale). CREATE INDEX CONCURRENTLY
lets them through, at the price of running outside a transaction: a migration using it sets
`atomic = False`, and operations of that migration that must commit together go in one
`AtomicOnce`.

A concurrent build that fails (a cancelled statement, a lost connection, a deadlock) leaves an
INVALID index of its name behind, which PostgreSQL maintains on every write but never reads,
and which makes the next CREATE INDEX of that name fail. So before building, the operation
drops such a leftover (DROP INDEX CONCURRENTLY), and it keeps a valid index of its name on
its table as it is: that one was built by an earlier run of a non-atomic migration that
failed on a later operation, and `migrate` runs the whole migration again. Re-running
`netral migrate` therefore finishes a failed build.

On every other database (SQLite) both operations are exactly their Django counterparts: the
SQL, the state and the serialized migration are those of `migrations.AddIndex`, so
`makemigrations --check` sees no difference.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError, migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


def _in_transaction_refused(schema_editor: BaseDatabaseSchemaEditor, what: str) -> None:
    if schema_editor.connection.in_atomic_block and not schema_editor.collect_sql:
        raise NotSupportedError(
            f"{what} runs CREATE/DROP INDEX CONCURRENTLY, which cannot run inside a "
            "transaction (set atomic = False on the migration)."
        )


def index_validity(schema_editor: BaseDatabaseSchemaEditor, name: str, table: str) -> bool | None:
    """True or False (pg_index.indisvalid) for an index `name` on `table`; None if none."""
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indisvalid FROM pg_index "
            "WHERE indexrelid = to_regclass(%s) AND indrelid = to_regclass(%s)",
            [quote(name), quote(table)],
        )
        row = cursor.fetchone()
    return None if row is None else bool(row[0])


class AddIndexConcurrentlyOnPostgres(migrations.AddIndex):
    """`migrations.AddIndex`, built with CREATE INDEX CONCURRENTLY on PostgreSQL.

    Reverse: DROP INDEX CONCURRENTLY on PostgreSQL. The migration must set `atomic = False`
    (checked on PostgreSQL, as django.contrib.postgres's AddIndexConcurrently does). See the
    module's docstring for the leftovers of a failed build.
    """

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        _in_transaction_refused(schema_editor, type(self).__name__)
        name = self.index.name
        if not schema_editor.collect_sql:  # sqlmigrate shows the build, not the database's state
            valid = index_validity(schema_editor, name, model._meta.db_table)
            if valid:
                return  # built by an earlier run of this migration, which failed later on
            if valid is False:  # a failed concurrent build's leftover
                schema_editor.execute(
                    f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}"
                )
        schema_editor.add_index(model, self.index, concurrently=True)  # type: ignore[call-arg]

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        _in_transaction_refused(schema_editor, type(self).__name__)
        # DROP INDEX CONCURRENTLY IF EXISTS: a second run after a failure is harmless
        schema_editor.remove_index(model, self.index, concurrently=True)  # type: ignore[call-arg]

    def describe(self) -> str:
        return f"{super().describe()} (concurrently on PostgreSQL)"


class AtomicOnce(migrations.SeparateDatabaseAndState):
    """Operations of a non-atomic migration that must commit together, applied once.

    They run in one transaction (`atomic = True`: Migration.apply wraps the operation in
    transaction.atomic() when the migration itself is not atomic). `done` names a field the
    operations add, (model_name, field_name): when a later operation of the migration failed
    (an index build) and `migrate` runs the whole migration again, the column is there and the
    operations leave the database as it is; backwards, they do nothing once it is gone. The
    state changes are applied in every case.
    """

    atomic = True

    def __init__(self, operations: list[Any], done: tuple[str, str]) -> None:
        super().__init__(database_operations=operations, state_operations=operations)
        self.done = tuple(done)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"operations": self.database_operations, "done": self.done},
        )

    def _done(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, state: ProjectState
    ) -> bool | None:
        """Whether the `done` column exists; None in sqlmigrate, which shows every step."""
        if schema_editor.collect_sql:
            return None
        model_name, field_name = self.done
        model = state.apps.get_model(app_label, model_name)
        table = model._meta.db_table
        column = model._meta.get_field(field_name).column
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            if table not in connection.introspection.table_names(cursor):
                return False
            described = connection.introspection.get_table_description(cursor, table)
        return column in {c.name for c in described}

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if self._done(app_label, schema_editor, to_state) is not True:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if self._done(app_label, schema_editor, from_state) is not False:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return (
            f"In one transaction, once: {'; '.join(o.describe() for o in self.database_operations)}"
        )
