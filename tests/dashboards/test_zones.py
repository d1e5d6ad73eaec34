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
