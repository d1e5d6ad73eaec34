"""Partial name search on SQLite through an FTS5 trigram index (issue 18; netral/registry/fts.py
explains it and keeps the same triggers for bulk imports).

PostgreSQL keeps its pg_trgm GIN index (0004): nothing to do there.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_official_fts USING fts5(name_folded,"
    " content='registry_official', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS registry_official_fts_ai AFTER INSERT ON registry_official"
    " BEGIN INSERT INTO registry_official_fts(rowid, name_folded)"
    " VALUES (new.id, new.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS registry_official_fts_ad AFTER DELETE ON registry_official"
    " BEGIN INSERT INTO registry_official_fts(registry_official_fts, rowid, name_folded)"
    " VALUES ('delete', old.id, old.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS registry_official_fts_au AFTER UPDATE OF name_folded"
    " ON registry_official BEGIN"
    " INSERT INTO registry_official_fts(registry_official_fts, rowid, name_folded)"
    " VALUES ('delete', old.id, old.name_folded);"
    " INSERT INTO registry_official_fts(rowid, name_folded) VALUES (new.id, new.name_folded);"
    " END",
    "INSERT INTO registry_official_fts(registry_official_fts) VALUES ('rebuild')",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS registry_official_fts_ai",
    "DROP TRIGGER IF EXISTS registry_official_fts_ad",
    "DROP TRIGGER IF EXISTS registry_official_fts_au",
    "DROP TABLE IF EXISTS registry_official_fts",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_import_job_drop_unused_phase")]
    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
