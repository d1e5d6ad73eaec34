"""What every benchmark shares, so its figures hold on a busy machine.

- `Spread`: min / median / max of repeated runs (quote the median; a wide spread says the
  machine was noisy), printed with the load average of the moment.
- `alternate(...)`: subject and ceiling runs taken in turn, A B A B ..., at least three rounds,
  so a drift of the machine's speed falls on both alike; ratios are taken pair by pair.
- `serve(...)`: a gunicorn started on a free loopback port, waited for until it answers, and
  warmed until its latency is stable (not a fixed sleep), then stopped.
- `wrk(...)`: one wrk run parsed into requests per second and latency percentiles.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MIN_ROUNDS = 3


def loadavg() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min)"


@dataclass(frozen=True)
class Spread:
    samples: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def show(self, fmt: str = "{:.2f}", unit: str = "") -> str:
        return " / ".join(fmt.format(v) for v in (self.min, self.median, self.max)) + unit


def alternate(
    subjects: dict[str, Callable[[], float]], rounds: int = MIN_ROUNDS
) -> dict[str, Spread]:
    """Run each callable once per round, in the order given, for `rounds` rounds (>= 3).

    Each callable returns its own measurement (seconds, req/s, ...)."""
    rounds = max(rounds, MIN_ROUNDS)
    samples: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(rounds):
        for name, fn in subjects.items():
            samples[name].append(fn())
    return {name: Spread(tuple(values)) for name, values in samples.items()}


def ratios(a: Spread, b: Spread) -> Spread:
    """a / b pair by pair (the same round), so both saw the same machine."""
    return Spread(tuple(x / y for x, y in zip(a.samples, b.samples, strict=True)))


def report(label: str, spread: Spread, fmt: str = "{:.2f}", unit: str = "") -> None:
    print(f"  {label:44} min / median / max {spread.show(fmt, unit)}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(url: str, timeout: float = 60.0) -> None:
    """Poll `url` until it answers with any HTTP status (the server is up and importable)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  loopback only
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def warm_until_stable(
    url: str, *, batch: int = 20, tolerance: float = 0.2, max_batches: int = 30
) -> int:
    """GET `url` in batches until two batches in a row have medians within `tolerance` of
    each other (every worker has started, connected and filled its caches). Returns the
    number of requests it took."""
    previous: float | None = None
    for done in range(1, max_batches + 1):
        times = []
        for _ in range(batch):
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                    response.read()
            except urllib.error.HTTPError:
                pass
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        if previous is not None and abs(median - previous) <= tolerance * previous:
            return done * batch
        previous = median
    return max_batches * batch


@dataclass(frozen=True)
class Server:
    base: str  # http://127.0.0.1:PORT
    pid: int  # the gunicorn master


@contextlib.contextmanager
def serve(
    env: dict[str, str],
    *,
    workers: int,
    threads: int = 4,
    warm_paths: tuple[str, ...] = ("/healthz",),
    extra: tuple[str, ...] = (),
) -> Iterator[Server]:
    """gunicorn (the production config file) on a free port; yields it once every path of
    `warm_paths` answers with a stable latency."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "-c",
        "config/gunicorn.py",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--keep-alive",
        "5",
        "--log-level",
        "error",
        *extra,
    ]
    if threads > 1:
        command += ["-k", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + warm_paths[0])
        for path in warm_paths:
            warm_until_stable(base + path)
        yield Server(base, server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wrk(
    url: str, seconds: int, script: Path | None = None, connections: int = 16
) -> dict[str, Any]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(label: str) -> float:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def pg_url(args: Any, default_database: str) -> str:
    """The PostgreSQL URL of the database a benchmark may drop and recreate (from options)."""
    server = getattr(args, "pg_url", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    return f"{server}/{getattr(args, 'pg_database', None) or default_database}"


def pg_admin_url(args: Any) -> str:
    server = getattr(args, "pg_url", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    return f"{server}/postgres"


def sign_in(client: Any, user: Any) -> Any:
    """Sign `client` in as `user`, second factor given, as an officer is after signing in
    (issue 14 requires it of officers: without it every officer page redirects to /akun/2fa/)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from netral.accounts.twofactor import session_mark_verified

    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session_mark_verified(session, device)
    session.save()
    return client
