"""Review of the dashboard tallies (netral/dashboards/tallies.py): the edges the first tests
did not reach. Each test writes through one kind of edge (codes shorter than a kecamatan,
NULL and odd JSON columns, month and day boundaries in local time, several jurisdiction
roots, pelimpahan, bulk statements, migrations going back) and asserts that the tallies
stay equal to a recount of the rows and that every dashboard reads the same from both."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from netral.accounts.models import Assignment, Role, User
from netral.cases.models import Case, Origin, PersonFinding, ReportedPerson, Status
from netral.dashboards import tallies
from netral.dashboards.selectors import DashboardFilters, dashboard_build
from netral.registry.models import Official, Region
from tests.dashboards.conftest import World, _case, _person
from tests.dashboards.test_tallies import _assert_in_step, _comparable
from tests.factories import UserFactory

TZ = timezone.get_current_timezone


def _local(*args: int, micro: int = 0) -> dt.datetime:
    return dt.datetime(*args, microsecond=micro, tzinfo=TZ())  # type: ignore[misc]


def _same_both_ways(user: User, *filter_sets: DashboardFilters) -> int:
    """Each dashboard read from the tallies equals the one read from the rows; returns how
    many of them did come from the tallies."""
    tallied_views = 0
    for filters in filter_sets:
        with override_settings(NETRAL_DASHBOARD_TALLIES=True):
            tallied, from_tallies = _comparable(user, filters)
        with override_settings(NETRAL_DASHBOARD_TALLIES=False):
            _rows, from_rows = _comparable(user, filters)
        assert from_tallies == from_rows, (user.username, filters)
        tallied_views += tallied
    return tallied_views


def _months(*pairs: tuple[dt.date, dt.date]) -> list[DashboardFilters]:
    return [DashboardFilters(date_from=a, date_to=b) for a, b in pairs]


OCTOBER = (dt.date(2024, 10, 1), dt.date(2024, 10, 31))
SEPTEMBER = (dt.date(2024, 9, 1), dt.date(2024, 9, 30))
NOVEMBER = (dt.date(2024, 11, 1), dt.date(2024, 11, 30))


@pytest.mark.django_db
def test_cases_placed_at_a_province_or_regency_count_the_same(
    alice: User, dora: User, world: World
) -> None:
    # given: incidents registered at the province and the regency themselves
    o = world.officials
    for code in ("64", "64.08", "32", "32.01"):
        case = _case(
            world.pilkada,
            Origin.TEMUAN,
            Status.DIPUTUS,
            code,
            received_at=_local(2024, 10, 7, 9),
            registered_at=_local(2024, 10, 8, 9),
            decided_at=_local(2024, 10, 9, 9),
        )
        _person(case, o["J1"], PersonFinding.TERBUKTI, ["PIDANA"], ["KE04"])
        _case(world.pilkada, Origin.LAPORAN, Status.KAJIAN, code, due_at=_local(2024, 10, 20, 12))
    _assert_in_step()
    # when / then
    views = [
        DashboardFilters(),
        DashboardFilters(region_code="64"),
        DashboardFilters(region_code="64.08"),
        DashboardFilters(region_code="32", date_from=OCTOBER[0], date_to=OCTOBER[1]),
    ]
    assert _same_both_ways(dora, *views) == len(views)
    assert _same_both_ways(alice, DashboardFilters()) == 1


@pytest.mark.django_db
def test_null_columns_and_lists_that_are_not_lists_count_the_same(
    alice: User, dora: User, world: World
) -> None:
    # given: no election, no receipt (the creation date counts), no registry link, and JSON
    # that is an object, a string, a number or a boolean
    case = _case(world.pilkada, Origin.TEMUAN, Status.KAJIAN, "64.08.01.2001")
    Case.objects.filter(pk=case.pk).update(election_event=None)
    for violations, codes in (
        ({"PIDANA": True}, "KE04"),
        ("PIDANA", {"x": 1}),
        (0, True),
        ([], []),
        (["PIDANA", "PIDANA"], ["KE04", "KE04"]),
    ):
        ReportedPerson.objects.create(
            case=case,
            name="Tanpa registri",
            subject_type="",
            finding=PersonFinding.TIDAK_TERBUKTI,
            violation_types=violations,
            skb_codes=codes,
        )
    _assert_in_step()
    # when / then
    assert _same_both_ways(dora, DashboardFilters(), DashboardFilters(region_code="64.08")) == 2
    assert _same_both_ways(alice, DashboardFilters(event=world.pilkada)) == 1


@pytest.mark.django_db
def test_a_list_holding_null_or_other_non_codes_does_not_refuse_the_write(
    dora: User, world: World
) -> None:
    # given: what the admin's JSON widget or a loader may store: a null element, a number,
    # a nested list and an object
    case = Case.objects.filter(status=Status.DIREGISTRASI).get()
    # when
    ReportedPerson.objects.create(
        case=case,
        name="Data kotor",
        subject_type="PNS",
        finding=PersonFinding.TERBUKTI,
        violation_types=[None, "PIDANA", 7, ["KE04"], {"a": 1}],
        skb_codes=[None, "KE04", True],
    )
    # then: the write went through, the tallies follow it, and both readings agree (the
    # rows' reading used to fail on the nested list: a list is no Counter key)
    _assert_in_step()
    assert _same_both_ways(dora, DashboardFilters(), DashboardFilters(region_code="64.08")) == 2


@pytest.mark.django_db
def test_a_code_longer_than_the_tally_column_does_not_refuse_the_write(
    dora: User, world: World
) -> None:
    # given: a code longer than CodeTally.code (PostgreSQL enforces the width)
    case = Case.objects.filter(status=Status.DIREGISTRASI).get()
    # when
    ReportedPerson.objects.create(
        case=case,
        name="Kode panjang",
        subject_type="PNS",
        finding=PersonFinding.TERBUKTI,
        violation_types=["V" * 80],
        skb_codes=["S" * 65, "KE04"],
    )
    # then
    _assert_in_step()
    assert _same_both_ways(dora, DashboardFilters(), DashboardFilters(region_code="64.08")) == 2


@pytest.mark.django_db
def test_the_last_instant_of_a_local_month_and_day_counts_the_same(
    alice: User, world: World
) -> None:
    # given: cases received, decided and due at the edges of local months and days,
    # with fractions of a second (SQLite keeps microseconds as text)
    edges = [
        _local(2024, 9, 30, 23, 59, 59, micro=900_000),
        _local(2024, 9, 30, 23, 59, 59, micro=999_999),
        _local(2024, 10, 1, 0, 0, 0),
        _local(2024, 10, 31, 23, 59, 59, micro=900_000),
        _local(2024, 10, 31, 23, 59, 59, micro=999_600),
        _local(2024, 11, 1, 0, 0, 0),
        _local(2024, 11, 1, 0, 0, 0, micro=1),
    ]
    for at in edges:
        _case(
            world.pilkada,
            Origin.LAPORAN,
            Status.DIPUTUS,
            "64.08.04.2001",
            received_at=at,
            registered_at=at,
            decided_at=at + dt.timedelta(days=3),
        )
        # no receipt: the month of creation counts
        created = _case(world.pilkada, Origin.TEMUAN, Status.KAJIAN, "64.08.01.2001")
        Case.objects.filter(pk=created.pk).update(created_at=at, due_at=at)
    _assert_in_step()
    # when / then
    views = _months(SEPTEMBER, OCTOBER, NOVEMBER, (SEPTEMBER[0], OCTOBER[1]))
    views.append(DashboardFilters(date_from=NOVEMBER[0]))
    views.append(DashboardFilters(date_to=SEPTEMBER[1]))
    assert _same_both_ways(alice, *views) == len(views)


@pytest.mark.django_db
def test_a_user_with_two_regency_roots_reads_the_same(world: World) -> None:
    # given: an auditor of both Kutai Timur and Bogor (two roots, no single scope), with a
    # case in each and one handled in Kutai Timur about a place outside both roots
    user = UserFactory(username="two-roots", role=Role.AUDITOR, region="64.08")
    Assignment.objects.create(user=user, role=Role.AUDITOR, region_id="32.01")
    elsewhere = _case(
        world.pilkada, Origin.LAPORAN, Status.DIPUTUS, "61", received_at=_local(2024, 10, 3)
    )
    Case.objects.filter(pk=elsewhere.pk).update(handling_region_id="64.08")
    _person(elsewhere, None, PersonFinding.TERBUKTI, ["PIDANA"], subject_type="PNS")
    # when / then
    views = [
        DashboardFilters(),
        DashboardFilters(event=world.pilkada, date_from=OCTOBER[0], date_to=OCTOBER[1]),
        DashboardFilters(region_code="32.01"),
        DashboardFilters(region_code="64.08"),
    ]
    assert _same_both_ways(user, *views) == len(views)
    dashboard = dashboard_build(user=user, filters=DashboardFilters())
    assert dashboard.scope_code is None
    assert [u.code for u in dashboard.units] == ["32.01", "64.08"]


@pytest.mark.django_db
def test_a_user_with_roots_at_two_levels_reads_the_same(world: World) -> None:
    # given: roots of different lengths (a province and another province's regency)
    user = UserFactory(username="mixed-roots", role=Role.AUDITOR, region="32")
    Assignment.objects.create(user=user, role=Role.AUDITOR, region_id="64.08")
    _case(world.pilkada, Origin.TEMUAN, Status.DIPUTUS, "64", decided_at=_local(2024, 10, 9))
    # when / then
    views = [DashboardFilters(), DashboardFilters(date_from=OCTOBER[0], date_to=OCTOBER[1])]
    assert _same_both_ways(user, *views) == len(views)
    assert [u.code for u in dashboard_build(user=user, filters=views[0]).units] == [
        "32",
        "64.08",
    ]


@pytest.mark.django_db
def test_a_reimport_that_moves_and_recategorises_officials_keeps_the_tallies_in_step(
    tmp_path: Any, dora: User, world: World
) -> None:
    from pathlib import Path

    from django.core.management import call_command

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "officials"
    good = fixtures / "good_comma.csv"
    call_command("import_officials", str(good), stdout=StringIO())
    _assert_in_step()
    # when: the same people again, in another kecamatan and category (UPDATE ... FROM)
    text = good.read_text(encoding="utf-8")
    moved = tmp_path / "moved.csv"
    moved.write_text(
        text.replace(",fungsional,", ",pelaksana,").replace(",64.08.04,", ",64.08.01,"),
        encoding="utf-8",
    )
    call_command("import_officials", str(moved), stdout=StringIO())
    seno = Official.objects.get(nip="198403222009021004")
    assert (seno.region_id, seno.position_category) == ("64.08.01", "PELAKSANA")
    # then
    _assert_in_step()
    assert _same_both_ways(dora, DashboardFilters(), DashboardFilters(region_code="64.08")) == 2


@pytest.mark.django_db
def test_a_scope_whose_units_have_no_rows_reads_the_same(dora: User, world: World) -> None:
    # Kalimantan Barat (61) and Kotawaringin Barat (62.01) hold regions but no data.
    views = [DashboardFilters(region_code="61"), DashboardFilters(region_code="62.01")]
    assert _same_both_ways(dora, *views) == len(views)


@pytest.mark.django_db
def test_pelimpahan_counts_the_same(alice: User, dora: User, world: World) -> None:
    from netral.cases.services import case_forward

    # given: a received report with a registry-linked reported person, and a provincial
    # unit to forward it to
    UserFactory(username="prov", role=Role.BAWASLU_PROVINSI, region="64")
    case = _case(
        world.pilkada,
        Origin.LAPORAN,
        Status.DITERIMA,
        "64.08.04.2001",
        received_at=_local(2024, 10, 30, 22),
    )
    _person(case, world.officials["P2"], PersonFinding.BELUM_DIPUTUS, ["PIDANA"], ["KE04"])
    # when
    case_forward(case=case, actor=alice, destination=Region.objects.get(code="64"), note="x")
    # then
    _assert_in_step()
    views = [DashboardFilters(), DashboardFilters(region_code="64.08")]
    assert _same_both_ways(dora, *views) == len(views)
    assert _same_both_ways(alice, DashboardFilters()) == 1


@pytest.mark.django_db
def test_bulk_statements_keep_the_tallies_in_step(dora: User, world: World) -> None:
    o = world.officials
    c1 = Case.objects.filter(status=Status.DITERUSKAN).order_by("pk").first()
    assert c1 is not None
    # every reported person moved to one case in one statement, and back to two
    ReportedPerson.objects.update(case=c1)
    _assert_in_step()
    # many officials and cases changed in one statement each, with several keys at once
    Official.objects.filter(region__code__startswith="64.08").update(
        position_category="PELAKSANA", region_id="64.08.04.2011"
    )
    Case.objects.exclude(status=Status.DRAFT_PUBLIK).update(
        incident_region_id="32.01.01.1001", received_at=_local(2024, 12, 31, 23, 59, 59)
    )
    _assert_in_step()
    # a raw statement that swaps columns between rows
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_reportedperson SET official_id = %s WHERE official_id IS NULL",
            [o["B2"].pk],
        )
        cursor.execute("UPDATE registry_official SET is_active = NOT is_active")
    _assert_in_step()
    # cases deleted in bulk with the reported persons moved onto them in one statement
    doomed = [
        _case(world.pemilu, Origin.LAPORAN, Status.DITERIMA, code, received_at=_local(2024, 2, 9))
        for code in ("64.08.01.2002", "32.01.01.1001")
    ]
    ReportedPerson.objects.filter(recommendations__isnull=True).update(case=doomed[0])
    ReportedPerson.objects.filter(official=o["B2"]).update(case=doomed[1])
    _assert_in_step()
    Case.objects.filter(pk__in=[c.pk for c in doomed]).delete()
    _assert_in_step()
    assert _same_both_ways(dora, DashboardFilters(), DashboardFilters(region_code="64.08")) == 2


@pytest.mark.django_db
def test_overdue_at_local_midnight_counts_the_same(alice: User, world: World) -> None:
    import time_machine

    # given: deadlines just before, at and after the local midnight starting 5 November
    for due in (
        _local(2024, 11, 3, 23, 59, 59, micro=999_900),
        _local(2024, 11, 4, 23, 59, 59, micro=900_000),
        _local(2024, 11, 5, 0, 0, 0),
        _local(2024, 11, 5, 0, 0, 0, micro=1),
    ):
        _case(world.pilkada, Origin.TEMUAN, Status.KAJIAN, "64.08.04.2001", due_at=due)

    def overdue(filters: DashboardFilters) -> tuple[bool, Any]:
        dashboard = dashboard_build(user=alice, filters=filters)
        timing = dashboard.table("decision_timing")
        return dashboard.tallied, next(r[1] for r in timing.rows if "terbuka" in str(r[0]))

    for now, expected in (
        (_local(2024, 11, 5, 0, 0, 0), 3),  # C4 (due 1 Nov) + the two before midnight
        (_local(2024, 11, 5, 0, 0, 0, micro=1), 4),
        (_local(2024, 11, 4, 23, 59, 59, micro=950_000), 3),
    ):
        with time_machine.travel(now, tick=False):
            for filters in (DashboardFilters(), DashboardFilters(date_from=OCTOBER[0])):
                with override_settings(NETRAL_DASHBOARD_TALLIES=True):
                    assert overdue(filters) == (True, expected), now
                with override_settings(NETRAL_DASHBOARD_TALLIES=False):
                    assert overdue(filters) == (False, expected), now


@pytest.mark.django_db
def test_migrating_the_tallies_back_leaves_the_cases_writable(world: World) -> None:
    # given: what `migrate dashboards 0003` leaves behind (the national views and rollups
    # dropped by 0010 going back, then the DueTally table by 0004), then post_migrate
    with connection.cursor() as cursor:
        for rollup in tallies.ROLLUPS:
            cursor.execute(f"DROP VIEW {rollup.view}")
            cursor.execute(f"DROP TABLE {rollup.table}")
        cursor.execute("DROP TABLE dashboards_duetally")
    # when: post_migrate runs after every migrate, forwards or back
    tallies.tally_ensure(using="default")
    # then: the cases can still be written
    _case(world.pilkada, Origin.TEMUAN, Status.KAJIAN, "64.08.04.2001", due_at=_local(2024, 11, 9))
    Case.objects.update(status=Status.KAJIAN)


@pytest.fixture(params=["staged", "direct"])
def bulk_import(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every import a bulk one: one INSERT ... SELECT from the staging table, or (into an
    empty registry) loaded directly, batch by batch (services/import_direct.py). The tests
    ask for the direct load as the command line does (`direct_load=True`); DIRECT_LOAD_FROM
    decides which of the two they get."""
    from netral.registry.services import import_sql
    from netral.registry.services import officials_import as service

    monkeypatch.setattr(import_sql, "BULK_INSERT_FROM", 1)
    monkeypatch.setattr(service, "DIRECT_LOAD_FROM", 0 if request.param == "direct" else 10**9)
    monkeypatch.setattr(service, "BATCH", 2)  # several batches
    return str(request.param)


