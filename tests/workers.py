"""A real `netral worker` process on the test database (transactional tests only)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database, as a URL another process can open (a file on SQLite)."""
    cfg = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{cfg['NAME']}"
    host = f"{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}"
    return f"postgres://{cfg['USER']}@{host}/{cfg['NAME']}"


def start_worker(worker_id: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
    """A `netral worker` process (`args`: more options, e.g. `--queues default`)."""
    from django.conf import settings

    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "netral",
            "worker",
            "--interval",
            "0.2",
            "--worker-id",
            worker_id,
            *args,
        ],
        cwd=REPO,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "PYTHONPATH": str(REPO),
            # the same media and keys as the test process
            "NETRAL_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "NETRAL_TEST_KEY_DIR": str(settings.NETRAL_SIGNING_KEY_DIR),
            # at the test run's own priority (a lowered worker would wait behind other suites
            # on a busy machine); tests/jobs/test_worker_priority.py sets its own
            "NETRAL_WORKER_NICE": "0",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # a process group of its own: the RQ worker forks its scheduler, which a kill of the
        # worker alone leaves running (holding a session on the test database), as systemd's
        # default KillMode=control-group does not
        start_new_session=True,
    )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL whatever is left of the worker's process group (its forked children)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    _kill_group(process)


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def run_jobs() -> None:
    """Run every background job that is due through the worker's own loop, in this process
    (what `netral worker --batch` does); works in ordinary `db` tests."""
    from netral.jobs.worker import worker_run

    worker_run(batch=True)


def kill_mid_job(process: subprocess.Popen[bytes], job_pk: int) -> None:
    """SIGKILL the worker and every process it started once it has reported progress on the
    job (2 steps): a worker lost mid-job (OOM, machine gone), not one stopped gracefully."""
    from netral.jobs.models import Job

    try:
        wait_for(
            lambda: Job.objects.filter(pk=job_pk, progress_done__gte=2).exists(),
            60,
            "the first worker to start the job",
        )
    finally:
        _kill_group(process)
        process.wait(10)
