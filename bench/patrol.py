# ruff: noqa: S603
"""Patroli siber (issue 16): capture latency, queued throughput and memory per worker.

On the local fixture site (netral/patrol/fixture_site: a public-post imitation with an
image from a second host, a stylesheet and a script), served on loopback by this process and
admitted with NETRAL_FETCH_ALLOWED_NETWORKS for the children only:

1. Latency: N captures one after another through the real service (capture_request, then
   capture_run, the body of the task): render, archive (WARC + WACZ), screenshot, seal, store.
   Target: p95 within 10 s.
2. Throughput: 100 captures queued as tasks, run by two `netral worker --batch` processes
   (each with its own chromium). Ceiling, in the same run: two processes each running a bare
   Playwright loop (goto + full-page screenshot, chromium's own network, nothing stored)
   over the same pages.
3. Memory per worker: the peak resident set of each worker process together with its
   chromium processes (/proc, sampled every 0.2 s while the queue drains).

    .venv/bin/python -m bench patrol            # 20 sequential, 100 queued
    .venv/bin/python -m bench patrol --quick    # 5 sequential, 20 queued

Runs in a throwaway SQLite database, media and key directory, never in var/.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REGIONS = ROOT / "tests" / "fixtures" / "regions" / "wilayah-sample.csv"
PY = sys.executable
NETRAL = str(Path(PY).parent / "netral")
PAGES = 4  # the fixture site's posts


def _env(tmp: str) -> dict[str, str]:
    Path(tmp, "staticfiles").mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "NETRAL_VAR_DIR": tmp,
            "MEDIA_ROOT": f"{tmp}/media",
            "NETRAL_SIGNING_KEY_DIR": f"{tmp}/keys",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "NETRAL_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",
            "NETRAL_PERIODIC_JOBS_OFF": "1",
            "NETRAL_DEADLINE_WATCH_SECONDS": "0",
            "NETRAL_NOTIFICATIONS_SECONDS": "0",
            "NETRAL_TALLY_FOLD_SECONDS": "0",
            "NETRAL_TAKEDOWN_SWEEP_SECONDS": "0",
        }
    )
    return env


def _child(phase: str, *args: str, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [PY, "-m", "bench.patrol", phase, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


# --- child phases --------------------------------------------------------------------------


def _setup() -> Any:
    import django

    django.setup()
    return None


def _prepare() -> None:
    _setup()
    from django.core.management import call_command

    from netral.accounts.models import Assignment, Role, User
    from netral.registry.services.regions_load import regions_load

    call_command("migrate", verbosity=0)
    regions_load(path=SAMPLE_REGIONS, edition="sample")
    user = User.objects.create(username="bench")
    Assignment.objects.create(user=user, role=Role.BAWASLU_KABKOTA, region_id="64.08")


def _latency(base: str, n: int) -> None:
    _setup()
    from netral.accounts.models import User
    from netral.patrol import services
    from netral.patrol.capture import browser_close
    from netral.registry.models import Region

    user = User.objects.get(username="bench")
    unit = Region.objects.get(code="64.08")
    times = []
    for i in range(n):
        url = f"{base}/akun.{i}/post/{i % PAGES + 1}"
        start = time.perf_counter()
        capture = services.capture_request(actor=user, url=url, unit_region=unit, as_task=False)
        capture = services.capture_run(capture_id=capture.pk)
        times.append(time.perf_counter() - start)
        assert capture.status == "SELESAI", capture.error
    browser_close()
    print(" ".join(f"{t:.3f}" for t in times))


def _enqueue(base: str, n: int) -> None:
    _setup()
    from netral.accounts.models import User
    from netral.patrol import services
    from netral.registry.models import Region

    user = User.objects.get(username="bench")
    unit = Region.objects.get(code="64.08")
    for i in range(n):
        services.capture_request(
            actor=user, url=f"{base}/queued.{i}/post/{i % PAGES + 1}", unit_region=unit
        )


def _count() -> None:
    _setup()
    from netral.patrol.models import Capture

    done = Capture.objects.filter(status="SELESAI", url__contains="/queued.").count()
    failed = Capture.objects.filter(status="GAGAL", url__contains="/queued.").count()
    print(done, failed)


def _bare_loop(base: str, n: int, offset: int) -> None:
    """The ceiling: Playwright alone, chromium's own network, nothing archived or stored."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for i in range(n):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/bare.{offset + i}/post/{i % PAGES + 1}", wait_until="load")
            page.screenshot(full_page=True, type="png")
            context.close()
        browser.close()


