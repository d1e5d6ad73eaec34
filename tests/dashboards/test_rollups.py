"""The national rollups (netral/dashboards/tallies.py ROLLUPS, docs/decisions/0016): the fold
keeps each equal to its tally's folded rows cut to the province, a national view of a
national viewer reads them (with the tally's unfolded deltas) and equals the view from the
rows whatever has been folded, and nobody else reads them."""

# ruff: noqa: S608 (SQL built from the tallies' own table and column names)

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netral.accounts.models import User
from netral.cases.models import Case, Origin, PersonFinding, Status
from netral.dashboards import tallies
from netral.dashboards.models import AgencyTallyRollup, CaseTally, CaseTallyRollup
from netral.dashboards.selectors import DashboardFilters, dashboard_build
from tests.dashboards.conftest import World, _case, _person
from tests.dashboards.test_tallies import _committed_regions, _comparable, _pg_session  # noqa: F401


def _national_filters(world: World) -> list[DashboardFilters]:
    return [
        DashboardFilters(),
        DashboardFilters(event=world.pilkada),
        DashboardFilters(date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 10, 31)),
    ]


def _assert_national_views_equal_the_rows(user: User, world: World) -> None:
    from django.test import override_settings

    for filters in _national_filters(world):
        with (
            override_settings(NETRAL_DASHBOARD_TALLIES=True),
            CaptureQueriesContext(connection) as queries,
        ):
            tallied, from_tallies = _comparable(user, filters)
        with override_settings(NETRAL_DASHBOARD_TALLIES=False):
            _not, from_rows = _comparable(user, filters)
        assert tallied
        assert from_tallies == from_rows, filters
        read = " ".join(q["sql"] for q in queries.captured_queries)
        # the national views were read, the kecamatan-grain tallies were not; the agencies
        # from their national rollup of every month, or per month
        for view in ("casetallynational", "persontallynational", "codetallynational"):
            assert view in read
        assert '"dashboards_casetally"' not in read
        every_month = filters.date_from is None
        assert ("agencytallynational" in read) == every_month
        assert ("agencymonthtallynational" in read) == (not every_month)
        assert '"dashboards_persontally"' not in read


def _more_writes(world: World) -> None:
    """New cases and persons, a status change and a withdrawal: deltas of every sign."""
    o = world.officials
    new = _case(world.pilkada, Origin.LAPORAN, Status.DIREGISTRASI, "64.08.01.2002")
    _person(new, o["K2"], PersonFinding.TERBUKTI, ["POLITIK_PRAKTIS"], ["A1"])
    _person(new, None, PersonFinding.BELUM_DIPUTUS, [], subject_type="PNS", agency_name="Dinas X")
    bogor = _case(world.pilkada, Origin.TEMUAN, Status.KAJIAN, "32.01.01.1001")
    _person(bogor, o["B2"], PersonFinding.BELUM_DIPUTUS, [])
    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(status=Status.DIHENTIKAN)


@pytest.mark.django_db
def test_a_national_view_from_the_rollups_equals_the_rows_before_and_after_folds(
    dora: User, world: World
) -> None:
    # given: nothing folded yet (every tally row a delta, read through the views)
    _assert_national_views_equal_the_rows(dora, world)
    # when: folded (the rollups hold everything), then written again (rollups + deltas)
    tallies.tally_compact()
    assert CaseTallyRollup.objects.exists()
    _assert_national_views_equal_the_rows(dora, world)
    _more_writes(world)
    _assert_national_views_equal_the_rows(dora, world)
    # and folded again
    tallies.tally_compact()
    _assert_national_views_equal_the_rows(dora, world)
    assert tallies.tally_check() == tallies.in_step()


@pytest.mark.django_db
def test_the_fold_keeps_every_rollup_equal_to_its_tally_cut_to_the_province(
    world: World,
) -> None:
    tallies.tally_compact()
    _more_writes(world)
    tallies.tally_compact()
    assert tallies.tally_check() == tallies.in_step()
    # every rollup row is folded, one per key, at the province
    for rollup in tallies.ROLLUPS:
        cols = ", ".join(rollup.columns)
        with connection.cursor() as cursor:
            unit = "unit" if "unit" in rollup.columns else "''"
            cursor.execute(
                f"SELECT count(*), max(length({unit})), "
                f"sum(CASE WHEN folded THEN 0 ELSE 1 END) FROM {rollup.table}"
            )
            rows, unit_len, unfolded = cursor.fetchone()
            cursor.execute(
                f"SELECT count(*) FROM (SELECT {cols} FROM {rollup.table} "
                f"GROUP BY {cols} HAVING count(*) > 1) d"
            )
            repeated = cursor.fetchone()[0]
        assert rows > 0 or rollup.source.table == "dashboards_accounttally"  # no accounts
        assert repeated == 0, rollup.table
        assert (unit_len or 0) <= tallies.ROLLUP_UNIT_LEN
        assert not unfolded


