"""Redis down, the web keeps serving (issue 15, "Bad input and faults"): the cache backend
that CACHE_URL=redis:// selects answers from the process's memory while its server is away,
and drops the copies written meanwhile when it is back (netral/core/cache.py).

Each test runs a redis-server of its own on a free loopback port (the machine's shared Redis
is never stopped or paused), and stops or pauses it for real."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.cache import caches as cache_handler
from django.test import Client, override_settings

from netral.cases.models import Case
from netral.core.cache import ResilientRedisCache
from netral.core.health import readiness
from tests.cases.test_public_views import form_data
from tests.redis_server import REDIS_SERVER, Server

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None and os.environ.get("REQUIRE_REDIS") != "1",
    reason="redis-server is not installed",
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    running.start()
    yield running
    running.stop()


def _backend(url: str, **options: Any) -> ResilientRedisCache:
    return ResilientRedisCache(
        url,
        {
            "KEY_PREFIX": "t",
            "OPTIONS": {
                "socket_connect_timeout": 0.2,
                "socket_timeout": 0.2,
                "FAILOVER_SECONDS": 0.3,
                **options,
            },
        },
    )


def test_with_its_server_stopped_the_cache_answers_from_memory_and_logs_it_once(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    backend = _backend(server.url)
    backend.set("page", "from redis")
    assert server.client().get(backend.make_key("page")) is not None
    server.stop()
    with caplog.at_level(logging.WARNING, logger="netral.cache"):
        assert backend.get("page") is None  # a miss, not an error
        backend.set("page", "local")
        assert backend.get("page") == "local"
        assert backend.add("counter", 0)
        assert backend.incr("counter", 3) == 3
        assert backend.decr("counter") == 2
        assert backend.get_many(["page", "counter"]) == {"page": "local", "counter": 2}
        assert backend.outage
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1, (
        "the outage is logged once"
    )
    assert "Redis cache unreachable" in caplog.records[0].getMessage()
    with pytest.raises(redis.exceptions.ConnectionError):
        backend.ping_server()  # readiness asks the server itself


def test_within_the_failover_window_a_dead_server_is_not_waited_on(tmp_path: Path) -> None:
    # a port nobody listens on: each try is refused at once, but the circuit still stops the
    # tries; the count of connection attempts shows it
    dead = Server(tmp_path)  # never started
    backend = _backend(dead.url, FAILOVER_SECONDS=60)
    tries = 0
    real_get = ResilientRedisCache.__mro__[1].get  # RedisCache.get

    def counting_get(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal tries
        tries += 1
        return real_get(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ResilientRedisCache.__mro__[1], "get", counting_get)
        for _ in range(50):
            assert backend.get("x", "default") == "default"
    assert tries == 1


def test_a_paused_server_times_out_then_its_stale_copies_are_dropped_when_it_answers(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    """A server that stops answering (CLIENT PAUSE: connections open, replies held) costs a
    request one socket timeout, then the cache answers locally; what was written meanwhile is
    deleted from Redis when it answers again, so no other process reads the old copy (a
    session logged out during the outage stays logged out)."""
    backend = _backend(server.url, FAILOVER_SECONDS=0.2)
    backend.set("session:abc", {"user": 1})
    backend.set("untouched", "kept")
    server.client().execute_command("CLIENT", "PAUSE", "1500", "ALL")
    started = time.monotonic()
    assert backend.get("other") is None  # a read: sent, held, timed out
    assert time.monotonic() - started < 1.0  # one socket timeout (0.2 s), not the pause
    assert backend.outage
    backend.delete("session:abc")  # logged out while Redis is away: never sent to it
    assert backend.get("session:abc") is None
    time.sleep(1.7)  # the pause ends, the failover window too
    with caplog.at_level(logging.WARNING, logger="netral.cache"):
        assert backend.get("untouched") == "kept"  # from Redis again
    assert not backend.outage
    assert server.client().get(backend.make_key("session:abc")) is None
    assert server.client().get(backend.make_key("untouched")) is not None
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_other_errors_of_redis_still_raise(server: Server) -> None:
    backend = _backend(server.url)
    server.client().set(backend.make_key("text", version=1), "not a number")
    with pytest.raises(redis.exceptions.ResponseError):
        backend.incr("text")  # a real fault, not an outage: not hidden
    assert not backend.outage


@pytest.mark.django_db
def test_with_redis_down_the_public_pages_serve_and_readiness_names_the_cache(
    tmp_path: Path,
) -> None:
    """CACHE_URL on a Redis that is down, sessions cached there too: the report form, a
    report filed through it and the transparency page answer as with Redis up; readiness
    reports the cache as degraded (monitoring sees the outage) and fails
    on it only where NETRAL_HEALTH_REQUIRE_CACHE asks. Before netral/core/cache.py each of those
    pages answered 500."""
    dead = Server(tmp_path)  # nobody listens on its port
    caches = {
        "default": {
            "BACKEND": "netral.core.cache.ResilientRedisCache",
            "LOCATION": dead.url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(
        CACHES=caches,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        NETRAL_CHALLENGE_ALWAYS=False,
    ):
        assert isinstance(cache_handler["default"], ResilientRedisCache)
        web = Client()
        assert web.get("/lapor/").status_code == 200
        filed = web.post("/lapor/", form_data())
        assert filed.status_code == 302, filed.content.decode()[:2000]
        assert Case.objects.count() == 1
        assert web.get(filed["Location"]).status_code == 200  # the receipt
        assert web.get("/transparansi/").status_code == 200
        assert web.get("/masuk/").status_code == 200
        # readiness: the node serves, so it stays in the balancer; the cache shows degraded
        body = web.get("/healthz/ready").json()
        assert body["checks"]["cache"]["status"] == "degraded"
        assert "ConnectionError" in body["checks"]["cache"]["detail"]
        assert body["checks"]["database"]["status"] == "ok"
        with override_settings(NETRAL_HEALTH_REQUIRE_CACHE=True):
            ready, checks = readiness()
        assert not ready
        assert checks["cache"]["status"] == "fail"
