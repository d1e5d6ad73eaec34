"""CPU groups for the national bench's form part: the deploy guide's systemd recipe, measured.

systemd puts each service in a CPU group of its own and shares the CPU between the groups by
their `CPUWeight=` (cgroup v2 `cpu.weight`; on cgroup v1 systemd writes `cpu.shares` =
weight x 1024 / 100). Nice values then count only inside a group, and autogroup no longer
applies (it groups only the tasks of the root group). docs/how-to/deploy.md gives the web a
larger weight than PostgreSQL's service and the worker a small one; this module places the
bench's processes as those services would be:

- `web`: the bench process itself, so gunicorn and wrk (started by it) are in it;
- `worker`: each `netral worker` process (its reader processes and chromium follow it);
- `postgres`: every process of the PostgreSQL server, the postmaster first, so the
  connections it forks later are in it too.

    NETRAL_BENCH_CPU_WEIGHTS=web:200,worker:20,postgres:100 .venv/bin/python -m bench national ...

Needs root and a writable cpu controller (v2 with `cpu` in the root's subtree_control, or
v1's /sys/fs/cgroup/cpu). Everything is moved back to the root group and the groups removed
at the end, whatever happened.
"""

from __future__ import annotations

import contextlib
import pwd
from collections.abc import Iterator
from pathlib import Path

V2 = Path("/sys/fs/cgroup")
V1 = Path("/sys/fs/cgroup/cpu")
PREFIX = "netral-bench-"


def parse(spec: str) -> dict[str, int]:
    """`web:200,worker:20,postgres:100` -> weights (systemd's CPUWeight= scale, 1 to 10000)."""
    weights: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, value = part.partition(":")
        if name not in ("web", "worker", "postgres") or not value.isdigit():
            raise SystemExit(f"NETRAL_BENCH_CPU_WEIGHTS: {part!r} is not web|worker|postgres:N")
        weights[name] = max(1, min(10_000, int(value)))
    return weights


class Groups:
    def __init__(self, weights: dict[str, int]) -> None:
        controllers = V2 / "cgroup.controllers"
        if controllers.exists() and "cpu" in controllers.read_text().split():
            self.root, self.v2 = V2, True
        elif (V1 / "cpu.shares").exists():
            self.root, self.v2 = V1, False
        else:
            raise SystemExit("no writable cpu controller (cgroup v2 or v1)")
        self.weights = weights
        self.paths: dict[str, Path] = {}

    def create(self) -> str:
        shown = []
        for name, weight in self.weights.items():
            path = self.root / f"{PREFIX}{name}"
            path.mkdir(exist_ok=True)
            if self.v2:
                (path / "cpu.weight").write_text(str(weight))
                shown.append(f"{name} cpu.weight {weight}")
            else:
                shares = max(2, weight * 1024 // 100)  # systemd's CPUWeight -> CPUShares
                (path / "cpu.shares").write_text(str(shares))
                shown.append(f"{name} cpu.shares {shares} (CPUWeight={weight})")
            self.paths[name] = path
        return f"cgroup {'v2' if self.v2 else 'v1'}: " + ", ".join(shown)

    def move(self, name: str, pids: list[int]) -> None:
        path = self.paths.get(name)
        if path is None:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, OSError):
                (path / "cgroup.procs").write_text(str(pid))

    def release(self) -> None:
        """Every process back to the root group, then the groups removed."""
        for path in self.paths.values():
            for _ in range(3):
                pids = (path / "cgroup.procs").read_text().split()
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError, OSError):
                        (self.root / "cgroup.procs").write_text(pid)
            with contextlib.suppress(OSError):
                path.rmdir()


def postgres_pids(user: str = "postgres") -> list[int]:
    """The PostgreSQL server's processes (those of its user, from /proc), the postmaster
    first: the connections it forks later start in its group."""
    uid = pwd.getpwnam(user).pw_uid
    parents: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
            if int(fields["Uid"].split()[0]) == uid:
                parents[int(status.parent.name)] = int(fields["PPid"])
    masters = [pid for pid, ppid in parents.items() if ppid not in parents]
    return masters + [pid for pid in parents if pid not in masters]


@contextlib.contextmanager
def placed(spec: str, own_pid: int) -> Iterator[Groups | None]:
    """The groups of `spec` (nothing when empty), with this process in `web` and the
    PostgreSQL server in `postgres`; the caller moves its workers with `move('worker', ...)`."""
    if not spec:
        yield None
        return
    groups = Groups(parse(spec))
    try:
        print(f"  CPU groups as systemd services: {groups.create()}", flush=True)
        groups.move("postgres", postgres_pids())
        groups.move("web", [own_pid])
        yield groups
    finally:
        groups.release()
