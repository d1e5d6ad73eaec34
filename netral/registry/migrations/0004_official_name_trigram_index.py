"""Partial name search over millions of officials on PostgreSQL (issue 3).

A pg_trgm GIN index over Official.name_folded serves `name_folded LIKE '%...%'`. It is
skipped, with a message, where the extension is unavailable (search then scans). SQLite
needs nothing: it scans the covering index official_name (docs/registry.md, "Search").
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            print("\n  pg_trgm is not available: name search will scan")  # noqa: T201
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS official_name_trgm ON registry_official"
            " USING gin (name_folded gin_trgm_ops)"
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS official_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_import_job")]
    operations = [migrations.RunPython(forwards, backwards)]
