"""Email notifications go out after commit, through the configured backend, and are logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from netral.cases.models import NotificationLog
from netral.cases.notifications import notifications_send_pending
from netral.cases.services import case_assign, case_kajian_awal_record, case_receive
from tests.cases.conftest import file_report

pytestmark = pytest.mark.django_db


def test_reporter_gets_receipt_and_status_mails_logged(
    panwascam: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_report()
    case = filed.case
    # a public report's mails are deferred: logged PENDING with their body, sent by the
    # background step (netral watch_deadlines), once
    assert mail.outbox == []
    pending = NotificationLog.objects.filter(case=case, outcome=NotificationLog.Outcome.PENDING)
    assert set(pending.values_list("kind", flat=True)) == {"RECEIPT", "NEW_CASE"}
    assert notifications_send_pending() == 2
    assert notifications_send_pending() == 0
    assert [m.to for m in mail.outbox] == [["rina@example.test"], ["siti@example.test"]]
    assert case.tracking_number in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        case = case_receive(case=case, actor=panwascam)
        case_kajian_awal_record(
            case=case,
            actor=panwascam,
            formal={},
            material={},
            result="LENGKAPI",
            message="Kirim foto kegiatan.",
        )
    bodies = [m.body for m in mail.outbox if m.to == ["rina@example.test"]]
    assert any("Kirim foto kegiatan." in b for b in bodies)
    assert all(filed.pin not in b for b in bodies)  # the PIN never travels by mail
    sent = NotificationLog.objects.filter(case=case, outcome=NotificationLog.Outcome.SENT)
    assert set(sent.values_list("kind", flat=True)) >= {
        "RECEIPT",
        "STATUS_CHANGED",
        "COMPLETION_REQUESTED",
        "NEW_CASE",
    }


def test_nothing_is_sent_when_the_step_rolls_back(
    panwascam: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = file_report().case
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017, PT011
        case_kajian_awal_record(
            case=case_receive(case=case, actor=panwascam),
            actor=panwascam,
            formal={},
            material={},
            result="LENGKAPI",
            message="",
        )
    assert not [m for m in mail.outbox if "dilengkapi" in m.subject]


def test_assigned_officer_is_notified(
    panwascam: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = file_report().case
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=case, officer=panwascam, actor=alice)
    assert mail.outbox[-1].to == ["siti@example.test"]
    assert NotificationLog.objects.filter(kind="ASSIGNED", recipient_user=panwascam).exists()


def test_the_watcher_sends_deferred_mails(panwascam: Any) -> None:
    from django.core.management import call_command

    file_report()
    call_command("watch_deadlines")
    assert sorted(m.to[0] for m in mail.outbox) == ["rina@example.test", "siti@example.test"]
    assert not NotificationLog.objects.filter(outcome=NotificationLog.Outcome.PENDING).exists()
