"""Health checks, metrics, JSON logs, storage, sessions and the replica router (issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netral.core import replica
from netral.jobs.services import worker_beat

ROOT = Path(__file__).resolve().parents[2]


def _settings_of(tmp_path: Path, expression: str, **overrides: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environ.update({"NETRAL_VAR_DIR": str(tmp_path), **overrides})
    proc = subprocess.run(
        [sys.executable, "-c", f"import config.settings as s; print({expression})"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


# --- health -------------------------------------------------------------------------------


def test_liveness_answers_without_dependencies(client: Client) -> None:
    assert client.get("/healthz/live").json() == {"status": "ok"}


def test_readiness_fails_without_a_worker_and_passes_with_one(db: Any, client: Client) -> None:
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "ok"
    assert checks["storage"]["status"] == "ok"
    assert checks["worker"] == {
        "status": "fail",
        "detail": "RuntimeError: no worker beat in the last 4 s",
    }
    from django.utils import timezone

    worker_beat(worker_id="w1", backend="database", started_at=timezone.now())
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["detail"] == "1 alive"


def test_readiness_names_a_failing_dependency(db: Any, client: Client, settings: Any) -> None:
    """A cache whose Redis refuses connections (a port nobody listens on), where the
    deployment asks readiness to require it: 503, naming the cache and the refusal."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "netral.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.NETRAL_HEALTH_REQUIRE_CACHE = True
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"]["status"] == "fail"
    assert "ConnectionError" in body["checks"]["cache"]["detail"]
    assert body["checks"]["database"]["status"] == "ok"


# --- metrics ------------------------------------------------------------------------------


def test_metrics_show_latency_by_view_queue_depth_and_age(db: Any, alice_client: Client) -> None:
    from tests.jobs.handlers import add

    add.enqueue(a=1, b=1)
    alice_client.get(reverse("core:dashboard"))
    text = alice_client.get("/metrics").content.decode()  # the test client is 127.0.0.1
    assert 'netral_request_seconds_count{method="GET",status="200",view="core:dashboard"}' in text
    assert 'netral_jobs_queued{handler="tests.jobs.handlers.add"} 1.0' in text
    assert 'netral_jobs_oldest_queued_seconds{handler="tests.jobs.handlers.add"}' in text
    assert "netral_deadline_alerts_open" in text
    assert "netral_public_reports_last_hour 0.0" in text


def test_metrics_are_refused_to_other_clients_without_the_token(db: Any, settings: Any) -> None:
    outside = Client(REMOTE_ADDR="203.0.113.9")
    assert outside.get("/metrics").status_code == 404
    settings.NETRAL_METRICS_TOKEN = "s3cret-token"
    assert outside.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


# --- logs, storage, sessions --------------------------------------------------------------


def test_logs_are_json_lines_when_asked(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environ.update({"NETRAL_VAR_DIR": str(tmp_path), "LOG_FORMAT": "json"})
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('netral.test').warning('hello %s', 'world')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    line = json.loads(proc.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == (
        "WARNING",
        "netral.test",
        "hello world",
    )
    assert "time" in line


def test_s3_storage_and_cached_sessions_are_chosen_by_environment(tmp_path: Path) -> None:
    storages = json.loads(
        _settings_of(
            tmp_path,
            "__import__('json').dumps(s.STORAGES['default'])",
            NETRAL_STORAGE="s3",
            NETRAL_S3_BUCKET="netral-media",
            NETRAL_S3_ENDPOINT_URL="http://minio.local:9000",
        )
    )
    assert storages["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storages["OPTIONS"]["bucket_name"] == "netral-media"
    assert storages["OPTIONS"]["endpoint_url"] == "http://minio.local:9000"
    assert _settings_of(tmp_path, "s.STORAGES['default']['BACKEND']").endswith("FileSystemStorage")
    assert (
        _settings_of(tmp_path, "s.SESSION_ENGINE", SESSION_STORE="cached_db")
        == "django.contrib.sessions.backends.cached_db"
    )


# --- the replica router -------------------------------------------------------------------


@pytest.fixture
def with_replica(settings: Any) -> Any:
    """A second alias pointing at the same test database stands in for the replica."""
    from django.db import connections

    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    connections.settings = connections.configure_settings(settings.DATABASES)
    yield
    connections["replica"].close()
    del connections["replica"]
    connections.settings = connections.configure_settings(
        {k: v for k, v in settings.DATABASES.items() if k != "replica"}
    )


def test_without_a_replica_everything_reads_the_primary() -> None:
    from netral.jobs.models import Job

    router = replica.ReplicaRouter()
    with replica.use_replica():
        assert router.db_for_read(Job) == "default"


def test_reads_go_to_the_replica_until_the_request_writes(with_replica: Any) -> None:
    from netral.jobs.models import Job

    router = replica.ReplicaRouter()
    assert router.db_for_read(Job) == "default"  # outside a read-heavy page
    with replica.use_replica():
        assert router.db_for_read(Job) == "replica"
        router.db_for_write(Job)
        assert router.db_for_read(Job) == "default"  # never its own writes
    with replica.use_replica():
        assert router.db_for_read(Job) == "replica"


def test_a_streamed_export_reads_its_rows_from_the_replica_as_it_is_sent(
    db: Any, alice_client: Any, with_replica: Any
) -> None:
    """The CSV export streams its rows after the view has returned: those reads go to the
    replica too, not only the view's count."""
    from django.db import connections

    connections["replica"].connect()
    client = alice_client
    client.cookies.pop(replica.PIN_COOKIE, None)  # signing in wrote: not pinned any more
    response = client.get(reverse("dashboards:export", args=["cases", "csv"]))
    assert response.status_code == 200
    assert response.streaming
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        body = b"".join(response.streaming_content)
    assert body  # the header row at least
    assert len(on_replica) > 0
    assert len(on_primary) == 0
    # a download the client abandons after its first block: closing the response ends the
    # replica's window (the server thread's next request reads the primary)
    response = client.get(reverse("dashboards:export", args=["cases", "csv"]))
    assert next(iter(response.streaming_content))
    assert replica._reading_replica.get()
    response.close()
    assert not replica._reading_replica.get()


def test_a_listed_page_reads_the_replica_unless_the_client_just_wrote(
    db: Any, alice: Any, with_replica: Any, settings: Any
) -> None:
    """(The "replica" here is a second connection to the test database, opened after the
    test's own, outside its transaction.)"""
    from django.db import connections

    settings.NETRAL_TRANSPARENCY_CACHE_SECONDS = 0
    connections["replica"].connect()  # (Django's test case refuses to open it lazily)

    client = Client()
    url = reverse("dashboards:transparency")  # the public transparency page
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(url).status_code == 200
    assert len(on_replica) > 0
    # a write (any POST) pins the client to the primary for a while
    response = client.post(reverse("set_language"), {"language": "en"})
    assert replica.PIN_COOKIE in response.cookies
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        assert client.get(url).status_code == 200
    assert len(on_replica) == 0
    assert len(on_primary) > 0
    # a page not listed never reads the replica
    client.force_login(alice)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        client.get(reverse("core:dashboard"), HTTP_COOKIE="")
    assert len(on_replica) == 0
