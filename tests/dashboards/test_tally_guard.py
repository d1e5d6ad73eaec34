"""The PostgreSQL tally triggers return at once for statements of public drafts only
(tallies._case_guard, issue 15), and a trigger written otherwise is reinstalled without a
recount (tallies.installed_sql_differs)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from netral.cases.models import Case, Origin, ReportedPerson, Status
from netral.dashboards import tallies
from netral.dashboards.models import TallyState
from tests.dashboards.conftest import World, _case

TALLY_TABLES = [t.table for t in tallies.TALLIES]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger functions")
@pytest.mark.django_db
def test_a_public_draft_runs_no_tally_statement(world: World) -> None:
    # given: a role that may write the cases but no tally (a tally statement would be refused
    # even if it inserted no row: privileges are checked when it starts)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE netral_guard_probe")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO netral_guard_probe")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO netral_guard_probe")
        cursor.execute(f"REVOKE INSERT ON {', '.join(TALLY_TABLES)} FROM netral_guard_probe")
        cursor.execute("SET ROLE netral_guard_probe")
    try:
        # when: a public draft and its reported persons are written, moved and deleted
        draft = _case(world.pilkada, Origin.LAPORAN, Status.DRAFT_PUBLIK, "64.08")
        ReportedPerson.objects.bulk_create(
            [ReportedPerson(case=draft, name="x", subject_type="PNS") for _ in range(2)]
        )
        Case.objects.filter(pk=draft.pk).update(title="Uji lagi")
        ReportedPerson.objects.filter(case=draft).update(name="y")
        # then: no tally statement ran; a case the tallies count is refused as before
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            _case(world.pilkada, Origin.LAPORAN, Status.DITERIMA, "64.08")
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            Case.objects.filter(pk=draft.pk).update(status=Status.DITERIMA)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.mark.django_db
def test_a_trigger_written_otherwise_is_reinstalled_without_a_recount() -> None:
    tallies.tally_ensure()
    assert not tallies.installed_sql_differs()
    rebuilt = TallyState.objects.get(pk=1).rebuilt_at
    # given: the triggers of an older release (no guard; on SQLite, one trigger rewritten)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in tallies.install_sql(tallies.dialect(), guarded=False):
                cursor.execute(sql)
        else:
            name = tallies._trigger_name(tallies.CASES, "DELETE")
            (sql,) = cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s", [name]
            ).fetchone()
            cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(sql.replace("BEGIN", "BEGIN\n  SELECT 1;", 1))
    assert tallies.installed_sql_differs()
    assert tallies.tally_problem() is None  # they count the same
    # when
    tallies.tally_ensure()
    # then: this code's triggers, and no recount
    assert not tallies.installed_sql_differs()
    assert TallyState.objects.get(pk=1).rebuilt_at == rebuilt
