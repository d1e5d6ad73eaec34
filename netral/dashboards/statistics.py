"""PostgreSQL's statistics on the expressions a dashboard's period filters the cases by.

The partial months of a period are read from the rows (case_metrics.period_plan), each case
filtered by its own local days: `COALESCE(received_at, created_at)` within bounds that depend
on the zone of its handling unit (`case_metrics.local_days_in`). PostgreSQL keeps no
statistics on either expression, so it estimated one row where a national year held 947,188,
and joined every reported person to the officials by 947,188 index probes: 12.9 s of a 19 s
national view at 1,000,000 cases (issue 15). With these statistics (PostgreSQL 14 and later
keep them for expressions) it estimates 870,000 and hash-joins: 3.7 s.

The expressions are compiled from the code's own (so they are the very ones the queries
carry, which PostgreSQL matches by structure); `netral migrate` creates them and ANALYZE
fills them, and every recount of the tallies (`tally_rebuild`, which a change of the zone
rule brings) makes them again from the code's expressions of the day. SQLite has no such
statistics: nothing is done there.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateTimeField, Model
from django.db.models.functions import Coalesce
from django.db.models.sql import Query

from netral.core.zones import zone_case

CASE_PERIOD_STATISTICS = "dash_case_period"
# The region code whose zone a case's days are in (case_metrics.CASE_ZONE_FIELD).
_ZONE_FIELD = "handling_region_id"


def case_period_expressions() -> list[Any]:
    """The moment a period filters a case by, and the zone of its days (as local_days_in)."""
    return [
        Coalesce("received_at", "created_at", output_field=DateTimeField()),
        zone_case(_ZONE_FIELD, lambda z: z.abbreviation),
    ]


def case_period_statistics_create(connection: BaseDatabaseWrapper, case_model: type[Model]) -> None:
    """(Re)create the statistics object on the cases' table and fill it (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    query = Query(case_model)
    compiler = query.get_compiler(connection=connection)
    parts = []
    for expression in case_period_expressions():
        sql, params = compiler.compile(expression.resolve_expression(query))
        parts.append(f"({connection.ops.compose_sql(sql, params)})")  # type: ignore[attr-defined]
    table = connection.ops.quote_name(case_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP STATISTICS IF EXISTS {CASE_PERIOD_STATISTICS}")
        cursor.execute(
            f"CREATE STATISTICS {CASE_PERIOD_STATISTICS} ON {', '.join(parts)} FROM {table}"
        )
        cursor.execute(f"ANALYZE {table}")


def case_period_statistics_drop(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP STATISTICS IF EXISTS {CASE_PERIOD_STATISTICS}")
