"""Covering indexes for the evaluation dashboard over millions of rows (issue 6,
"Performance"; docs/benchmarks.md, "dashboards").

The dashboard aggregates officials, cases and reported persons of a region subtree. These
indexes hold every column those aggregate queries read, so the database answers them from
the index alone (PostgreSQL index-only scans, SQLite covering indexes): a national view reads
narrow index entries instead of the wide rows (titles, descriptions, names), and a
regency's view reads one contiguous index range instead of rows scattered over the table.

They live on other apps' tables, so they are raw SQL here (Django only lets an app's own
migrations add `Meta.indexes` to its models), with IF NOT EXISTS and a reverse that drops
them. PostgreSQL builds them CONCURRENTLY (no write lock on a live table, STYLE.md §1.13)
and uses INCLUDE for the non-key columns; SQLite has no INCLUDE, so they are trailing key
columns there. If a column named here changes in its app, this migration's successor must
rebuild the index (the dashboard tests would still pass, only slower).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# name -> (table, key columns, covered columns, partial-index predicate)
INDEXES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], str]] = {
    # selectors.officials_in_scope grouped per unit, subject type and position category.
    "dash_official_active_unit": (
        "registry_official",
        ("region_id", "subject_type", "position_category"),
        ("id",),
        "is_active",
    ),
    # Reported persons joined to their official's position category and agency.
    "dash_official_id_cover": (
        "registry_official",
        ("id",),
        ("position_category", "agency_id"),
        "",
    ),
    # case_metrics: every column the grouped case queries read, keyed by place of incident.
    "dash_case_region_cover": (
        "cases_case",
        ("incident_region_id",),
        (
            "status",
            "origin",
            "regime",
            "election_event_id",
            "received_at",
            "created_at",
            "registered_at",
            "decided_at",
            "extended_at",
            "due_at",
            "handling_region_id",
            "id",
        ),
        "",
    ),
    # case_metrics: reported persons of the visible cases, grouped by finding and lists.
    "dash_person_case_cover": (
        "cases_reportedperson",
        ("case_id",),
        (
            "finding",
            "subject_type",
            "official_id",
            "agency_name",
            "violation_types",
            "skb_codes",
            "id",
        ),
        "",
    ),
}


def _create_sql(vendor: str, name: str) -> str:
    table, keys, covered, where = INDEXES[name]
    if vendor == "postgresql":
        sql = (
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"({', '.join(keys)}) INCLUDE ({', '.join(covered)})"
        )
    else:
        sql = f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(keys + covered)})"
    return f"{sql} WHERE {where}" if where else sql


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            if vendor == "postgresql":  # a failed CONCURRENTLY build leaves an invalid index
                cursor.execute(
                    "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relname = %s AND NOT i.indisvalid",
                    [name],
                )
                if cursor.fetchone():
                    cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            cursor.execute(_create_sql(vendor, name))


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return
    concurrently = " CONCURRENTLY" if vendor == "postgresql" else ""
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("registry", "0005_official_name_index_covers_region_type"),
        ("cases", "0004_notificationlog_body"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
