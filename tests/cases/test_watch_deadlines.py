"""`netral watch_deadlines`: warnings before, alerts after, escalations; once each."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from netral.cases.models import CaseEvent, Recipient, Status
from netral.cases.models.deadlines import DeadlineStep
from netral.cases.services import case_receive, recommendation_create
from netral.dashboards.tallies import tally_rows
from netral.monitoring.models import DeadlineAlert
from netral.monitoring.services import deadlines_watch
from tests.cases.conftest import file_report
from tests.cases.test_workflow import register
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def test_it_warns_then_alerts_once_and_never_changes_the_state(
    panwascam: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a Pilkada report received now: 3 calendar days to handle it
    case = register(file_report().case, panwascam)
    assert case.due_at is not None
    # when the watcher runs well before the deadline: nothing
    assert deadlines_watch().warnings == 0
    # within the warning window (24 h): one warning, twice run -> still one
    with django_capture_on_commit_callbacks(execute=True):
        first = deadlines_watch(now=case.due_at - dt.timedelta(hours=2))
    second = deadlines_watch(now=case.due_at - dt.timedelta(hours=1))
    assert (first.warnings, second.warnings) == (1, 0)
    # after the deadline: one alert, idempotent
    late = case.due_at + dt.timedelta(minutes=1)
    assert deadlines_watch(now=late).overdue == 1
    assert deadlines_watch(now=late).overdue == 0
    case.refresh_from_db()
    assert case.status == Status.DIREGISTRASI  # an alert, never an automatic state change
    assert DeadlineAlert.objects.filter(case=case).count() == 2
    assert case.events.filter(type=CaseEvent.Type.DEADLINE_MISSED).count() == 1
    run_jobs()  # the officers' mails leave from the worker
    assert any("Tenggat mendekat" in m.subject for m in mail.outbox)
    # the mail names the step by its label, never its stored code
    warning = next(m for m in mail.outbox if "Tenggat mendekat" in m.subject)
    assert str(DeadlineStep(case.due_step).label) in warning.body
    assert case.due_step not in warning.body


def test_overdue_recommendation_escalates_once(panwascam: Any, alice: Any) -> None:
    from netral.cases.models import PersonFinding, RecipientProfile
    from netral.cases.services import case_decide, reported_person_decide
    from netral.cases.workflow import case_transition

    case = register(file_report().case, panwascam)
    case = case_transition(case=case, to=Status.GAKKUMDU_PEMBAHASAN, actor=panwascam, note="x")
    case = case_transition(case=case, to=Status.KAJIAN, actor=panwascam)
    person = case.reported_persons.get()
    reported_person_decide(
        person=person,
        actor=panwascam,
        finding=PersonFinding.TERBUKTI,
        violation_types=["PERUU_LAINNYA"],
        skb_codes=[],
        articles=["UU 6/2014 Ps. 29"],
        reasoning="",
    )
    case = case_decide(case=case, actor=panwascam)
    # The SKB 2022 follow-up rule is for ASN recipients only; a Bupati gets a follow-up
    # deadline only where its profile row says so (issue 12 point 11).
    RecipientProfile.objects.filter(recipient=Recipient.BUPATI_WALIKOTA).update(
        follow_up_amount=14, follow_up_unit="CALENDAR_DAYS", follow_up_basis="Perda (contoh)"
    )
    rec = recommendation_create(
        case=case,
        actor=panwascam,
        reported_person=person,
        recipient=Recipient.BUPATI_WALIKOTA,
        recipient_name="Bupati",
        letter_number="1/2024",
        letter_date=timezone.localdate(),
    )
    assert rec.due_at is not None
    later = rec.due_at + dt.timedelta(days=1)
    assert deadlines_watch(now=later).escalations == 1
    assert deadlines_watch(now=later).escalations == 0
    rec.refresh_from_db()
    assert rec.escalated_at is not None
    assert case.events.filter(type=CaseEvent.Type.ESCALATED).count() == 1


def test_the_command_runs_one_pass(panwascam: Any) -> None:
    case = case_receive(case=file_report().case, actor=panwascam)
    out = StringIO()
    with time_machine.travel(case.due_at + dt.timedelta(hours=1), tick=False):
        call_command("watch_deadlines", stdout=out)
        call_command("watch_deadlines", stdout=out)
    lines = [line.rsplit(" tally_rows=", 1) for line in out.getvalue().splitlines()]
    assert [head for head, _rows in lines] == [
        "warnings=0 overdue=1 escalations=0 mails=2",
        "warnings=0 overdue=0 escalations=0 mails=0",
    ]
    # each pass also folds the dashboard tallies: nothing left to fold the second time
    assert lines[0][1] == lines[1][1] == str(tally_rows())


def test_a_pass_does_not_read_again_what_has_fired(panwascam: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given three registered reports past their deadline, alerted by a first pass
    cases = [register(file_report().case, panwascam) for _ in range(3)]
    late = max(c.due_at for c in cases if c.due_at) + dt.timedelta(minutes=1)
    assert deadlines_watch(now=late).overdue == 3
    # when the watcher passes again
    with CaptureQueriesContext(connection) as queries:
        again = deadlines_watch(now=late)
    # then it alerts nobody, and tries no claim at all: the fired alerts are filtered out
    # in the query (a backlog of overdue cases was claimed, and refused, on every pass)
    assert again.overdue == 0
    claims = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert claims == []
    # a case whose deadline moves gets the new deadline's alert
    moved = cases[0]
    moved.due_at = late + dt.timedelta(days=1)
    moved.save(update_fields=["due_at"])
    assert deadlines_watch(now=moved.due_at + dt.timedelta(minutes=1)).overdue == 1
