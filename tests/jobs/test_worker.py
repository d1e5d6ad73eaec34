"""Background jobs through the real worker path (netral/jobs), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from netral.jobs.models import Job, JobStatus, PeriodicSlot
from netral.jobs.services import job_retry, jobs_sweep, periodic_enqueue_due
from netral.jobs.worker import worker_run
from tests.jobs import handlers
from tests.workers import kill_mid_job, start_worker, stop_worker, wait_for


def run_worker() -> None:
    """What `netral worker --batch` does: run every job that is due, then return."""
    worker_run(batch=True)


def test_a_job_runs_through_the_worker_and_keeps_its_result(db: Any) -> None:
    job = handlers.add.enqueue(a=2, b=3)
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.filter(id=job.task_id or None).exists() or job.task_id == ""
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result == {"sum": 5, "attempt": 1}
    assert job.attempts == 1
    assert job.percent == 100
    task_row = DBTaskResult.objects.get(id=job.task_id)
    assert task_row.status == "SUCCESSFUL"
    assert task_row.task_path == "netral.jobs.tasks.run_job"


def test_the_same_key_enqueues_once(db: Any) -> None:
    first = handlers.add.enqueue(key="sum:2+3", a=2, b=3)
    again = handlers.add.enqueue(key="sum:2+3", a=2, b=3)
    assert first.pk == again.pk
    assert Job.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_rolled_back_service_enqueues_nothing(transactional_db: Any) -> None:
    from django.db import transaction

    def service() -> None:
        with transaction.atomic():
            handlers.add.enqueue(a=1, b=1)
            raise RuntimeError("the service fails after enqueueing")

    with pytest.raises(RuntimeError):
        service()
    assert Job.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_a_failing_job_is_retried_with_backoff_then_succeeds(db: Any) -> None:
    job = handlers.fail_until.enqueue(succeed_on=3)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        run_worker()
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
        assert "attempt 1 fails on purpose" in job.error
        assert job.run_after == start + dt.timedelta(seconds=10)  # backoff
        run_worker()  # not due yet: nothing runs
        job.refresh_from_db()
        assert job.attempts == 1
        clock.shift(dt.timedelta(seconds=11))
        run_worker()
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.QUEUED, 2)
        assert job.run_after > timezone.now() + dt.timedelta(seconds=19)  # doubled: 20 s
        clock.shift(dt.timedelta(seconds=21))
        run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 3, "ok")


def test_out_of_attempts_the_job_fails_and_an_administrator_retries_it(db: Any, dora: Any) -> None:
    job = handlers.fail_until.enqueue(succeed_on=99)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            run_worker()
            clock.shift(dt.timedelta(hours=1))
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert "attempt 3 fails on purpose" in job.error
    job_retry(job=job, actor=dora)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 0)
    from netral.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="job.retry").count() == 1


def test_a_permanent_error_fails_at_once(db: Any) -> None:
    job = handlers.input_gone.enqueue()
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert "the event was deleted" in job.error


def test_failed_jobs_show_in_the_admin_with_their_error_and_a_retry(
    db: Any, admin_client: Any
) -> None:
    job = handlers.input_gone.enqueue()
    run_worker()
    page = admin_client.get("/admin/jobs/job/?status__exact=FAILED")
    assert page.status_code == 200
    assert "input_gone" in page.content.decode()
    detail = admin_client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "the event was deleted" in detail
    response = admin_client.post(
        "/admin/jobs/job/", {"action": "retry_jobs", "_selected_action": [job.pk]}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_periodic_jobs_are_enqueued_once_per_slot(db: Any, settings: Any) -> None:
    settings.NETRAL_PERIODIC_JOBS = {"tests.jobs.handlers.input_gone": 60}
    now = timezone.now()
    assert len(periodic_enqueue_due(now=now)) == 1
    assert periodic_enqueue_due(now=now + dt.timedelta(seconds=30)) == []
    assert len(periodic_enqueue_due(now=now + dt.timedelta(seconds=61))) == 1
    assert Job.objects.filter(handler="tests.jobs.handlers.input_gone").count() == 2
    assert PeriodicSlot.objects.get().next_at == now + dt.timedelta(seconds=121)


def test_the_default_periodic_jobs_run(db: Any, settings: Any) -> None:
    """The deadline watch, the deferred mails, the tally fold, the news poll, the audit
    checkpoint (issue 14 §18) and the takedown recheck sweep, through the worker."""
    from config import settings as production

    settings.NETRAL_PERIODIC_JOBS = production.NETRAL_PERIODIC_JOBS
    run_worker()
    done = dict(Job.objects.values_list("handler", "status"))
    assert done == {
        "netral.monitoring.jobs.deadlines_watch_job": JobStatus.DONE,
        "netral.cases.jobs.notifications_send_job": JobStatus.DONE,
        "netral.dashboards.jobs.tally_fold_job": JobStatus.DONE,
        "netral.patrol.jobs.takedown_recheck_due_job": JobStatus.DONE,
        "netral.news.jobs.news_poll_job": JobStatus.DONE,
        "netral.audit.jobs.audit_checkpoint_job": JobStatus.DONE,
    }


# --- a worker killed mid-job loses nothing -----------------------------------------------


def test_killing_the_worker_mid_job_loses_nothing(transactional_db: Any, tmp_path: Path) -> None:
    marker = tmp_path / "done.txt"
    job = handlers.slow_steps.enqueue(steps=12, marker=str(marker), step_seconds=0.25)
    first = start_worker("worker-one")
    kill_mid_job(first, job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.worker_id == "worker-one"
    assert not marker.exists()  # it died before the end
    second = start_worker("worker-two")
    try:
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, status=JobStatus.DONE).exists(),
            60,
            "the second worker to find and finish the lost job",
        )
    finally:
        stop_worker(second)
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.result == 2
    assert marker.read_text().split() == ["2"]
    # the killed delivery's task row does not stay RUNNING forever
    assert not DBTaskResult.objects.running().exists()


def test_the_sweep_requeues_a_job_whose_worker_stopped_beating(db: Any) -> None:
    job = handlers.add.enqueue(a=1, b=2)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        worker_id="gone",
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5),
    )
    swept = jobs_sweep()
    assert swept.requeued == 1
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 2, {"sum": 3, "attempt": 2})


def test_with_the_broker_down_the_request_succeeds_and_the_sweep_resends_later(
    db: Any, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    """RQ backend with Redis down: the job is kept QUEUED in the database, not lost."""
    from types import SimpleNamespace

    from netral.jobs import services, tasks

    def redis_down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "database_backend", lambda: False)
        down = SimpleNamespace(enqueue=redis_down)
        down.using = lambda **_options: down  # the queue and time are set, then it is sent
        patch.setattr(tasks, "run_job", down)
        with django_capture_on_commit_callbacks(execute=True):
            job = handlers.add.enqueue(a=1, b=1)  # no exception reaches the caller
    job.refresh_from_db()
    assert (job.status, job.task_id) == (JobStatus.QUEUED, "")
    assert "Connection refused" in caplog.text  # refused by the broker, not by a typo here
    # Redis is back (here: the database backend delivers); the sweep sends it again
    swept = jobs_sweep(now=timezone.now() + dt.timedelta(minutes=5))
    assert swept.redelivered == 1
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_worker_of_the_default_queue_never_takes_a_long_job(db: Any) -> None:
    from netral.cases.jobs import notification_send_job
    from netral.registry.jobs import officials_import_job

    # given a long job queued before a short one
    bulk = handlers.bulk_add.enqueue(a=1, b=2)
    short = handlers.add.enqueue(a=2, b=3)
    bulk.refresh_from_db()
    short.refresh_from_db()
    assert DBTaskResult.objects.get(id=bulk.task_id).queue_name == "bulk"
    assert DBTaskResult.objects.get(id=short.task_id).queue_name == "default"
    # when a worker of the default queue runs (`netral worker --queues default`)
    worker_run(batch=True, queues="default")
    # then the short job is done and the long one still waits for a worker that takes it
    short.refresh_from_db()
    bulk.refresh_from_db()
    assert (short.status, bulk.status) == (JobStatus.DONE, JobStatus.QUEUED)
    worker_run(batch=True, queues="bulk")
    bulk.refresh_from_db()
    assert (bulk.status, bulk.result) == (JobStatus.DONE, 3)
    # the project's own long and short jobs are on their queues
    assert (officials_import_job.queue, notification_send_job.queue) == ("bulk", "default")


def test_a_job_requeued_by_the_sweep_keeps_its_queue(db: Any) -> None:
    bulk = handlers.bulk_add.enqueue(a=1, b=2)
    DBTaskResult.objects.all().delete()  # the backend lost it (a flushed broker)
    Job.objects.filter(pk=bulk.pk).update(run_after=timezone.now() - dt.timedelta(hours=1))
    jobs_sweep()
    bulk.refresh_from_db()
    assert DBTaskResult.objects.get(id=bulk.task_id).queue_name == "bulk"
