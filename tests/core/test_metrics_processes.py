"""/metrics under several worker processes (issue 15, "request latency by view"): every
gunicorn worker keeps its own latency histogram, and a scrape, whichever worker answers it,
adds them all up (prometheus_client's multiprocess mode, wired in config/gunicorn.py and
netral/core/health.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from netral.core.health import metrics_text

ROOT = Path(__file__).resolve().parents[2]


def _count(exposition: bytes, view: str) -> float:
    total = 0.0
    for family in text_string_to_metric_families(exposition.decode()):
        for sample in family.samples:
            if sample.name == "netral_request_seconds_count" and sample.labels["view"] == view:
                total += sample.value
    return total


def test_a_scrape_adds_up_the_samples_of_every_process(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes observe requests into one directory; the exposition sums them."""
    script = (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "django.setup()\n"
        "from netral.core.health import REQUEST_LATENCY\n"
        "for _ in range(int(os.environ['N'])):\n"
        "    REQUEST_LATENCY.labels('cases:public_report', 'POST', '302').observe(0.01)\n"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    for n in (3, 4):
        subprocess.run(
            [sys.executable, "-c", script], env={**env, "N": str(n)}, cwd=ROOT, check=True
        )
    assert len(list(tmp_path.glob("histogram_*.db"))) == 2  # one file per process
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    text = metrics_text()
    assert _count(text, "cases:public_report") == 7
    assert b"netral_jobs_queued" in text or b"netral_workers_alive" in text  # the database's


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_workers_write_where_the_scrape_reads(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real gunicorn with two workers, configured by config/gunicorn.py: the requests they
    served, whichever served which, are all counted once; a stale file of an earlier server
    is emptied away at start."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "histogram_1.db").write_bytes(b"stale samples of an earlier server")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "CACHE_URL": "redis://127.0.0.1:6379/4",  # several workers need a shared cache
    }
    env.pop("DATABASE_URL", None)
    env.pop("NETRAL_METRICS_DIR_READY", None)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/healthz/live"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        served = 1
        lock = threading.Lock()

        def hammer() -> None:
            nonlocal served
            for _ in range(15):
                urllib.request.urlopen(url, timeout=10).read()
                with lock:
                    served += 1

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert served == 61
    assert not (metrics_dir / "histogram_1.db").exists()  # the earlier server's file: gone
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
    assert _count(metrics_text(), "healthz_live") == served, stderr.decode()[-2000:]
