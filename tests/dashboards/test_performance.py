"""What the dashboard's speed rests on (docs/benchmarks.md, "dashboards"): the scope as one
index range that holds exactly the subtree, the covering indexes of migration 0001, and
the PostgreSQL work_mem raised only for the dashboard's own queries."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from netral.accounts.models import User
from netral.cases.models import Case, Status
from netral.dashboards.case_metrics import local_date
from netral.dashboards.selectors import DashboardFilters, Scope, dashboard_build
from netral.registry.models import Region
from tests.dashboards.conftest import World

COVERING = "netral.dashboards.migrations.0001_dashboard_covering_indexes"
TALLIES = "netral.dashboards.migrations.0002_tallies"


def _indexes() -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...], str]]:
    """The covering indexes of 0001 that 0002 did not drop (the officials' two gave way to
    the tallies)."""
    dropped = importlib.import_module(TALLIES).DROPPED
    indexes = importlib.import_module(COVERING).INDEXES
    return {k: v for k, v in indexes.items() if k not in dropped}  # type: ignore[no-any-return]


@pytest.mark.django_db
def test_the_official_covering_indexes_are_gone() -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "registry_official")
    assert not {"dash_official_active_unit", "dash_official_id_cover"} & set(found)


@pytest.mark.django_db
def test_scope_range_holds_exactly_the_subtree() -> None:
    codes = list(Region.objects.values_list("code", flat=True))
    scopes = [c for c in codes if len(c) <= 8]  # provinces, regencies, kecamatan
    assert len(scopes) > 50
    for code in scopes:
        scope = Scope(code=code, name=code, units=[], unit_len=0)
        # when
        found = set(Region.objects.filter(scope.q("code")).values_list("code", flat=True))
        # then: the code itself and its descendants, by the prefix rule of access.py
        assert found == {c for c in codes if c == code or c.startswith(code + ".")}, code


@pytest.mark.django_db
def test_the_covering_indexes_exist() -> None:
    wanted = _indexes()
    with connection.cursor() as cursor:
        for name, (table, keys, covered, _where) in wanted.items():
            # when
            found = connection.introspection.get_constraints(cursor, table)
            # then
            assert name in found, name
            assert found[name]["index"]
            if connection.vendor == "sqlite":  # no INCLUDE: covered columns trail the keys
                assert found[name]["columns"] == [*keys, *covered]
            else:
                assert found[name]["columns"][: len(keys)] == list(keys)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem is PostgreSQL's")
def test_work_mem_is_raised_for_the_dashboard_only(dora: User, world: World, settings: Any) -> None:
    settings.NETRAL_DASHBOARD_WORK_MEM = "48MB"
    seen: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "set_config('work_mem'" in sql:
            seen.append(str(params[0]))
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
    # when
    with connection.execute_wrapper(record):
        dashboard_build(user=dora, filters=DashboardFilters())
    # then: raised for the build, the previous value back afterwards
    assert seen == ["48MB", before]
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before


@pytest.mark.django_db
def test_local_dates_match_python_at_the_edges_of_a_day(world: World) -> None:
    case = Case.objects.exclude(status=Status.DRAFT_PUBLIK).first()
    assert case is not None
    edges = [
        dt.datetime(2024, 10, 5, 16, 59, 59, 999999, tzinfo=dt.UTC),  # 23:59:59 WIB
        dt.datetime(2024, 10, 5, 17, 0, tzinfo=dt.UTC),  # 00:00 WIB the next day
        dt.datetime(2024, 12, 31, 17, 0, tzinfo=dt.UTC),  # new year in WIB
    ]
    for instant in edges:
        Case.objects.filter(pk=case.pk).update(decided_at=instant)
        # when
        day, month = (
            Case.objects.filter(pk=case.pk)
            .annotate(d=local_date("decided_at"), m=local_date("decided_at", month=True))
            .values_list("d", "m")
            .get()
        )
        # then
        local = timezone.localtime(instant)
        assert day == local.date(), instant
        assert (month.year, month.month, month.day) == (local.year, local.month, 1), instant


@pytest.mark.django_db
def test_the_overdue_count_has_its_covering_index() -> None:
    from netral.cases.models import CLOSED_STATUSES

    migration = importlib.import_module("netral.dashboards.migrations.0003_case_due_cover_index")
    # the partial index names the closed statuses the count excludes (PostgreSQL)
    assert set(migration.CLOSED) == set(CLOSED_STATUSES)
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "cases_case")
    assert found[migration.NAME]["columns"][0] == "due_at"
