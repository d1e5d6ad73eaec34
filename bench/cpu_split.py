"""Where the cores go while a bench runs: the CPU of every process each N seconds, by role.

    .venv/bin/python -m bench.cpu_split [SECONDS] [--pg-url URL]

Roles: gunicorn (master and workers), worker (`netral worker` and its children, e.g. the
import's reader process), wrk, other Python, PostgreSQL backends attributed to the process
that holds their client socket (`pg<-gunicorn`, `pg<-worker`, ...; through `ss -tnp` and
`pg_stat_activity.client_port`, so run it as the user that owns both, e.g. root on the
bench machine), other PostgreSQL processes, and the rest. One line per sample, in cores.
Written to see what a niced worker and its database backend take from the public form
(docs/benchmarks.md, Session 16). Stop it with Ctrl-C or `timeout`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, int]]:
    """pid -> (user + system ticks, command line, parent pid)."""
    out: dict[int, tuple[int, str, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = Path(f"/proc/{entry}/cmdline").read_text().replace("\0", " ")[:200]
        except OSError:
            continue
        out[int(entry)] = (int(stat[11]) + int(stat[12]), cmd, int(stat[1]))
    return out


def _client_ports() -> dict[int, int]:
    """Local port of each TCP connection to PostgreSQL -> the pid holding it."""
    lines = subprocess.run(
        ["ss", "-tnpH"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    owners: dict[int, int] = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 6 and parts[4].endswith(":5432"):
            pid = re.search(r"pid=(\d+)", line)
            if pid:
                owners[int(parts[3].rsplit(":", 1)[1])] = int(pid.group(1))
    return owners


def _role(cmd: str) -> str:
    if "gunicorn" in cmd:
        return "gunicorn"
    if "netral worker" in cmd:
        return "worker"
    if cmd.startswith("wrk"):
        return "wrk"
    if "postgres" in cmd:
        return "pg-other"
    return "python-other" if "python" in cmd else "other"


def main() -> None:
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", nargs="?", type=float, default=5.0)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    conn = psycopg.connect(args.pg_url, autocommit=True)
    before = _processes()
    while True:
        time.sleep(args.seconds)
        now = _processes()
        owners = _client_ports()
        backends = dict(
            conn.execute(
                "SELECT pid, client_port FROM pg_stat_activity WHERE client_port IS NOT NULL"
            ).fetchall()
        )
        cores: dict[str, float] = {}
        for pid, (ticks, cmd, parent) in now.items():
            used = ticks - before[pid][0] if pid in before else ticks
            if used <= 0:
                continue
            role = _role(cmd)
            if pid in backends:
                owner = owners.get(backends[pid])
                role = "pg<-" + (_role(now[owner][1]) if owner in now else "?")
            elif parent in now and _role(now[parent][1]) == "worker":
                role = "worker"
            cores[role] = cores.get(role, 0.0) + used / TICK / args.seconds
        shown = " ".join(f"{k} {v:.2f}" for k, v in sorted(cores.items(), key=lambda kv: -kv[1]))
        print(f"{time.strftime('%H:%M:%S')} total {sum(cores.values()):.2f} cores | {shown}")
        before = now


if __name__ == "__main__":
    main()
