"""`netral worker` runs at a lower CPU priority than the web server (NETRAL_WORKER_NICE), so
background work gives way to citizens' requests on a node that runs both (issue 15)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from netral.jobs.worker import priority_lower
from tests.workers import start_worker, stop_worker, wait_for


def _nice_of(pid: int) -> int:
    # /proc/<pid>/stat: field 19 is the nice value (counted from 1, the name in parentheses)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])


class _FakeNice:
    """os.nice on a process that starts at `start`: adds the increment, returns the value."""

    def __init__(self, start: int) -> None:
        self.value = start
        self.increments: list[int] = []

    def __call__(self, increment: int) -> int:
        self.increments.append(increment)
        self.value += increment
        return self.value


def test_it_lowers_the_priority_to_the_configured_nice_value() -> None:
    # given a process started at nice 0
    fake = _FakeNice(0)
    # when
    with mock.patch("netral.jobs.worker.os.nice", fake):
        result = priority_lower(10)
    # then
    assert result == 10
    assert fake.value == 10


def test_it_never_raises_the_priority_of_a_worker_started_lower() -> None:
    # given a worker started by `nice -n 15`
    fake = _FakeNice(15)
    # when
    with mock.patch("netral.jobs.worker.os.nice", fake):
        result = priority_lower(10)
    # then: left at 15, no increment asked for
    assert result == 15
    assert fake.increments == [0]


def test_zero_leaves_the_priority_as_started() -> None:
    fake = _FakeNice(0)
    with mock.patch("netral.jobs.worker.os.nice", fake):
        assert priority_lower(0) == 0
    assert fake.increments == [0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_worker_process_runs_at_the_configured_nice_value(transactional_db: Any) -> None:
    # given a nice value above this test process's own
    target = min(19, os.nice(0) + 3)
    # when a real `netral worker` starts with it
    worker = start_worker("nice-worker", NETRAL_WORKER_NICE=str(target))
    try:
        # then the worker process (and so every thread it starts) runs at it
        wait_for(lambda: _nice_of(worker.pid) == target, 60, f"the worker at nice {target}")
        assert worker.poll() is None
    finally:
        stop_worker(worker)
