"""SQLite full-text index of officials' folded names (FTS5, trigram tokenizer).

Partial-name search ("seno" anywhere in a name) cannot use a b-tree index: before this, SQLite
scanned the whole covering name index (about 40 to 110 ms over a million officials, growing
with the table). An FTS5 table with the trigram tokenizer (SQLite 3.34+) indexes every
three-letter run of `registry_official.name_folded`, so a search reads the posting lists of
the word's trigrams instead (docs/benchmarks.md, "Name search").

The FTS table is an *external content* table: it stores only the index; the text stays in
registry_official (rowid = official id). Three triggers keep it in step with every INSERT,
UPDATE of the name and DELETE. A bulk import stands the INSERT trigger aside for its one
statement (netral.core.signals.bulk_insert, as the tally triggers do) and indexes the rows it
wrote in one INSERT ... SELECT afterwards, inside the same transaction.

PostgreSQL needs none of this: its pg_trgm GIN index serves LIKE '%word%' (migration 0004).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

TABLE = "registry_official_fts"
SOURCE = "registry_official"
MIN_TRIGRAM_WORD = 3  # shorter words have no trigram: they are matched with GLOB instead

# The INSERT trigger as migration 0007 created it: put back after a bulk statement.
INSERT_TRIGGER = "registry_official_fts_ai"
INSERT_TRIGGER_SQL = (
    f"CREATE TRIGGER IF NOT EXISTS {INSERT_TRIGGER} AFTER INSERT ON {SOURCE}"  # noqa: S608
    f" BEGIN INSERT INTO {TABLE}(rowid, name_folded) VALUES (new.id, new.name_folded); END"
)


def is_active() -> bool:
    return connection.vendor == "sqlite"


def match_expression(words: list[str]) -> str:
    """An FTS5 query matching every word as a substring (each a quoted string, AND-ed)."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def bulk_insert_begin(*, table: str, **kwargs: Any) -> None:
    """Receiver of netral.core.signals.bulk_insert_begin: the INSERT trigger stands aside for
    the bulk statement (dropped inside the writer's transaction, so a failure restores it)."""
    if table != SOURCE or not is_active():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER}")


def bulk_insert_end(*, table: str, inserted: str, **kwargs: Any) -> None:
    """Receiver of netral.core.signals.bulk_insert_end: index the rows the statement wrote in
    one statement, then put the INSERT trigger back."""
    if table != SOURCE or not is_active():
        return
    with connection.cursor() as cursor:
        cursor.execute(  # `inserted` is the importer's own id condition, never user input
            f"INSERT INTO {TABLE}(rowid, name_folded)"  # noqa: S608
            f" SELECT id, name_folded FROM {SOURCE} WHERE {inserted}"
        )
        cursor.execute(INSERT_TRIGGER_SQL)
