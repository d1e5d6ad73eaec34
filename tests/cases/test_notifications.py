"""Email notifications are sent by the worker (issue 15 §1), through the configured backend,
retried with backoff on SMTP failure, and logged; a mail that fails for good is visible."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from netral.cases.models import NotificationLog
from netral.cases.notifications import notifications_send_pending
from netral.cases.services import case_assign, case_kajian_awal_record, case_receive
from tests.cases.conftest import file_report
from tests.workers import run_jobs

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
    # sent by the worker, not inside the request
    assert not [m for m in mail.outbox if "dilengkapi" in m.subject]
    assert NotificationLog.objects.filter(outcome=NotificationLog.Outcome.QUEUED).exists()
    run_jobs()
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
    run_jobs()
    assert not [m for m in mail.outbox if "dilengkapi" in m.subject]


def test_assigned_officer_is_notified(
    panwascam: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = file_report().case
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=case, officer=panwascam, actor=alice)
    assert not [m for m in mail.outbox if m.to == ["siti@example.test"]]
    run_jobs()
    assert mail.outbox[-1].to == ["siti@example.test"]
    assert NotificationLog.objects.filter(kind="ASSIGNED", recipient_user=panwascam).exists()


def test_the_watcher_sends_deferred_mails(panwascam: Any) -> None:
    from django.core.management import call_command

    file_report()
    call_command("watch_deadlines")
    assert sorted(m.to[0] for m in mail.outbox) == ["rina@example.test", "siti@example.test"]
    assert not NotificationLog.objects.filter(outcome=NotificationLog.Outcome.PENDING).exists()


# --- SMTP failures: retried with backoff, visible when they fail for good ----------------


class _FlakySmtp:
    """An EMAIL_BACKEND stand-in whose server is down for the first `down` sends."""

    calls = 0
    down = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        type(self).calls += 1
        if type(self).calls <= type(self).down:
            raise OSError("[Errno 111] Connection refused (smtp.example.test:25)")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_smtp(settings: Any) -> type[_FlakySmtp]:
    settings.EMAIL_BACKEND = f"{__name__}._FlakySmtp"
    _FlakySmtp.calls = 0
    _FlakySmtp.down = 0
    return _FlakySmtp


def test_an_smtp_failure_is_retried_with_backoff_then_sent(
    panwascam: Any, alice: Any, flaky_smtp: Any
) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from netral.jobs.models import Job, JobStatus

    flaky_smtp.down = 2
    case = file_report().case
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        case_assign(case=case, officer=panwascam, actor=alice)
        log = NotificationLog.objects.get(kind="ASSIGNED")
        job = Job.objects.get(key=f"notification:{log.pk}")
        run_jobs()
        log.refresh_from_db()
        job.refresh_from_db()
        assert (log.outcome, job.status, job.attempts) == ("QUEUED", JobStatus.QUEUED, 1)
        assert "Connection refused" in log.error
        assert job.run_after == start + dt.timedelta(seconds=60)  # backoff
        clock.shift(dt.timedelta(seconds=61))
        run_jobs()
        job.refresh_from_db()
        assert job.attempts == 2
        assert job.run_after > timezone.now() + dt.timedelta(seconds=119)  # doubled
        clock.shift(dt.timedelta(seconds=121))
        run_jobs()
    log.refresh_from_db()
    job.refresh_from_db()
    assert (log.outcome, log.error, job.status) == ("SENT", "", JobStatus.DONE)
    assert [m.to for m in mail.outbox] == [["siti@example.test"]]  # once
    run_jobs()
    assert len(mail.outbox) == 1


def test_a_mail_that_fails_for_good_is_shown_to_administrators_and_can_be_retried(
    panwascam: Any, alice: Any, flaky_smtp: Any, admin_client: Any, dora: Any
) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from netral.jobs.models import Job, JobStatus
    from netral.jobs.services import job_retry

    flaky_smtp.down = 99
    case = file_report().case
    case_assign(case=case, officer=panwascam, actor=alice)
    log = NotificationLog.objects.get(kind="ASSIGNED")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            run_jobs()
            clock.shift(dt.timedelta(hours=1))
    log.refresh_from_db()
    job = Job.objects.get(key=f"notification:{log.pk}")
    assert (log.outcome, job.status, job.attempts) == ("FAILED", JobStatus.FAILED, 5)
    assert "Connection refused" in log.error
    assert "Connection refused" in job.error
    page = admin_client.get("/admin/cases/notificationlog/?outcome__exact=FAILED").content
    assert b"Connection refused" in page
    page = admin_client.get("/admin/jobs/job/?status__exact=FAILED").content
    assert b"notification_send_job" in page
    # the server is back; the administrator retries the job
    flaky_smtp.down = 0
    job_retry(job=job, actor=dora)
    run_jobs()
    log.refresh_from_db()
    assert log.outcome == "SENT"
    assert [m.to for m in mail.outbox] == [["siti@example.test"]]


def test_a_deferred_mail_that_fails_in_the_batch_gets_its_own_retrying_job(
    panwascam: Any, flaky_smtp: Any
) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    flaky_smtp.down = 1  # the first of the two deferred mails fails
    file_report()
    assert notifications_send_pending() == 1
    retrying = NotificationLog.objects.get(outcome=NotificationLog.Outcome.QUEUED)
    assert notifications_send_pending() == 0  # the batch leaves it to its job
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61), tick=False):
        run_jobs()
    retrying.refresh_from_db()
    assert retrying.outcome == "SENT"
    assert len(mail.outbox) == 2


def test_a_recipient_refused_for_good_is_not_retried(
    panwascam: Any, alice: Any, settings: Any
) -> None:
    import smtplib

    from netral.jobs.models import Job, JobStatus

    class Refusing:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def send_messages(self, messages: list[Any]) -> int:
            raise smtplib.SMTPRecipientsRefused(
                {"siti@example.test": (550, b"5.1.1 mailbox unavailable")}
            )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.mail.get_connection", lambda *a, **k: Refusing())
        case_assign(case=file_report().case, officer=panwascam, actor=alice)
        run_jobs()
    log = NotificationLog.objects.get(kind="ASSIGNED")
    job = Job.objects.get(key=f"notification:{log.pk}")
    assert (log.outcome, job.status, job.attempts) == ("FAILED", JobStatus.FAILED, 1)
    assert "mailbox unavailable" in log.error
