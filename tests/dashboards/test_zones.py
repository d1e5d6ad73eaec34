"""Issue 12 point 7 (remaining part): every time on the dashboards, in the exports, the rakor
report and the API carries its zone. A WITA case (Kutai Timur) and a WIT case (Kabupaten
Jayapura) received at 16:30 UTC, which is already the next day in both zones."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from netral.accounts.models import Role, User
from netral.cases.models import Case
from netral.cases.services import case_receive
from netral.monitoring.services import deadlines_watch
from tests.cases.conftest import file_report, seed_deadline_rules
from tests.cases.test_legal_clocks import _papua_unit
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2024, 11, 8, 16, 30, tzinfo=dt.UTC)  # 23:30 WIB, 8 Nov


def wall(*parts: int) -> dt.datetime:
    """A naive wall-clock time, as an XLSX cell holds it."""
    return dt.datetime(*parts, tzinfo=dt.UTC).replace(tzinfo=None)


@pytest.fixture
def cases() -> dict[str, Case]:
    from netral.cases.models import DeadlineRule

    if not DeadlineRule.objects.exists():  # flushed by an earlier transactional test
        seed_deadline_rules()
    kutim = UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
    papua = UserFactory(username="yosua", role=Role.BAWASLU_KABKOTA, region="91.03")
    known = {"event_date": dt.date(2024, 11, 6), "known_date": dt.date(2024, 11, 7)}
    with time_machine.travel(RECEIVED - dt.timedelta(hours=2), tick=False):
        wita = file_report(**known).case
        wit = file_report(incident_region=_papua_unit(), **known).case
    with time_machine.travel(RECEIVED, tick=False):
        wita = case_receive(case=wita, actor=kutim)
        wit = case_receive(case=wit, actor=papua)
    assert wita.handling_region_id == "64.08.04"
    assert wit.handling_region_id == "91.03"
    return {"WITA": wita, "WIT": wit}


@pytest.fixture
def national(db: Any) -> User:
    return UserFactory(username="dora", role=Role.BAWASLU_RI, region=None)


def test_point_07_case_exports_give_each_row_its_units_zone(
    cases: dict[str, Case], national: User
) -> None:
    client = client_for(national)
    body = b"".join(client.get("/dasbor/ekspor/cases.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows[0]
    assert header[-1] == "Zona waktu"
    received = header.index("Diterima")
    by_id = {int(r[0]): r for r in rows[1:]}
    wita, wit = by_id[cases["WITA"].pk], by_id[cases["WIT"].pk]
    # the same instant, on the local day of each unit (9 Nov), with the zone named
    assert wita[received] == "2024-11-09T00:30:00+08:00"
    assert wita[-1] == "WITA"
    assert wit[received] == "2024-11-09T01:30:00+09:00"
    assert wit[-1] == "WIT"

    response = client.get("/dasbor/ekspor/cases.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert sheet[0][-1] == "Zona waktu"
    xrows = {int(r[0]): r for r in sheet[1:]}
    assert xrows[cases["WITA"].pk][received] == wall(2024, 11, 9, 0, 30)
    assert xrows[cases["WITA"].pk][-1] == "WITA"
    assert xrows[cases["WIT"].pk][received] == wall(2024, 11, 9, 1, 30)
    assert xrows[cases["WIT"].pk][-1] == "WIT"


def test_point_07_report_and_follow_up_exports_carry_the_zone(
    cases: dict[str, Case], national: User
) -> None:
    client = client_for(national)
    for key in ("reports", "follow_ups", "signatures"):
        body = b"".join(client.get(f"/dasbor/ekspor/{key}.csv").streaming_content)
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert header[-1] == "Zona waktu", key
    body = b"".join(client.get("/dasbor/ekspor/reports.csv").streaming_content)
    rows = {int(r[0]): r for r in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]}
    assert rows[cases["WIT"].pk][4] == "2024-11-09T01:30:00+09:00"
    assert rows[cases["WIT"].pk][-1] == "WIT"


def test_point_07_dashboard_and_rakor_report_name_the_zone(cases: dict[str, Case]) -> None:
    from pypdf import PdfReader

    kutim = UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    papua = User.objects.get(username="yosua")
    with time_machine.travel(RECEIVED, tick=False):
        page = client_for(kutim).get("/dasbor/").content.decode()
        assert "2024-11-09 00:30 WITA" in page
        page = client_for(papua).get("/dasbor/").content.decode()
        assert "2024-11-09 01:30 WIT" in page
        pdf = client_for(kutim).get("/dasbor/laporan.pdf?region=64.08")
        xlsx = client_for(papua).get("/dasbor/laporan.xlsx?region=91.03")
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "2024-11-09 00:30 WITA" in text
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    summary = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert ["Dibuat", "2024-11-09 01:30 WIT", None] in [r[:3] for r in summary]


def test_point_07_api_times_carry_the_units_offset(cases: dict[str, Case], national: User) -> None:
    client: Client = client_for(national)
    results = {r["id"]: r for r in client.get("/api/v1/cases/").json()["results"]}
    wita, wit = results[cases["WITA"].pk], results[cases["WIT"].pk]
    assert wita["time_zone"] == "WITA"
    assert wit["time_zone"] == "WIT"
    assert wita["created_at"].endswith("+08:00")
    assert wit["created_at"].endswith("+09:00")
    assert wita["due_at"].endswith("+08:00")
    assert wit["due_at"].endswith("+09:00")
    assert wit["due_at"].startswith("20")  # a full ISO 8601 moment
    stored = Case.objects.get(pk=wit["id"]).due_at
    assert stored is not None
    # the same moment (the JSON keeps milliseconds)
    assert abs(dt.datetime.fromisoformat(wit["due_at"]) - stored) < dt.timedelta(milliseconds=1)


def test_point_07_deadline_alert_mail_names_the_zone(
    cases: dict[str, Case], django_capture_on_commit_callbacks: Any
) -> None:
    wit = Case.objects.get(pk=cases["WIT"].pk)
    assert wit.due_at is not None
    mail.outbox.clear()
    with (
        time_machine.travel(wit.due_at + dt.timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deadlines_watch()
    run_jobs()  # the officers' mails leave from the worker
    bodies = [m.body for m in mail.outbox if wit.reference in m.subject + m.body]
    assert bodies
    local = wit.due_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert any(local.strftime("%d-%m-%Y %H:%M") + " WIT" in b for b in bodies)


# Dashboard days and months follow each case's unit's zone (the handling unit's, as the case
# page dates it), read from the tallies and from the rows alike.


def _dashboard(user: User, tallies: bool, **filters: Any) -> Any:
    from django.test import override_settings

    from netral.dashboards.selectors import DashboardFilters, dashboard_build

    with override_settings(NETRAL_DASHBOARD_TALLIES=tallies):
        return dashboard_build(user=user, filters=DashboardFilters(**filters))


def _figure(dashboard: Any, key: str) -> Any:
    return next(f.value for f in dashboard.figures if f.key == key)


def test_point_07_a_case_received_after_local_midnight_counts_on_the_local_day(
    cases: dict[str, Case], national: User
) -> None:
    from django.db.models import Sum

    from netral.cases.models import Status
    from netral.dashboards.models import DecisionTally

    # 00:30 WITA and 01:30 WIT on 9 November (23:30 WIB on the 8th): both on the 9th
    for tallies in (True, False):
        nine = _dashboard(national, tallies, date_from=dt.date(2024, 11, 9), date_to=NOV_9)
        assert _figure(nine, "cases") == 2, tallies
        eight = _dashboard(national, tallies, date_from=dt.date(2024, 11, 8), date_to=NOV_8)
        assert _figure(eight, "cases") == 0, tallies
    # decided later that morning (11:00 WITA, 12:00 WIT): received and decided the same
    # local day, in the tallies as in the rows
    decided = dt.datetime(2024, 11, 9, 3, 0, tzinfo=dt.UTC)
    Case.objects.filter(pk__in=[c.pk for c in cases.values()]).update(
        decided_at=decided, status=Status.DIPUTUS
    )
    days = dict(DecisionTally.objects.values_list("received_day").annotate(n=Sum("n")).order_by())
    assert {day: n for day, n in days.items() if n} == {NOV_9: 2}
    medians = set()
    for tallies in (True, False):
        dashboard = _dashboard(national, tallies)
        assert dashboard.tallied is tallies
        timing = {r[0]: r[1] for r in dashboard.table("decision_timing").rows}
        medians.add(timing["Median hari registrasi sampai putusan"])
    assert medians == {0.0}


NOV_8 = dt.date(2024, 11, 8)
NOV_9 = dt.date(2024, 11, 9)


def test_point_07_a_case_received_after_midnight_on_the_first_counts_in_the_new_month(
    national: User,
) -> None:
    from netral.cases.models import DeadlineRule

    if not DeadlineRule.objects.exists():
        seed_deadline_rules()
    kutim = UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
    papua = UserFactory(username="yosua", role=Role.BAWASLU_KABKOTA, region="91.03")
    received = dt.datetime(2024, 11, 30, 16, 30, tzinfo=dt.UTC)  # 1 Dec 00:30 WITA, 01:30 WIT
    known = {"event_date": dt.date(2024, 11, 28), "known_date": dt.date(2024, 11, 29)}
    with time_machine.travel(received - dt.timedelta(hours=2), tick=False):
        wita = file_report(**known).case
        wit = file_report(incident_region=_papua_unit(), **known).case
    with time_machine.travel(received, tick=False):
        case_receive(case=wita, actor=kutim)
        case_receive(case=wit, actor=papua)
    december = {"date_from": dt.date(2024, 12, 1), "date_to": dt.date(2024, 12, 31)}
    november = {"date_from": dt.date(2024, 11, 1), "date_to": dt.date(2024, 11, 30)}
    for tallies in (True, False):
        dashboard = _dashboard(national, tallies, **december)
        assert dashboard.tallied is tallies
        assert _figure(dashboard, "cases") == 2, tallies
        assert [r[:2] for r in dashboard.table("cases_by_month").rows] == [["2024-12", 2]]
        assert _figure(_dashboard(national, tallies, **november), "cases") == 0, tallies


def test_point_07_overdue_cases_agree_from_the_tallies_and_the_rows_around_midnight(
    cases: dict[str, Case], national: User
) -> None:
    """The tallies hold each open case's deadline day in its unit's zone; the days before
    today's WIB date are summed there, the rest counted from the rows: around the WIT, WITA
    and WIB midnights after each deadline, both ways give the cases whose deadline passed."""
    dues = [Case.objects.get(pk=c.pk).due_at for c in cases.values()]
    assert all(dues)
    moments = sorted(
        due + dt.timedelta(hours=hours, minutes=1) for due in dues for hours in (-1, 0, 1, 2, 25)
    )
    for now in moments:
        expected = sum(1 for due in dues if due < now)
        with time_machine.travel(now, tick=False):
            for tallies in (True, False):
                dashboard = _dashboard(national, tallies)
                timing = {r[0]: r[1] for r in dashboard.table("decision_timing").rows}
                assert timing["Perkara terbuka lewat tenggat"] == expected, (now, tallies)
