"""A covering index for the one case count the dashboard takes from the rows even when it
reads the tallies: open cases past their deadline, which depends on the clock
(case_metrics.case_section). Its key starts with the deadline, so "due before now" is one
index range; the columns the scope, event and period filters read trail it.

PostgreSQL: partial (open cases only) with INCLUDE, built CONCURRENTLY. SQLite: the whole
table, since SQLite cannot match a partial index's predicate against the bound parameters
Django sends (EXPLAIN QUERY PLAN picked a full scan of another index instead); the cases
without a deadline are not in the range anyway.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

NAME = "dash_case_due_cover"
COLUMNS = ("status", "incident_region_id", "election_event_id", "received_at", "created_at")
# cases.models.choices.CLOSED_STATUSES, as the partial index case_open_due_at spells it
CLOSED = ("ARSIP", "DICABUT", "DIHENTIKAN", "DILIMPAHKAN", "SELESAI", "TIDAK_DIREGISTRASI")


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            closed = ", ".join(f"'{s}'" for s in CLOSED)
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")  # a failed build
            cursor.execute(
                f"CREATE INDEX CONCURRENTLY {NAME} ON cases_case (due_at) "
                f"INCLUDE ({', '.join(COLUMNS)}) WHERE NOT (status IN ({closed}))"
            )
        elif vendor == "sqlite":
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_case (due_at, {', '.join(COLUMNS)})"
            )


def backwards(apps: Any, schema_editor: Any) -> None:
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("dashboards", "0002_tallies"), ("cases", "0006_case_pelimpahan")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
