"""An index for the officer's case list filtered by place and "overdue" (issue 5: first page
under 50 ms with 1,000,000 cases). PostgreSQL only: it needs `varchar_pattern_ops` for the
region-code prefix and a partial predicate on open cases; other databases skip it."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CLOSED = "('ARSIP','DICABUT','DIHENTIKAN','DILIMPAHKAN','SELESAI','TIDAK_DIREGISTRASI')"
CREATE = (
    "CREATE INDEX IF NOT EXISTS case_open_region_due ON cases_case "
    "(incident_region_id varchar_pattern_ops, due_at) "
    "INCLUDE (origin, regime, handling_region_id, created_at) "
    f"WHERE NOT (status IN {CLOSED})"
)
DROP = "DROP INDEX IF EXISTS case_open_region_due"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_notificationlog_body")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
