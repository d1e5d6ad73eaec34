"""The dashboard tallies (netral/dashboards/tallies.py): the triggers keep them equal to a
recount of the rows through every kind of write, compaction keeps the sums, a lost trigger
is noticed and mended, and a dashboard read from the tallies equals the one read from the
rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from netral.accounts import access
from netral.accounts.models import User
from netral.cases.models import Case, Origin, PersonFinding, ReportedPerson, Status
from netral.dashboards import tallies
from netral.dashboards.models import CaseTally, OfficialTally
from netral.dashboards.selectors import DashboardFilters, dashboard_build
from netral.registry.models import Agency, Official, PositionCategory
from tests.dashboards.conftest import World, _case, _person
from tests.factories import OfficialFactory


def _assert_in_step() -> None:
    differences = tallies.tally_check()
    assert differences == tallies.in_step()


def _comparable(user: User, filters: DashboardFilters) -> tuple[bool, dict[str, Any]]:
    dashboard = dashboard_build(user=user, filters=filters)
    data = dataclasses.asdict(dashboard)
    data.pop("generated_at")
    return data.pop("tallied"), data


def _filter_sets(world: World) -> list[DashboardFilters]:
    october = {"date_from": dt.date(2024, 10, 1), "date_to": dt.date(2024, 10, 31)}
    return [
        DashboardFilters(),
        DashboardFilters(event=world.pilkada),
        DashboardFilters(event=world.pemilu),
        DashboardFilters(**october),
        DashboardFilters(region_code="64", event=world.pilkada, **october),
        DashboardFilters(region_code="64.08"),
        DashboardFilters(region_code="32.01", date_from=dt.date(2024, 9, 1)),
        # a period that cuts months: the cases from the rows, the registry from the tallies
        DashboardFilters(date_from=dt.date(2024, 9, 20), date_to=dt.date(2024, 10, 12)),
        DashboardFilters(region_code="64.08", date_from=dt.date(2024, 10, 2)),
    ]


def _assert_same_from_tallies_and_rows(
    users: list[User], world: World, filter_sets: list[DashboardFilters] | None = None
) -> int:
    """Every view of `users` (default filters: `_filter_sets`) read from the tallies where
    they apply equals the one read from the rows; how many came from the tallies alone."""
    tallied_views = 0
    for user in users:
        for filters in _filter_sets(world) if filter_sets is None else filter_sets:
            if filters.region_code and not access.covers(user, filters.region_code):
                continue
            with override_settings(NETRAL_DASHBOARD_TALLIES=True):
                tallied, from_tallies = _comparable(user, filters)
            with override_settings(NETRAL_DASHBOARD_TALLIES=False):
                not_tallied, from_rows = _comparable(user, filters)
            assert not not_tallied
            assert from_tallies == from_rows, (user.username, filters)
            tallied_views += tallied
    return tallied_views


@pytest.mark.django_db
def test_a_dashboard_from_the_tallies_equals_the_one_from_the_rows(
    alice: User, dora: User, world: World
) -> None:
    # when / then: every view of both users, read both ways
    tallied = _assert_same_from_tallies_and_rows([alice, dora], world)
    # and the regency and national views did come from the tallies
    assert tallied >= 10


@pytest.mark.django_db
def test_a_kecamatan_or_a_part_of_a_month_reads_the_rows(alice: User, world: World) -> None:
    for filters in (
        DashboardFilters(region_code="64.08.04"),
        DashboardFilters(date_from=dt.date(2024, 10, 2)),
        DashboardFilters(date_to=dt.date(2024, 10, 30)),
    ):
        assert not dashboard_build(user=alice, filters=filters).tallied
    assert dashboard_build(user=alice, filters=DashboardFilters()).tallied


@pytest.mark.django_db
def test_a_part_of_a_month_reads_the_registry_from_the_tallies(alice: User, world: World) -> None:
    """Officials and their accounts are not dated: a period that cuts a month reads its cases
    from the rows, but never groups the registry's rows (issue 15: 4.7 of the 7.1 s of such a
    national view at 5,000,000 officials)."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    filters = DashboardFilters(date_from=dt.date(2024, 10, 5), date_to=dt.date(2024, 10, 20))
    with override_settings(NETRAL_DASHBOARD_TALLIES=True), CaptureQueriesContext(conn) as ctx:
        dashboard = dashboard_build(user=alice, filters=filters)
    assert not dashboard.tallied
    grouped = [
        q["sql"]
        for q in ctx.captured_queries
        if "GROUP BY" in q["sql"]
        and ('FROM "registry_official"' in q["sql"] or 'FROM "registry_socialaccount"' in q["sql"])
        and "patrol_" not in q["sql"]  # the accounts checked in the period: dated, counted
    ]
    assert grouped == []
    assert any('"dashboards_officialtally' in q["sql"] for q in ctx.captured_queries)
    assert any('FROM "cases_case"' in q["sql"] for q in ctx.captured_queries)
    # whether the tallies are current is asked once for the whole build
    state = [q for q in ctx.captured_queries if '"dashboards_tallystate"' in q["sql"]]
    assert len(state) == 1
    # and a kecamatan still counts its officials from the rows (the tallies' finest unit)
    with override_settings(NETRAL_DASHBOARD_TALLIES=True), CaptureQueriesContext(conn) as ctx:
        dashboard_build(user=alice, filters=DashboardFilters(region_code="64.08.04"))
    assert not any('"dashboards_officialtally' in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_a_period_that_cuts_months_sums_its_whole_months_tallies_and_its_ends_rows(
    alice: User, dora: User, world: World
) -> None:
    """A campaign from 20 September to 12 November: October from the tallies, the days of
    September and November from the rows (case_metrics.period_plan); the same dashboard as
    from the rows alone, every agency ranked on its whole count."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    o = world.officials
    agency = Agency.objects.create(name="Dinas Kampanye Uji", kind="KAB_KOTA", region_id="64.08")
    for key in ("K1", "P1"):  # registry agencies, whose typed namesakes merge with them
        o[key].agency = agency
        o[key].save()
    for day, month, official in ((22, 9, "K1"), (28, 9, "P1"), (3, 11, "K2"), (30, 11, "K1")):
        case = _case(
            world.pilkada,
            Origin.LAPORAN,
            Status.DIREGISTRASI,
            official_region(o[official]),
            received_at=dt.datetime(2024, month, day, 9, tzinfo=timezone.get_current_timezone()),
        )
        _person(case, o[official], PersonFinding.TERBUKTI, ["NETRALITAS"])
        _person(
            case,
            None,
            PersonFinding.BELUM_DIPUTUS,
            [],
            subject_type=o[official].subject_type,
            agency_name=agency.name if month == 9 else "Dinas Ketik",
        )
    campaign = DashboardFilters(date_from=dt.date(2024, 9, 20), date_to=dt.date(2024, 11, 12))
    periods = [
        campaign,
        DashboardFilters(date_from=dt.date(2024, 9, 25)),
        DashboardFilters(date_to=dt.date(2024, 11, 5), event=world.pilkada),
        DashboardFilters(region_code="64.08", date_from=dt.date(2024, 9, 21)),
    ]
    # (none of these periods is whole months: none is read from the tallies alone)
    assert _assert_same_from_tallies_and_rows([alice, dora], world, periods) == 0
    # and the whole month came from the tallies, the ends from the rows
    with override_settings(NETRAL_DASHBOARD_TALLIES=True), CaptureQueriesContext(conn) as ctx:
        dashboard = dashboard_build(user=dora, filters=campaign)
    assert not dashboard.tallied  # (not from the tallies alone)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert any("dashboards_casetally" in q for q in sql)
    assert any('FROM "cases_reportedperson"' in q for q in sql)
    october = dashboard_build(
        user=dora,
        filters=DashboardFilters(date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 10, 31)),
    )
    # October's cases and the three new ones inside the period (22 and 28 September, 3 November)
    assert _figure(dashboard, "cases") == _figure(october, "cases") + 3


def _figure(dashboard: Any, key: str) -> Any:
    return next(f.value for f in dashboard.figures if f.key == key)


def official_region(official: Official) -> str:
    return str(official.region_id)


@pytest.mark.django_db
def test_the_tallies_follow_every_kind_of_write(alice: User, dora: User, world: World) -> None:
    o = world.officials
    _assert_in_step()  # the fixtures' own inserts
    # a public draft becomes a case: it and its reported person start to count
    draft = Case.objects.get(status=Status.DRAFT_PUBLIK)
    _person(draft, o["P2"], PersonFinding.BELUM_DIPUTUS, ["PIDANA"], ["KE04"])
    _assert_in_step()
    draft.status = Status.DITERIMA
    draft.received_at = dt.datetime(2024, 11, 3, 23, 30, tzinfo=timezone.get_current_timezone())
    draft.save()
    _assert_in_step()
    # a decision, an extension, a new place and another event, one field at a time
    case = Case.objects.get(status=Status.DIREGISTRASI)
    case.extended_at = case.registered_at
    case.decided_at = dt.datetime(2024, 10, 31, 23, 59, 59, tzinfo=timezone.get_current_timezone())
    case.save()
    case.incident_region_id = "64.08.04.2011"
    case.save()
    case.election_event = world.pemilu
    case.save()
    _assert_in_step()
    # a bulk UPDATE of many cases, and one of a column no tally reads
    Case.objects.filter(incident_region__code__startswith="64.08").update(status=Status.SELESAI)
    Case.objects.update(title="Judul baru")
    _assert_in_step()
    # reported persons: a finding and its lists change, one moves to another case, one goes
    person = ReportedPerson.objects.filter(official=o["K3"]).get()
    person.finding = PersonFinding.TIDAK_TERBUKTI
    person.violation_types = ["BUKAN_PELANGGARAN"]
    person.skb_codes = ["DS06", "KE04"]
    person.save()
    person.case = case
    person.save()
    ReportedPerson.objects.filter(agency_name="Dinas Uji").delete()
    _assert_in_step()
    # officials: a new category and agency (seen through their cases), a move, retirement
    p1 = o["P1"]
    p1.position_category = PositionCategory.ADMINISTRATOR
    p1.agency = Agency.objects.create(name="Dinas Uji Tally", kind="KAB_KOTA", region_id="64.08")
    p1.save()
    o["K1"].region_id = "64.08.04.2011"
    o["K1"].save()
    o["B2"].is_active = False
    o["B2"].save()
    _assert_in_step()
    # new officials, one at a time and in bulk, and one deleted
    OfficialFactory(region_id="64.08.01.2001", subject_type="PNS")
    Official.objects.bulk_create(
        [
            Official(
                name=f"Baru {i}",
                name_folded=f"baru {i}",
                subject_type="PPPK",
                region_id="32.01.01.1001",
            )
            for i in range(3)
        ]
    )
    _assert_in_step()
    Official.objects.filter(name="Baru 1").delete()
    _assert_in_step()
    # bulk inserts (one statement for many rows) and deleting a case with its persons
    created = Case.objects.bulk_create(
        [
            Case(
                origin=Origin.TEMUAN,
                regime="PILKADA",
                election_event=world.pilkada,
                status=Status.DIREGISTRASI,
                channel="KANTOR",
                incident_region_id=code,
                incident_place="x",
                title="x",
                description="x",
                event_date=dt.date(2024, 12, 1),
                known_date=dt.date(2024, 12, 1),
                registered_at=timezone.now(),
            )
            for code in ("64.08.01.2001", "32.01.01.1001", "64.08")
        ]
    )
    ReportedPerson.objects.bulk_create(
        [
            ReportedPerson(case=c, name="x", subject_type="PNS", violation_types=["PIDANA"])
            for c in created
        ]
    )
    _assert_in_step()
    doomed = _case(world.pilkada, Origin.LAPORAN, Status.DITERIMA, "64.08.01.2002")
    _person(doomed, o["K2"], PersonFinding.BELUM_DIPUTUS, ["PIDANA"])
    _assert_in_step()
    doomed.delete()
    _assert_in_step()
    # and after all that the dashboards still agree both ways
    assert _assert_same_from_tallies_and_rows([alice, dora], world) >= 10


@pytest.mark.django_db
def test_compaction_keeps_the_sums_and_drops_what_cancels(world: World) -> None:
    official = world.officials["P2"]
    for category in ("JPT", "PENGAWAS", "PELAKSANA", PositionCategory.FUNGSIONAL):
        official.position_category = category
        official.save()
    before = OfficialTally.objects.count()
    # when
    left = tallies.tally_compact()
    # then: one row per key, none that sums to zero, the same sums
    assert OfficialTally.objects.count() < before
    assert not OfficialTally.objects.filter(n=0).exists()
    keys = OfficialTally.objects.values_list("unit", "subject_type", "position_category")
    assert len(set(keys)) == len(keys)
    tally_models = [
        m for m in apps.get_app_config("dashboards").get_models() if m.__name__.endswith("Tally")
    ]
    assert len(tally_models) == len(tallies.TALLIES)
    assert left == sum(m._default_manager.count() for m in tally_models)
    _assert_in_step()


@pytest.mark.django_db
def test_a_lost_trigger_is_noticed_and_the_tallies_recounted(world: World) -> None:
    # a SQLite table rebuild by a later migration, say, drops the table's triggers
    with connection.cursor() as cursor:
        for sql in tallies.uninstall_sql(connection.vendor):
            cursor.execute(sql)
    case = Case.objects.filter(status=Status.DIREGISTRASI).get()
    case.status = Status.KAJIAN
    case.save()  # unseen by the tallies
    assert tallies.tally_problem() == "triggers missing"
    assert any(tallies.tally_check().values())
    # when: what post_migrate runs after every migrate
    tallies.tally_ensure(using="default")
    # then
    assert tallies.installed_triggers() == tallies.expected_triggers()
    assert tallies.tally_problem() is None
    _assert_in_step()


@pytest.mark.django_db
def test_another_zone_rule_or_definition_asks_for_a_rebuild(world: World) -> None:
    from netral.dashboards.models import TallyState

    assert tallies.tally_problem() is None
    # the days are each case's unit's (WIB, WITA or WIT): TIME_ZONE does not move them
    with override_settings(TIME_ZONE="Asia/Jayapura"):
        assert tallies.tally_problem() is None
    # tallies counted in the server's zone, before the days followed each unit's
    TallyState.objects.update(time_zone="Asia/Jakarta")
    assert tallies.tally_problem() == (
        "counted in time zone Asia/Jakarta, this code counts in WIB/WITA/WIT (unit)"
    )
    TallyState.objects.update(time_zone=tallies.UNIT_ZONES, definition="old")
    assert tallies.tally_problem() == "definitions changed"


@pytest.mark.django_db
def test_the_sql_zone_of_a_region_code_is_zone_for_code() -> None:
    """One mapping of province codes to zones (netral.core.zones.PREFIXES) for Python and
    for the SQL the tallies and the dashboard bucket days with."""
    from netral.core.zones import zone_for_code, zone_sql

    codes = ["11", "31.71", "36", "51.02", "53", "61.01", "62", "63.71", "64.08.04", "65"]
    codes += ["71", "76.01", "81", "82.01", "91.03", "94", "97", "", "x"]
    sql = zone_sql("code", lambda z: f"'{z.abbreviation}'")
    with connection.cursor() as cursor:
        for code in [*codes, None]:
            cursor.execute(f"SELECT {sql} FROM (SELECT %s AS code) t", [code])  # noqa: S608
            assert cursor.fetchone()[0] == zone_for_code(code).abbreviation, code


@pytest.mark.django_db
def test_the_command_checks_compacts_and_rebuilds(world: World) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("dashboard_tallies", "--check", stdout=out)
    call_command("dashboard_tallies", "--compact", stdout=out)
    assert "Tally sama dengan data." in out.getvalue()
    assert f"Tally dipadatkan: {tallies.tally_rows()} baris." in out.getvalue()
    # a tally row written by hand is a difference the check reports
    OfficialTally.objects.create(unit="64.08.01", subject_type="PNS", position_category="", n=1)
    with pytest.raises(CommandError, match="1 kunci tally berbeda"):
        call_command("dashboard_tallies", "--check", stdout=out, stderr=StringIO())
    call_command("dashboard_tallies", "--rebuild", stdout=out)
    call_command("dashboard_tallies", "--check", stdout=out)
    _assert_in_step()


@pytest.mark.django_db
def test_an_import_leaves_the_tallies_folded_and_in_step(world: World) -> None:
    from pathlib import Path

    from django.core.management import call_command

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "officials"
    tallies.tally_compact()
    folded = OfficialTally.objects.count()
    # when
    call_command("import_officials", str(fixtures / "good_comma.csv"), stdout=StringIO())
    # then: the new officials counted, one row per key (bulk_written folded them)
    _assert_in_step()
    keys = list(OfficialTally.objects.values_list("unit", "subject_type", "position_category"))
    assert len(keys) == len(set(keys)) > folded


@pytest.mark.django_db
def test_overdue_counts_the_days_before_today_from_the_tallies_and_today_from_the_rows(
    alice: User, world: World
) -> None:
    import time_machine

    tz = timezone.get_current_timezone()
    noon = dt.datetime(2024, 11, 5, 12, 0, tzinfo=tz)
    for due in (  # yesterday, earlier today, later today, tomorrow
        dt.datetime(2024, 11, 4, 23, 59, tzinfo=tz),
        dt.datetime(2024, 11, 5, 8, 0, tzinfo=tz),
        dt.datetime(2024, 11, 5, 18, 0, tzinfo=tz),
        dt.datetime(2024, 11, 6, 0, 0, tzinfo=tz),
    ):
        _case(world.pilkada, Origin.TEMUAN, Status.KAJIAN, "64.08.04.2001", due_at=due)

    def overdue() -> tuple[bool, Any]:
        dashboard = dashboard_build(user=alice, filters=DashboardFilters())
        timing = dashboard.table("decision_timing")
        return dashboard.tallied, next(r[1] for r in timing.rows if "terbuka" in str(r[0]))

    with time_machine.travel(noon, tick=False):
        with override_settings(NETRAL_DASHBOARD_TALLIES=True):
            from_tallies = overdue()
        with override_settings(NETRAL_DASHBOARD_TALLIES=False):
            from_rows = overdue()
    # C4 (due 1 Nov, the fixtures) + yesterday + earlier today
    assert from_tallies == (True, 3)
    assert from_rows == (False, 3)


def _pg_session() -> Any:
    import psycopg

    return psycopg.connect(**connection.get_connection_params())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's table locks")
@pytest.mark.django_db
def test_a_report_filed_during_a_fold_does_not_wait_for_it(world: World) -> None:
    official = world.officials["P2"]
    official.position_category = "JPT"
    official.save()  # deltas to fold in every tally an official moves
    case = Case.objects.filter(status=Status.DIREGISTRASI).get()
    case.status = Status.KAJIAN
    case.save()
    with transaction.atomic():
        # given: a fold done but not yet committed (its locks still held)
        tallies.tally_compact()
        with _pg_session() as writer:
            writer.execute("SET lock_timeout = '1s'")
            # when: a public report's trigger appends its deltas
            writer.execute(
                "INSERT INTO dashboards_casetally (unit, event_id, month, origin, status, "
                "registered, n) VALUES ('64.08.01', 0, '2024-10-01', 'LAPORAN', 'BARU', "
                "false, 1)"
            )
            writer.execute(
                "INSERT INTO dashboards_persontally (unit, event_id, month, finding, "
                "subject_type, position_category, agency_id, agency_name, n) VALUES "
                "('64.08.01', 0, '2024-10-01', 'X', 'PNS', '', 0, '', 1)"
            )
            # then: it was not made to wait (lock_timeout would have raised)
            writer.rollback()
    _assert_in_step()


@pytest.fixture
def _committed_regions(transactional_db: Any) -> None:
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS

    regions_load(path=SAMPLE_REGIONS, edition="sample")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sessions at once")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_committed_regions")
def test_a_delta_committed_after_a_fold_began_is_folded_once_later(world: World) -> None:
    """A writer's delta rows get their ids when written, not when committed: a fold that
    runs between the two neither loses them nor counts them twice."""
    tallies.tally_compact()
    early = Case.objects.filter(status=Status.DIREGISTRASI).get()
    with _pg_session() as writer:
        # given: a writer whose deltas take ids now and commit later
        writer.execute(
            "UPDATE cases_case SET status = %s WHERE id = %s", [Status.KAJIAN.value, early.id]
        )
        (their_id,) = writer.execute("SELECT max(id) FROM dashboards_casetally").fetchone()
        # and a later writer, committed first, with higher ids
        official = world.officials["P2"]
        official.position_category = "JPT"
        official.save()
        late = Case.objects.exclude(id=early.id).exclude(status=Status.KAJIAN).first()
        assert late is not None
        late.status = Status.KAJIAN
        late.save()
        assert CaseTally.objects.filter(folded=False).order_by("id").first().id > their_id
        # when: the fold runs while the first writer is still open
        start = time.monotonic()
        tallies.tally_compact()
        # then: it did not wait for it, and folded what was committed
        assert time.monotonic() - start < 1
        assert not CaseTally.objects.filter(folded=False).exists()
        writer.commit()
    # the early writer's deltas, committed below the fold's ids, still count, once
    assert CaseTally.objects.filter(folded=False, id__lte=their_id).exists()
    _assert_in_step()
    tallies.tally_compact()
    assert not CaseTally.objects.filter(folded=False).exists()
    keys = list(CaseTally.objects.values_list(*tallies.TALLIES[1].columns))
    assert len(keys) == len(set(keys))
    _assert_in_step()


@pytest.mark.django_db
def test_a_fold_rewrites_only_the_keys_its_deltas_touch(world: World) -> None:
    from netral.dashboards import models as tally_models

    tallies.tally_compact()
    before = {
        t.table: dict(m.objects.values_list("id", "n"))
        for t, m in zip(tallies.TALLIES, _tally_models(), strict=True)
    }
    # when: one official changes category, one case is decided
    official = world.officials["P2"]
    official.position_category = "JPT"
    official.save()
    tallies.tally_compact()
    # then: the official tally kept every row of another key as it was (same id, same n)
    after = dict(tally_models.OfficialTally.objects.values_list("id", "n"))
    kept = {i: n for i, n in before["dashboards_officialtally"].items() if after.get(i) == n}
    assert len(before["dashboards_officialtally"]) - len(kept) <= 2  # the two keys moved
    assert len(kept) >= 1
    # and the tallies the change did not touch were not rewritten at all
    for tally, model in zip(tallies.TALLIES, _tally_models(), strict=True):
        if tally.table != "dashboards_officialtally" and "registry_official" not in tally.sources:
            assert dict(model.objects.values_list("id", "n")) == before[tally.table]
    _assert_in_step()


def _tally_models() -> list[Any]:
    from netral.dashboards import models as m

    return [
        m.OfficialTally,
        m.CaseTally,
        m.PersonTally,
        m.CodeTally,
        m.DecisionTally,
        m.DueTally,
        m.AccountTally,
    ]


@pytest.mark.django_db
def test_tallies_counted_in_another_zone_rule_are_not_read(alice: User, world: World) -> None:
    assert dashboard_build(user=alice, filters=DashboardFilters()).tallied
    # TIME_ZONE does not move the days (each case's unit's zone counts them)
    with override_settings(TIME_ZONE="Asia/Jayapura"):
        assert dashboard_build(user=alice, filters=DashboardFilters()).tallied
    # counted in the server's zone, no migrate yet: the months of the tallies are not the units'
    from netral.dashboards.models import TallyState

    TallyState.objects.update(time_zone="Asia/Jakarta")
    assert not dashboard_build(user=alice, filters=DashboardFilters()).tallied


@pytest.mark.django_db
def test_a_fold_with_nothing_new_rewrites_nothing(world: World) -> None:
    tallies.tally_compact()
    ids = sorted(CaseTally.objects.values_list("id", flat=True))
    # when: a quiet pass
    tallies.tally_compact()
    # then: the same rows, not a rewrite (which on PostgreSQL also locks the tallies)
    assert sorted(CaseTally.objects.values_list("id", flat=True)) == ids
    # a new delta in one tally folds that tally only
    official = world.officials["P2"]
    official.position_category = "JPT"
    official.save()
    tallies.tally_compact()
    assert sorted(CaseTally.objects.values_list("id", flat=True)) == ids
    keys = list(OfficialTally.objects.values_list("unit", "subject_type", "position_category"))
    assert len(keys) == len(set(keys))
    _assert_in_step()


@pytest.mark.django_db
def test_a_bulk_load_of_deltas_is_folded_by_a_whole_rewrite(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tallies, "WHOLE_FOLD_DELTAS", 2)
    tallies.tally_compact()
    for category in ("JPT", "PENGAWAS", "PELAKSANA"):
        official = world.officials["P2"]
        official.position_category = category
        official.save()
    ids = set(OfficialTally.objects.values_list("id", flat=True))
    # when
    tallies.tally_compact()
    # then: every row rewritten (no dead rows left behind), folded, one per key, in step
    assert not ids & set(OfficialTally.objects.values_list("id", flat=True))
    assert not OfficialTally.objects.filter(folded=False).exists()
    keys = list(OfficialTally.objects.values_list("unit", "subject_type", "position_category"))
    assert len(keys) == len(set(keys))
    _assert_in_step()


def _persons_of_many_agencies(world: World) -> None:
    """35 registry agencies with 1..35 reported persons (the top 30 are named), two of them
    sharing a name, typed names below and above the cut, one typed like a registry agency
    (merged with it), typed "" and typed "tidak diketahui" (both shown as unknown)."""
    case = _case(world.pilkada, Origin.LAPORAN, Status.DIPUTUS, "64.08.04.2001")
    other = _case(world.pilkada, Origin.TEMUAN, Status.DIPUTUS, "32.01.01.1001")
    persons = []
    for i in range(1, 36):
        name = "Dinas Kembar" if i in (29, 30) else f"Dinas {i:02d}"
        agency = Agency.objects.create(name=name, name_folded=f"uji {i}", region_id="64.08")
        official = OfficialFactory(region_id="64.08.04.2001", agency=agency)
        for j in range(i):
            finding = PersonFinding.TERBUKTI if j % 3 == 0 else PersonFinding.BELUM_DIPUTUS
            persons.append(
                ReportedPerson(
                    case=case if j % 4 else other,
                    official=official,
                    name="x",
                    subject_type=official.subject_type,
                    finding=finding,
                )
            )
    typed = {f"Kantor {k}": k for k in range(1, 21)} | {"Dinas 33": 2, "": 3}
    typed["tidak diketahui"] = 2
    for name, count in typed.items():
        for j in range(count):
            persons.append(
                ReportedPerson(
                    case=case,
                    name="x",
                    subject_type="PNS",
                    agency_name=name,
                    finding=PersonFinding.TERBUKTI if j % 2 else PersonFinding.BELUM_DIPUTUS,
                )
            )
    ReportedPerson.objects.bulk_create(persons)


@pytest.mark.django_db
def test_the_agencies_ranked_in_the_database_are_those_from_the_rows(
    alice: User, dora: User, world: World
) -> None:
    _persons_of_many_agencies(world)
    tallies.tally_compact()
    # when / then: every view, every table, read both ways
    assert _assert_same_from_tallies_and_rows([alice, dora], world) >= 10
    table = dashboard_build(user=dora, filters=DashboardFilters()).table("reported_by_agency")
    names = [row[0] for row in table.rows]
    # 29 + 30 persons under one name; 33 + 2 typed, ahead of Dinas 35 by name
    assert names[:4] == ["Dinas Kembar", "Dinas 33", "Dinas 35", "Dinas 34"]
    assert ["Dinas 33", 33 + 2, 11 + 1] in table.rows  # merged with the typed "Dinas 33"


@pytest.mark.parametrize(
    ("period", "tallied", "rows"),
    [
        (
            ("2024-09-20", "2024-11-12"),
            ("2024-10-01", "2024-10-31"),
            [("2024-09-20", "2024-09-30"), ("2024-11-01", "2024-11-12")],
        ),
        (("2024-10-01", "2024-10-31"), ("2024-10-01", "2024-10-31"), []),
        (("2024-10-02", None), ("2024-11-01", None), [("2024-10-02", "2024-10-31")]),
        ((None, "2024-11-05"), (None, "2024-10-31"), [("2024-11-01", "2024-11-05")]),
        ((None, None), (None, None), []),
        (("2024-10-05", "2024-10-20"), None, [("2024-10-05", "2024-10-20")]),
        (("2024-12-15", "2025-01-10"), None, [("2024-12-15", "2025-01-10")]),
        (("2024-02-01", "2024-02-29"), ("2024-02-01", "2024-02-29"), []),
    ],
)
@pytest.mark.django_db
def test_the_period_plan_reads_whole_months_from_the_tallies(
    dora: User, world: World, period: Any, tallied: Any, rows: Any
) -> None:
    from netral.dashboards.case_metrics import period_plan, registry_tallies_apply
    from netral.dashboards.selectors import scope_resolve

    def plan_for(region_code: str | None, filters: DashboardFilters) -> Any:
        scope = scope_resolve(user=dora, region_code=region_code)
        return period_plan(filters=filters, tallies_apply=registry_tallies_apply(scope=scope))

    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    def span(f: DashboardFilters) -> tuple[str | None, str | None]:
        return (
            f.date_from.isoformat() if f.date_from else None,
            f.date_to.isoformat() if f.date_to else None,
        )

    filters = DashboardFilters(date_from=day(period[0]), date_to=day(period[1]))
    plan = plan_for(None, filters)
    assert (span(plan.tallied) if plan.tallied else None) == tallied
    assert [span(part) for part in plan.rows] == rows
    # a kecamatan (finer than the tallies) reads every day from the rows
    assert plan_for("64.08.04", filters).rows == (filters,)


@pytest.mark.django_db
def test_an_agency_lifted_by_a_partial_month_is_ranked_on_its_whole_count(
    alice: User, dora: User, world: World
) -> None:
    """The tallies rank the agencies in the database and return only those that can make the
    top list; an agency below that cut in the whole months but named in a partial month's
    rows is summed from the tallies as well (agency_candidates' `also`)."""
    _persons_of_many_agencies(world)  # filed this month (their cases' created_at: now)
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    edge = _case(
        world.pilkada,
        Origin.LAPORAN,
        Status.DIPUTUS,
        "64.08.04.2001",
        received_at=dt.datetime.combine(
            last_month.replace(day=20), dt.time(9), tzinfo=timezone.get_current_timezone()
        ),
    )
    lifted = Official.objects.get(agency__name="Dinas 03")  # 3 persons this month
    ReportedPerson.objects.bulk_create(
        [
            *(
                ReportedPerson(
                    case=edge,
                    official=lifted,
                    name="x",
                    subject_type=lifted.subject_type,
                    finding=PersonFinding.BELUM_DIPUTUS,
                )
                for _ in range(40)
            ),
            *(
                ReportedPerson(case=edge, name="x", subject_type="PNS", agency_name="Kantor 1")
                for _ in range(50)
            ),
        ]
    )
    filters = DashboardFilters(date_from=last_month.replace(day=15))
    # when / then: from this month's tallies and last month's rows, as from the rows alone
    _assert_same_from_tallies_and_rows([alice, dora], world, [filters])
    with override_settings(NETRAL_DASHBOARD_TALLIES=True):
        table = dashboard_build(user=dora, filters=filters).table("reported_by_agency")
    ranked = [row[:2] for row in table.rows]
    assert ranked[:3] == [["Dinas Kembar", 29 + 30], ["Kantor 1", 50 + 1], ["Dinas 03", 40 + 3]]


@pytest.mark.django_db
def test_a_national_build_does_not_group_the_persons_by_unit_and_agency(
    dora: User, world: World
) -> None:
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    _persons_of_many_agencies(world)
    with override_settings(NETRAL_DASHBOARD_TALLIES=True), CaptureQueriesContext(conn) as ctx:
        assert dashboard_build(user=dora, filters=DashboardFilters()).tallied
    person_queries = [
        q["sql"] for q in ctx.captured_queries if "dashboards_persontally" in q["sql"]
    ]
    assert person_queries
    for sql in person_queries:
        selected = sql.upper().partition(" FROM ")[0]
        # then: the agencies are summed without the units, the units without the agencies
        assert not ("AGENCY_ID" in selected and "SUBSTR" in selected), sql


@pytest.mark.django_db
def test_the_account_tally_follows_every_write_of_accounts_and_officials(world: World) -> None:
    from netral.registry.models import SocialAccount

    o = world.officials
    # given: accounts of officials in two regencies, one inactive official's
    a1 = SocialAccount.objects.create(official=o["P1"], platform="x", handle="@p1")
    SocialAccount.objects.create(official=o["X1"], platform="x", handle="@x1")
    SocialAccount.objects.bulk_create(
        [SocialAccount(official=o[k], platform="ig", handle=f"@{k}") for k in ("K1", "B1", "J1")]
    )
    _assert_in_step()
    # an official moves region: its accounts move with it
    o["P1"].region_id = "32.01.01.1001"
    o["P1"].save()
    _assert_in_step()
    # an account changes hands, a bulk update moves several
    a1.official = o["K3"]
    a1.save()
    SocialAccount.objects.filter(platform="ig").update(official=o["B2"])
    _assert_in_step()
    # an account deleted; an official deleted with its accounts (the ORM's cascade)
    a1.delete()
    gone = OfficialFactory(region_id="64.08.01.2001")
    SocialAccount.objects.create(official=gone, platform="x", handle="@gone")
    _assert_in_step()
    gone.delete()
    _assert_in_step()
    tallies.tally_compact()
    _assert_in_step()


@pytest.mark.django_db
def test_the_patrol_coverage_from_the_account_tally_equals_the_rows(
    alice: User, dora: User, world: World
) -> None:
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from netral.registry.models import SocialAccount

    o = world.officials
    SocialAccount.objects.bulk_create(
        [
            SocialAccount(official=o[k], platform=p, handle=f"@{k}")
            for k in ("K1", "K2", "P1", "X1", "J1", "B1", "B3")
            for p in ("x", "ig")
        ]
    )
    # when / then: every view, both ways (the patrol table among them)
    assert _assert_same_from_tallies_and_rows([alice, dora], world) >= 10
    table = dashboard_build(user=dora, filters=DashboardFilters()).table("patrol_coverage")
    assert table.rows[-1][1] == 14  # every account, the inactive official's too
    # and the tallied build does not count the registry's accounts
    with override_settings(NETRAL_DASHBOARD_TALLIES=True), CaptureQueriesContext(conn) as ctx:
        assert dashboard_build(user=dora, filters=DashboardFilters()).tallied
    for query in ctx.captured_queries:
        if 'FROM "registry_socialaccount"' in query["sql"]:
            assert "patrol_" in query["sql"], query["sql"]  # the accounts checked only
