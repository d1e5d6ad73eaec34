"""Gunicorn settings for serving Netral: `gunicorn -c config/gunicorn.py config.wsgi`.

Use it in production too. Only process-level tuning lives here; bind address, workers and
threads stay on the command line (or GUNICORN_CMD_ARGS), so each deployment sizes them for its
machine (the cases benchmark, bench/cases.py, passes its own).

Garbage collection: each worker imports Django, the apps and the URL configuration (about
120,000 tracked objects) and keeps them for its whole life. CPython's full (generation 2)
collection walks all of them: about 40 ms measured on the public report form's process, during
which every thread of that worker stands still, so the requests in flight on it all gain those
40 ms (the form's p99 under load, docs/benchmarks.md "cases"). `gc.freeze()` after start-up
moves them to a permanent generation that collections skip. Objects made by requests are
collected as before; the collection thresholds are Python's defaults (raising them saved no
CPU in the same measurement, only made each young collection longer).

Metrics: the request latency histogram (netral/core/health.py) is kept by every worker
process; prometheus_client's multiprocess mode has each write its samples to files in one
directory, and /metrics adds them all up, whichever worker answers the scrape. The directory
is `PROMETHEUS_MULTIPROC_DIR` if set (emptied when the server starts), else a fresh one under
the system's temporary directory, removed when the server stops. It must be set before
prometheus_client is first imported, so here, when gunicorn reads this file, before it loads
the application (`--preload` included).
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

_METRICS_READY = "NETRAL_METRICS_DIR_READY"  # set once: a configuration reload (HUP) keeps it
_own_metrics_dir: str | None = None


def _metrics_dir_prepare() -> None:
    global _own_metrics_dir
    if os.environ.get(_METRICS_READY):
        return
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for stale in Path(given).glob("*.db"):  # an earlier server's samples
            stale.unlink()
    else:
        _own_metrics_dir = tempfile.mkdtemp(prefix="netral-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = _own_metrics_dir
    os.environ[_METRICS_READY] = "1"


_metrics_dir_prepare()


def child_exit(server: Any, worker: Any) -> None:
    """A worker has gone: its live gauges stop counting (its histogram's samples stay)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    if _own_metrics_dir:
        shutil.rmtree(_own_metrics_dir, ignore_errors=True)


def post_worker_init(worker: Any) -> None:
    """After the worker has loaded the application: load the URL configuration (and with it
    every view module) now rather than on the first request, then freeze what start-up made."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.collect()
    gc.freeze()


def on_starting(server: Any) -> None:
    """Refuse to serve with several worker processes on the per-process cache.

    Rate limits, the PIN counters, upload quotas and the used-challenge list live in Django's
    cache (netral/cases/ratelimit.py). With CACHE_URL=locmem:// each worker would keep its own
    counters, multiplying every limit by the number of workers (issue 14, point 2)."""
    workers = int(getattr(server.cfg, "workers", 1) or 1)
    if workers <= 1:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    backend = str(settings.CACHES["default"]["BACKEND"])
    if backend.endswith(("LocMemCache", "DummyCache")):
        raise SystemExit(
            f"Netral refuses to start {workers} gunicorn workers on a per-process cache "
            f"({backend}): rate limits would not hold across them. Set CACHE_URL=redis://... "
            "(docs/how-to/deploy.md) or run one worker with threads."
        )
