"""PostgreSQL's statistics on the cases' period expressions (netral/dashboards/statistics.py,
issue 15): without them a period that cuts a month was estimated at one case, and the
dashboard joined every reported person of a national year by index probes (12.9 s)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from netral.accounts.models import User
from netral.cases.models import Case
from netral.dashboards.case_metrics import cases_in_scope
from netral.dashboards.selectors import DashboardFilters, scope_resolve
from netral.dashboards.statistics import (
    CASE_PERIOD_STATISTICS,
    case_period_statistics_create,
    case_period_statistics_drop,
)
from tests.cases.test_legal_clocks import _papua_unit
from tests.dashboards.conftest import World

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's extended statistics"
)


def _estimate(user: User, filters: DashboardFilters) -> tuple[int, int]:
    """(the planner's estimate, the real count) of the cases of a national period."""
    scope = scope_resolve(user=user, region_code=None)
    qs = cases_in_scope(user=user, scope=scope, filters=filters)
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan: Any = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"]), qs.count()


@pytest.mark.django_db
def test_a_period_that_cuts_months_is_estimated_near_its_count(dora: User, world: World) -> None:
    # given: 3,000 cases over 2024 in the three zones (WIB, WITA, WIT handling units)
    tz = timezone.get_current_timezone()
    _papua_unit()
    units = ["32.01", "64.08", "91.03"]
    Case.objects.bulk_create(
        Case(
            origin="TEMUAN",
            regime=world.pilkada.regime,
            status="DIREGISTRASI",
            channel="KANTOR",
            handling_region_id=units[i % 3],
            incident_region_id=units[i % 3],
            incident_place="Uji",
            title="Uji",
            description="Uji",
            event_date=dt.date(2024, 1, 1),
            known_date=dt.date(2024, 1, 1),
        )
        for i in range(3000)
    )
    with connection.cursor() as cursor:  # (created_at is set on insert): over 2024
        cursor.execute(
            "UPDATE cases_case SET created_at = %s + (id - (SELECT min(id) FROM cases_case))"
            " * interval '2.9 hours'",
            [dt.datetime(2024, 1, 1, 9, tzinfo=tz)],
        )
    filters = DashboardFilters(date_from=dt.date(2024, 1, 15), date_to=dt.date(2024, 10, 20))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    # when / then: with the statistics, the estimate is within a factor of two of the count
    estimated, real = _estimate(dora, filters)
    assert real > 2000
    assert real / 2 <= estimated <= real * 2, (estimated, real)
    # and without them, the planner's guess is off by far more (this test can fail)
    case_period_statistics_drop(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")
        estimated, real = _estimate(dora, filters)
        assert estimated < real / 10, (estimated, real)
    finally:
        case_period_statistics_create(connection, Case)


@pytest.mark.django_db
def test_the_migration_created_the_statistics_object() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_statistic_ext WHERE stxname = %s", [CASE_PERIOD_STATISTICS]
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_a_recount_makes_the_statistics_again() -> None:
    """A recount follows a change of the zone rule, whose expression the statistics hold."""
    from netral.dashboards.tallies import tally_rebuild

    case_period_statistics_drop(connection)
    tally_rebuild()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_statistic_ext WHERE stxname = %s", [CASE_PERIOD_STATISTICS]
        )
        assert cursor.fetchone()[0] == 1
