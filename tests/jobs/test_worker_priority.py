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


# The worker's PostgreSQL sessions (the `prioritize` extension, docs/how-to/deploy.md).


def _prioritize_available() -> bool:
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'prioritize'")
        return cur.fetchone() is not None


@pytest.fixture
def prioritize(transactional_db: Any) -> Any:
    """The extension in the test database (skipped where PostgreSQL lacks it, unless CI's
    REQUIRE_PG_PRIORITIZE=1: .ci/run installs Debian's package)."""
    from django.db import connection

    if not _prioritize_available():
        if connection.vendor == "postgresql" and os.environ.get("REQUIRE_PG_PRIORITIZE") == "1":
            pytest.fail("REQUIRE_PG_PRIORITIZE=1 but PostgreSQL has no prioritize extension")
        pytest.skip("PostgreSQL with the prioritize extension")
    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS prioritize")
    yield
    with connection.cursor() as cur:
        cur.execute("DROP EXTENSION IF EXISTS prioritize")


def _backend_nices() -> list[int]:
    """The nice values of the other sessions on the test database."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT get_backend_priority(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return [row[0] for row in cur.fetchall()]


def test_the_worker_lowers_its_database_sessions_too(prioritize: None) -> None:
    # given the extension, and this test's own session at the normal priority
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT get_backend_priority(pg_backend_pid())")
        own = cur.fetchone()[0]
    target = min(19, own + 7)
    # when a real worker starts at that nice value
    worker = start_worker("nice-db-worker", NETRAL_WORKER_NICE=str(target))
    try:
        # then its database sessions (the job loop's, the housekeeping's) run at it
        wait_for(lambda: target in _backend_nices(), 60, f"a worker session at nice {target}")
        assert worker.poll() is None
        # and no session is left at a priority between (one renice per connection)
        assert all(n in (own, target) for n in _backend_nices())
    finally:
        stop_worker(worker)


def test_a_new_connection_renices_its_backend_and_never_raises_it(prioritize: None) -> None:
    from django.db import connection
    from django.db.backends.signals import connection_created

    from netral.jobs.worker import _backend_priority_lower, database_priority_lower

    def nice_now() -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT get_backend_priority(pg_backend_pid())")
            return int(cur.fetchone()[0])

    own = nice_now()
    try:
        # when the worker's hook is on and a connection opens
        database_priority_lower(own + 5)
        connection.ensure_connection()
        # then its backend runs at the lowered priority
        assert nice_now() == own + 5
        # and a session already lower than asked is not raised
        with connection.cursor() as cur:
            cur.execute("SELECT set_backend_priority(pg_backend_pid(), %s)", [own + 9])
        _backend_priority_lower(connection, own + 2)
        assert nice_now() == own + 9
    finally:
        connection_created.disconnect(dispatch_uid="netral-worker-database-nice")
        connection.close()  # the reniced backend ends with its connection


def test_without_the_extension_the_worker_runs_and_says_so(
    transactional_db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db import connection
    from django.db.backends.signals import connection_created

    from netral.jobs import worker as worker_module

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL sessions")
    with connection.cursor() as cur:
        cur.execute("DROP EXTENSION IF EXISTS prioritize")
    worker_module._backend_priority_logged.discard(connection.alias)
    try:
        with caplog.at_level("INFO", logger="netral.jobs.worker"):
            worker_module.database_priority_lower(5)
            with connection.cursor() as cur:  # opens a connection: the hook runs
                cur.execute("SELECT 1")
                assert cur.fetchone() == (1,)
        assert "prioritize extension is not installed" in caplog.text
    finally:
        connection_created.disconnect(dispatch_uid="netral-worker-database-nice")
        connection.close()


# Linux's autogroup: nice values count only inside a session (docs/how-to/deploy.md).


@pytest.mark.parametrize(
    ("switch", "nice", "warned"),
    [("1\n", 10, True), ("0\n", 10, False), (None, 10, False), ("1\n", 0, False)],
)
def test_the_worker_warns_when_autogroup_keeps_its_nice_value_inside_its_session(
    tmp_path: Path, switch: str | None, nice: int, warned: bool
) -> None:
    from netral.jobs.worker import autogroup_warning

    path = tmp_path / "sched_autogroup_enabled"  # absent: not Linux, or no autogroup
    if switch is not None:
        path.write_text(switch)
    warning = autogroup_warning(nice, path)
    assert (warning is not None) == warned
    if warning:
        assert "kernel.sched_autogroup_enabled" in warning
        assert "One host for everything" in warning


# CPU groups (systemd's CPUWeight=, container shares): nice values count only inside a group.


def _cgroup_host(tmp_path: Path, proc: str, files: dict[str, str]) -> tuple[Path, Path]:
    (tmp_path / "proc").write_text(proc)
    for name, content in files.items():
        path = tmp_path / "cgroup" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return tmp_path / "proc", tmp_path / "cgroup"


@pytest.mark.parametrize(
    ("proc", "files", "nice", "shown"),
    [
        # cgroup v2, a service with CPUWeight=20: warned, naming the weight
        (
            "0::/system.slice/netral-worker.service\n",
            {"system.slice/netral-worker.service/cpu.weight": "20\n"},
            10,
            "cpu.weight 20",
        ),
        # v2 with the cpu controller off for the service (no cpu.weight): nothing
        ("0::/system.slice/netral-worker.service\n", {}, 10, None),
        # v1 with cpu and cpuacct mounted together, shares 204
        (
            "4:cpu,cpuacct:/netral-worker\n3:memory:/netral-worker\n",
            {"cpu,cpuacct/netral-worker/cpu.shares": "204\n"},
            10,
            "cpu.shares 204",
        ),
        # v1, cpu mounted alone (this CI's machines)
        ("1:cpu:/netral-worker\n0::/\n", {"cpu/netral-worker/cpu.shares": "204\n"}, 10, "204"),
        # the root group: the cpu controller does not apply
        ("1:cpu:/\n0::/\n", {"cpu/cpu.shares": "1024\n"}, 10, None),
        # a memory group only: nothing about CPU
        ("3:memory:/limited\n", {"memory/limited/cpu.shares": "2\n"}, 10, None),
        # no priority lowered: nothing to say
        ("0::/w\n", {"w/cpu.weight": "20\n"}, 0, None),
    ],
)
def test_the_worker_warns_when_a_cpu_group_keeps_its_nice_value_inside_it(
    tmp_path: Path, proc: str, files: dict[str, str], nice: int, shown: str | None
) -> None:
    from netral.jobs.worker import cpu_group_warning

    proc_path, root = _cgroup_host(tmp_path, proc, files)
    warning = cpu_group_warning(nice, proc_path, root)
    if shown is None:
        assert warning is None
    else:
        assert warning is not None
        assert shown in warning
        assert "One host for everything" in warning


def test_the_worker_says_nothing_about_cpu_groups_where_there_is_no_proc(tmp_path: Path) -> None:
    from netral.jobs.worker import cpu_group_warning

    assert cpu_group_warning(10, tmp_path / "absent", tmp_path) is None
