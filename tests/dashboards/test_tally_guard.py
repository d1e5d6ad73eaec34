"""The PostgreSQL tally triggers return at once for statements of public drafts only
(tallies._case_guard, issue 15), and a trigger written otherwise is reinstalled without a
recount (tallies.installed_sql_differs)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from netral.cases.models import Case, ReportedPerson, Status
from netral.dashboards import tallies
from netral.dashboards.models import TallyState

TALLY_TABLES = [t.table for t in tallies.TALLIES]


def _case(status: str) -> Case:
    return Case.objects.create(
        origin="LAPORAN",
        regime="PILKADA",
        status=status,
        channel="DARING",
        handling_region_id="64.08",
        incident_region_id="64.08",
        incident_place="Uji",
        title="Uji",
        description="Uji",
        event_date=dt.date(2024, 10, 1),
        known_date=dt.date(2024, 10, 1),
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger functions")
@pytest.mark.django_db
def test_a_public_draft_runs_no_tally_statement() -> None:
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
        draft = _case(Status.DRAFT_PUBLIK)
        ReportedPerson.objects.bulk_create(
            [ReportedPerson(case=draft, name="x", subject_type="PNS") for _ in range(2)]
        )
        Case.objects.filter(pk=draft.pk).update(title="Uji lagi")
        ReportedPerson.objects.filter(case=draft).update(name="y")
        # then: no tally statement ran; a case the tallies count is refused as before
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            _case(Status.DITERIMA)
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