@pytest.mark.django_db
def test_a_rollup_that_drifts_from_its_tally_is_named_by_the_check(world: World) -> None:
    tallies.tally_compact()
    row = AgencyTallyRollup.objects.first()
    AgencyTallyRollup.objects.filter(pk=row.pk).update(n=row.n + 1)
    differences = tallies.tally_check()
    assert differences[AgencyTallyRollup._meta.db_table]
    assert not any(v for k, v in differences.items() if k != AgencyTallyRollup._meta.db_table)
    # and a recount mends it
    tallies.tally_rebuild()
    assert tallies.tally_check() == tallies.in_step()


@pytest.mark.django_db
def test_a_whole_fold_and_a_recount_refill_the_rollups(
    dora: User, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tallies, "WHOLE_FOLD_DELTAS", 1)  # every fold a whole rewrite
    tallies.tally_compact()
    assert tallies.tally_check() == tallies.in_step()
    _more_writes(world)
    tallies.tally_compact()
    assert tallies.tally_check() == tallies.in_step()
    _assert_national_views_equal_the_rows(dora, world)
    CaseTallyRollup.objects.all().delete()
    tallies.tally_rebuild()
    assert CaseTallyRollup.objects.exists()
    assert tallies.tally_check() == tallies.in_step()


@pytest.mark.django_db
def test_a_narrower_viewer_does_not_read_the_rollups(alice: User, world: World) -> None:
    from django.test import override_settings

    tallies.tally_compact()
    with (
        override_settings(NETRAL_DASHBOARD_TALLIES=True),
        CaptureQueriesContext(connection) as queries,
    ):
        dashboard = dashboard_build(user=alice, filters=DashboardFilters())
    assert dashboard.tallied
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "national" not in read
    assert '"dashboards_casetally"' in read


@pytest.mark.django_db
def test_the_migration_counts_the_rollups_and_defines_the_views_as_the_code_does(
    world: World,
) -> None:
    migrations = [
        importlib.import_module(f"netral.dashboards.migrations.{name}")
        for name in ("0010_national_rollups", "0012_agency_month_rollup")
    ]
    # the views: the same SQL as the definitions in the code
    created = sorted(sql for m in migrations for sql in m.CREATE_VIEWS)
    assert sorted(r.view_sql() for r in tallies.ROLLUPS) == created
    # the fill, from the folded rows already there, equals what the fold keeps
    tallies.tally_compact()
    with connection.cursor() as cursor:
        for rollup in tallies.ROLLUPS:
            cursor.execute(f"DELETE FROM {rollup.table}")
        for m in migrations:
            for sql in m._fill(m.ROLLUPS):
                cursor.execute(sql)
    assert CaseTallyRollup.objects.exists()
    assert tallies.tally_check() == tallies.in_step()


def _national_sums() -> dict[str, dict[tuple[Any, ...], int]]:
    """Each national view summed per key, each in one statement (as a national view reads)."""
    out = {}
    with connection.cursor() as cursor:
        for rollup in tallies.ROLLUPS:
            cols = ", ".join(rollup.columns)
            cursor.execute(
                f"SELECT {cols}, SUM(n) FROM {rollup.view} GROUP BY {cols} HAVING SUM(n) <> 0"
            )
            out[rollup.view] = {tuple(r[:-1]): r[-1] for r in cursor.fetchall()}
    return out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sessions at once")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_committed_regions")
def test_a_national_read_counts_every_delta_once_while_a_fold_commits(world: World) -> None:
    """The fold moves deltas into the rollups and deletes them in one transaction; a national
    view reads the rollup and the deltas in one statement: before the fold commits it sees the
    deltas, after it the rollup, never both or neither."""
    tallies.tally_compact()
    _more_writes(world)  # committed deltas, unfolded
    before = _national_sums()
    assert CaseTally.objects.filter(folded=False).exists()
    with _pg_session() as folder:
        # when: another session folds every tally and its rollups, not yet committed
        for tally in tallies.TALLIES:
            for sql in tallies._fold_sql(tally, "postgresql"):
                folder.execute(sql)
            for rollup in tallies._rollups_of(tally):
                for sql in tallies._fold_sql(rollup.as_tally, "postgresql"):
                    folder.execute(sql)
        # then: the open fold changes nothing a reader sees
        assert _national_sums() == before
        folder.commit()
    # and once committed, the deltas are gone and counted in the rollups, once
    assert not CaseTally.objects.filter(folded=False).exists()
    assert _national_sums() == before
    assert tallies.tally_check() == tallies.in_step()
