"""Jobs through RQ on a real Redis (NETRAL_TASK_BACKEND=rq, the backend for scale; decision
0010), run by real `netral worker` processes on the test database: a job travels through
Redis to the worker of its queue, a long one waits for a worker that takes the bulk queue,
and a worker killed mid-job loses nothing (the sweep sends the job again).

Skipped without Redis, unless REQUIRE_REDIS=1 (set by .ci/run). Each test run uses a Redis
database of its own choosing (NETRAL_TEST_RQ_URL, else db 10 + the xdist worker's number)
and flushes it before and after.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from netral.jobs.models import Job, JobStatus
from tests.jobs import handlers
from tests.redis_server import REDIS_SERVER, Server
from tests.workers import kill_mid_job, start_worker, stop_worker, wait_for


def _redis_url() -> str:
    explicit = os.environ.get("NETRAL_TEST_RQ_URL")
    if explicit:
        return explicit
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"redis://127.0.0.1:6379/{10 + int(worker.removeprefix('gw') or 0) % 6}"


@pytest.fixture
def rq(transactional_db: Any) -> Iterator[Any]:
    """The RQ backend on a flushed Redis database, in this process and in the workers."""
    import redis

    url = _redis_url()
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except Exception as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but Redis at {url} is not reachable: {exc}")
        pytest.skip(f"no Redis at {url}")
    client.flushdb()
    queues = {name: {"URL": url, "DEFAULT_TIMEOUT": 600} for name in ("default", "bulk")}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "bulk"]}}
    with override_settings(
        NETRAL_TASK_BACKEND="rq", NETRAL_TASK_REDIS_URL=url, RQ_QUEUES=queues, TASKS=tasks
    ):
        yield client
    client.flushdb()


def _rq_worker(worker_id: str, url: str, *args: str) -> Any:
    return start_worker(
        worker_id,
        *args,
        NETRAL_TASK_BACKEND="rq",
        NETRAL_TASK_REDIS_URL=url,
        NETRAL_TEST_KEEP_TASK_BACKEND="1",
    )


def _done(job: Job) -> bool:
    return Job.objects.filter(pk=job.pk, status=JobStatus.DONE).exists()


def test_a_job_travels_through_redis_to_the_worker_of_its_queue(rq: Any) -> None:
    url = _redis_url()
    # given a long job queued before a short one
    bulk = handlers.bulk_add.enqueue(a=1, b=2)
    short = handlers.add.enqueue(a=2, b=3)
    bulk.refresh_from_db()
    short.refresh_from_db()
    # then each waits in Redis on its own queue, under the task id the job row keeps
    assert rq.lrange("rq:queue:bulk", 0, -1) == [bulk.task_id.encode()]
    assert rq.lrange("rq:queue:default", 0, -1) == [short.task_id.encode()]
    # when a worker of the default queue runs (`netral worker --queues default`)
    short_worker = _rq_worker("rq-short", url, "--queues", "default")
    try:
        wait_for(lambda: _done(short), 60, "the default-queue worker to run the short job")
        # the long job still waits for a worker that takes it
        bulk.refresh_from_db()
        assert bulk.status == JobStatus.QUEUED
        assert rq.lrange("rq:queue:bulk", 0, -1) == [bulk.task_id.encode()]
    finally:
        stop_worker(short_worker)
    short.refresh_from_db()
    assert short.result == {"sum": 5, "attempt": 1}
    # when a worker of both queues starts, it runs the long one
    both = _rq_worker("rq-both", url)
    try:
        wait_for(lambda: _done(bulk), 60, "a worker of both queues to run the long job")
    finally:
        stop_worker(both)
    bulk.refresh_from_db()
    assert bulk.result == 3
    assert not DBTaskResult.objects.exists()  # nothing went through the database backend


def test_killing_an_rq_worker_mid_job_loses_nothing(rq: Any, tmp_path: Path) -> None:
    url = _redis_url()
    marker = tmp_path / "done.txt"
    job = handlers.slow_steps.enqueue(steps=12, marker=str(marker), step_seconds=0.25)
    first = _rq_worker("rq-one", url)
    kill_mid_job(first, job.pk)
    job.refresh_from_db()
    assert (job.status, job.worker_id) == (JobStatus.RUNNING, "rq-one")
    assert not marker.exists()  # it died before the end
    # a second worker's sweep finds the job whose worker stopped beating and sends it again
    second = _rq_worker("rq-two", url)  # the test settings' stale time and sweep: 4 s, 1 s
    try:
        wait_for(lambda: _done(job), 90, "the second worker to find and finish the lost job")
    finally:
        stop_worker(second)
    job.refresh_from_db()
    assert (job.attempts, job.result) == (2, 2)
    assert marker.read_text().split() == ["2"]
    assert not DBTaskResult.objects.exists()  # both deliveries went through Redis


def test_with_redis_down_a_job_waits_in_the_database_and_runs_once_it_is_back(
    transactional_db: Any, tmp_path: Path
) -> None:
    """The broker refuses (a redis-server of this test's own, not started yet): the enqueue
    succeeds for the caller and the job waits QUEUED in the database, never sent; once Redis
    is up, a worker's sweep sends it and it runs (issue 15: "tasks wait in the database")."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    broker = Server(tmp_path)
    queues = {name: {"URL": broker.url, "DEFAULT_TIMEOUT": 600} for name in ("default", "bulk")}
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "bulk"]}}
    with override_settings(
        NETRAL_TASK_BACKEND="rq", NETRAL_TASK_REDIS_URL=broker.url, RQ_QUEUES=queues, TASKS=tasks
    ):
        job = handlers.add.enqueue(a=1, b=1)  # no exception reaches the caller
        job.refresh_from_db()
        assert (job.status, job.task_id) == (JobStatus.QUEUED, "")
        broker.start()
        try:
            worker = _rq_worker("rq-after-outage", broker.url)
            try:
                wait_for(lambda: _done(job), 60, "the sweep to send the job once Redis is up")
            finally:
                stop_worker(worker)
        finally:
            broker.stop()
    job.refresh_from_db()
    assert job.result == {"sum": 2, "attempt": 1}