def _assert_counted_and_trigger_back() -> None:
    """The tallies match the rows, and the row trigger is back for the writes that follow."""
    from tests.factories import OfficialFactory

    _assert_in_step()
    assert tallies.installed_triggers() == tallies.expected_triggers()
    OfficialFactory(region_id="64.08.04", subject_type="LURAH")
    _assert_in_step()


def _import(name: str) -> Any:
    """As the command line imports (`direct_load=True`), a file of tests/fixtures/officials."""
    from netral.registry.services.officials_import import officials_import
    from tests.registry.helpers import fixture

    return officials_import(file=fixture(name), source_name=name, direct_load=True)


@pytest.mark.django_db
def test_a_bulk_import_counts_its_officials_once_grouped_and_keeps_the_trigger(
    bulk_import: str, world: World
) -> None:
    from django.core.management import call_command

    from tests.registry.helpers import OFFICIALS_FIXTURES

    # when
    call_command("import_officials", str(OFFICIALS_FIXTURES / "good_comma.csv"), stdout=StringIO())
    # then
    _assert_counted_and_trigger_back()


@pytest.mark.django_db
def test_a_bulk_import_into_an_empty_registry_is_counted_and_keeps_the_trigger(
    bulk_import: str,
) -> None:
    assert not Official.objects.exists()  # (direct: the whole file is one load)
    # when
    assert _import("good_comma.csv").ok
    # then
    assert Official.objects.count() == 4
    _assert_counted_and_trigger_back()


@pytest.mark.django_db
def test_a_bulk_import_refused_by_a_unique_index_leaves_the_trigger_in_place(
    bulk_import: str,
) -> None:
    assert not Official.objects.exists()  # the optimistic path: the INSERT itself fails
    # when
    result = _import("bad_duplicate_identifier.csv")
    # then
    assert [(e.row, e.field) for e in result.errors] == [(3, "nip")]
    assert tallies.installed_triggers() == tallies.expected_triggers()
    _assert_in_step()
