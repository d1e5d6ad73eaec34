"""The re-import's table lock keeps other writers of the registry out, and lets the foreign-key
checks of the public reports through (PostgreSQL; issue 15, the form beside a running import)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from netral.registry.services.import_sql import MERGE_LOCK
from tests.factories import OfficialFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's table locks"),
    pytest.mark.django_db,
]


def _pg_session() -> Any:
    import psycopg

    return psycopg.connect(**connection.get_connection_params())


def test_a_reports_key_check_passes_a_merge_in_progress() -> None:
    import psycopg

    official = OfficialFactory()
    with transaction.atomic(), connection.cursor() as cursor:
        # given: a merge holding its lock (the statement merge() runs), not yet committed
        cursor.execute(f"LOCK TABLE registry_official IN {MERGE_LOCK} MODE")
        with _pg_session() as other:
            other.execute("SET lock_timeout = '1s'")
            # when: a report's deferred foreign-key check runs at its commit (the query
            # PostgreSQL's RI trigger issues, under the ROW SHARE lock it takes)
            # (this test's official is not committed, so not found: the lock is the point)
            rows = other.execute(
                "SELECT 1 FROM ONLY registry_official x WHERE id = %s FOR KEY SHARE OF x",
                [official.pk],
            ).fetchall()
            # then: it did not wait for the merge (lock_timeout would have raised)
            assert rows == []
            other.rollback()  # (which also undoes the SET)
            other.execute("SET lock_timeout = '1s'")
            # and another writer of the registry still waits for the merge
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(
                    "UPDATE registry_official SET full_name = full_name WHERE id = %s",
                    [official.pk],
                )
            other.rollback()
