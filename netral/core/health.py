"""Liveness, readiness and Prometheus metrics (docs/how-to/deploy.md, "Monitor").

- /healthz/live: the process answers (no dependency checked): restart it when this fails.
- /healthz/ready: the database, the cache, the media storage and a worker's heartbeat each
  answer: take the node out of the load balancer when this fails (503 with the failing check).
  A Redis cache that does not answer is "degraded", and the node stays ready (every node
  shares it, and each serves from its own memory meanwhile), unless
  NETRAL_HEALTH_REQUIRE_CACHE.
- /metrics: Prometheus text format: request latency by view (RequestMetricsMiddleware), the
  job queue's depth and oldest age per handler, failed jobs, live workers, open deadline
  alerts and public reports in the last hour (read from the database at scrape time, so
  every node reports the same).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from netral.core.cache import REFUSED, SERVER_DOWN, ResilientRedisCache, failover_active

Check = Callable[[], str]


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


class Degraded(Exception):  # noqa: N818  (a state, not an error: the node still serves)
    """A check whose dependency is away while the node serves without it: reported as
    "degraded", and the node stays ready."""


def _cache() -> str:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, ResilientRedisCache):
        # the server itself: the backend answers from local memory while Redis is away
        try:
            backend.ping_server()
        except SERVER_DOWN as exc:
            if settings.NETRAL_HEALTH_REQUIRE_CACHE or isinstance(exc, REFUSED):
                raise  # a refused password is a configuration to fix, not an outage
            # Redis is shared by every node: failing them all would stop the service that
            # each still gives from its own memory (netral/core/cache.py)
            raise Degraded(
                f"{type(exc).__name__}: {exc}; answering from this process's memory"
            ) from exc
    key = f"netral:ready:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)
    return str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]


def _storage() -> str:
    default_storage.exists("healthz-probe")  # a round trip to the disk or the bucket
    return type(default_storage._wrapped).__name__ if hasattr(default_storage, "_wrapped") else ""


def _worker() -> str:
    from netral.jobs.services import workers_alive

    alive = workers_alive()
    if not alive and settings.NETRAL_HEALTH_REQUIRE_WORKER:
        raise RuntimeError(f"no worker beat in the last {settings.NETRAL_WORKER_STALE_SECONDS} s")
    return f"{len(alive)} alive"


CHECKS: dict[str, Check] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "worker": _worker,
}


def readiness() -> tuple[bool, dict[str, dict[str, str]]]:
    results: dict[str, dict[str, str]] = {}
    ok = True
    for name, check in CHECKS.items():
        try:
            results[name] = {"status": "ok", "detail": check()}
        except Degraded as exc:
            results[name] = {"status": "degraded", "detail": str(exc)[:300]}
        except Exception as exc:  # any failure of a dependency means not ready
            ok = False
            results[name] = {"status": "fail", "detail": f"{type(exc).__name__}: {exc}"[:300]}
    return ok, results


# --- metrics ------------------------------------------------------------------------------

REGISTRY = CollectorRegistry()
REQUEST_LATENCY = Histogram(
    "netral_request_seconds",
    "Time to answer a request, by view and method",
    ["view", "method", "status"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class DatabaseCollector(Collector):
    """Figures read from the database at scrape time (the same on every node)."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        from netral.cases.models import Case
        from netral.jobs.models import Job, JobStatus
        from netral.jobs.services import workers_alive
        from netral.monitoring.models import DeadlineAlert

        now = timezone.now()
        depth = GaugeMetricFamily(
            "netral_jobs_queued", "Background jobs waiting, by handler", labels=["handler"]
        )
        age = GaugeMetricFamily(
            "netral_jobs_oldest_queued_seconds",
            "Age of the oldest due job waiting, by handler",
            labels=["handler"],
        )
        due = (
            Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=now)
            .values("handler")
            .annotate(n=Count("id"), oldest=Min("run_after"))
        )
        for row in due:
            depth.add_metric([row["handler"]], row["n"])
            age.add_metric([row["handler"]], (now - row["oldest"]).total_seconds())
        yield depth
        yield age
        failed = GaugeMetricFamily("netral_jobs_failed", "Background jobs failed for good")
        failed.add_metric([], Job.objects.filter(status=JobStatus.FAILED).count())
        yield failed
        workers = GaugeMetricFamily("netral_workers_alive", "Workers with a recent heartbeat")
        workers.add_metric([], len(workers_alive(now=now)))
        yield workers
        alerts = GaugeMetricFamily(
            "netral_deadline_alerts_open", "Deadline alerts not acknowledged", labels=["kind"]
        )
        for row in (
            DeadlineAlert.objects.filter(acknowledged_at__isnull=True)
            .values("kind")
            .annotate(n=Count("id"))
        ):
            alerts.add_metric([row["kind"]], row["n"])
        yield alerts
        reports = GaugeMetricFamily(
            "netral_public_reports_last_hour", "Public reports filed in the last hour"
        )
        reports.add_metric(
            [], Case.objects.filter(filed_at__gte=now - dt.timedelta(hours=1)).count()
        )
        yield reports


class CacheCollector(Collector):
    """Whether the process answering the scrape serves from its own memory because the Redis
    cache does not answer (netral/core/cache.py); each process knows only its own."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "netral_cache_failover",
            "1 while this process answers from its own memory, its Redis cache unreachable",
        )
        gauge.add_metric([], 1 if failover_active() else 0)
        yield gauge


REGISTRY.register(DatabaseCollector())
REGISTRY.register(CacheCollector())


class RequestMetricsMiddleware:
    """Observe each request's latency under its view's name (the URL pattern's name)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match is not None else "<unresolved>"
        REQUEST_LATENCY.labels(view, request.method or "", str(response.status_code)).observe(
            time.perf_counter() - start
        )
        return response


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.NETRAL_METRICS_TOKEN
    if token and request.headers.get("Authorization") == f"Bearer {token}":
        return True
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_text() -> bytes:
    """The exposition. Under gunicorn (config/gunicorn.py sets PROMETHEUS_MULTIPROC_DIR) the
    latency histogram is the sum of every worker process's samples, read from their files;
    the database's figures are read once, here."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(DatabaseCollector())
        registry.register(CacheCollector())
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def metric_value(name: str, labels: dict[str, Any] | None = None) -> float | None:
    """One sample's value (tests)."""
    return REGISTRY.get_sample_value(name, labels or {})