# --- memory of a process tree ------------------------------------------------------------------


def _pss(pid: int) -> int:
    """Proportional set size (shared pages divided among their sharers), 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree_rss(pid: int) -> int:
    """Memory of `pid` and all its descendants (/proc): PSS where readable, else RSS, so
    chromium's processes sharing pages are not counted several times."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            pages = int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = _pss(int(entry)) or pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


# --- parent -------------------------------------------------------------------------------------


def run(args: Any, rest: list[str]) -> None:
    from netral.patrol.fixture_site import FixtureSite

    quick = bool(getattr(args, "quick", False))
    n_seq, n_queue = (5, 20) if quick else (20, 100)
    with tempfile.TemporaryDirectory(prefix="netral-bench-patrol-") as tmp, FixtureSite() as site:
        env = _env(tmp)
        _child("prepare", env=env)

        out = _child("latency", site.url, str(n_seq), env=env)
        times = [float(t) for t in out.split()]
        warm = times[1:] or times
        ranked = sorted(warm)
        p95 = ranked[max(0, -(-len(ranked) * 95 // 100) - 1)]  # nearest rank
        print(f"latency: {n_seq} captures one after another (request -> sealed, stored)")
        print(f"  first (browser start, imports): {times[0]:.2f} s")
        print(
            f"  then: p50 {statistics.median(warm):.2f} s, p95 {p95:.2f} s, max {max(warm):.2f} s"
            f"  (target p95 <= 10 s: {'met' if p95 <= 10 else 'NOT met'})"
        )

        # ceiling: two bare Playwright loops over the same pages
        start = time.perf_counter()
        bare = [
            subprocess.Popen(
                [PY, "-m", "bench.patrol", "bare", site.url, str(n_queue // 2), str(k * n_queue)],
                env=env,
                cwd=ROOT,
            )
            for k in range(2)
        ]
        for proc in bare:
            proc.wait()
        ceiling = time.perf_counter() - start

        _child("enqueue", site.url, str(n_queue), env=env)
        start = time.perf_counter()
        workers = [
            subprocess.Popen(
                [NETRAL, "worker", "--batch", "--worker-id", f"bench-{k}"], env=env, cwd=ROOT
            )
            for k in range(2)
        ]
        peaks = [0, 0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                for k, proc in enumerate(workers):
                    peaks[k] = max(peaks[k], _tree_rss(proc.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for proc in workers:
            proc.wait()
        elapsed = time.perf_counter() - start
        stop.set()
        sampler.join()
        done, failed = (int(x) for x in _child("count", env=env).split())
        print(f"throughput: {n_queue} queued captures, two `netral worker` processes")
        print(
            f"  Netral: {elapsed:.1f} s ({n_queue / elapsed:.2f} captures/s), "
            f"{done} sealed, {failed} failed"
        )
        print(
            f"  ceiling, bare Playwright goto+screenshot in two processes: {ceiling:.1f} s "
            f"({n_queue / ceiling:.2f} pages/s); Netral at {ceiling / elapsed:.0%} of it"
        )
        print(
            "memory per worker (peak PSS of the worker process and its chromium processes): "
            + ", ".join(f"{p / 2**20:.0f} MiB" for p in peaks)
        )


def _main() -> None:
    phase, *args = sys.argv[1:]
    if phase == "prepare":
        _prepare()
    elif phase == "latency":
        _latency(args[0], int(args[1]))
    elif phase == "enqueue":
        _enqueue(args[0], int(args[1]))
    elif phase == "count":
        _count()
    elif phase == "bare":
        _bare_loop(args[0], int(args[1]), int(args[2]))
    else:
        raise SystemExit(f"unknown phase {phase}")


if __name__ == "__main__":
    _main()
