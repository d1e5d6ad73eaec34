"""Redis down, the web keeps serving (issue 15, "Bad input and faults"): the cache backend
that CACHE_URL=redis:// selects answers from the process's memory while its server is away,
and drops the copies written meanwhile when it is back (netral/core/cache.py).

Each test runs a redis-server of its own on a free loopback port (the machine's shared Redis
is never stopped or paused), and stops or pauses it for real."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.cache import caches as cache_handler
from django.test import Client, override_settings

from netral.cases.models import Case
from netral.core import cache as cache_module
from netral.core.cache import ResilientRedisCache
from netral.core.health import readiness
from tests.cases.test_public_views import form_data
from tests.redis_server import REDIS_SERVER, Server

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None and os.environ.get("REQUIRE_REDIS") != "1",
    reason="redis-server is not installed",
)


@pytest.fixture(autouse=True)
def _fresh_failover_states() -> Iterator[None]:
    """The failover's state is the process's (netral.core.cache._STATES): each test its own."""
    cache_module._STATES.clear()
    yield
    cache_module._STATES.clear()


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
    outages = [r for r in caplog.records if "Redis cache unreachable" in r.getMessage()]
    assert len(outages) == 1, "the outage is logged once"
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
        # the first read after the outage: Redis is brought up to date before it is read,
        # so the session logged out meanwhile is not read back from Redis's old copy
        assert backend.get("session:abc") is None
    assert not backend.outage
    assert backend.get("untouched") == "kept"  # from Redis again
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


def test_every_thread_of_a_process_shares_one_failover(server: Server) -> None:
    """Django makes one cache object per thread: the circuit, the local store and the list
    of changes are the process's, so one thread's timeout spares the others theirs, and a
    count or a used challenge is seen by every thread."""
    objects: list[ResilientRedisCache] = []

    def make() -> None:
        objects.append(_backend(server.url, FAILOVER_SECONDS=30))

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = objects
    assert first is not second
    server.stop()
    assert first.add("altcha-used:n1", 1, 60)  # trips the circuit: one connection refused
    assert second.outage
    started = time.monotonic()
    assert not second.add("altcha-used:n1", 1, 60)  # already used, in the shared store
    assert second.incr("altcha-used:n1") == 2
    assert time.monotonic() - started < 0.05  # no server tried


def test_counts_and_used_challenges_of_the_outage_are_written_back(server: Server) -> None:
    """Rate-limit counters counted during the outage are added to Redis's (the window's
    expiry kept), challenges used meanwhile stay used there, and a page or session set
    meanwhile is dropped from Redis (its copy there is older)."""
    backend = _backend(server.url, FAILOVER_SECONDS=0.2)
    redis_client = server.client()
    assert backend.add("rl:report:1.2.3.4:7", 0, 600)
    assert backend.incr("rl:report:1.2.3.4:7", 2) == 2  # counted before the outage
    backend.set("page:transparansi", "old page")
    redis_client.execute_command("CLIENT", "PAUSE", "1200", "ALL")
    assert backend.get("anything") is None  # held past the socket timeout: the circuit opens
    assert backend.outage
    # during the outage, as ratelimit.hit and challenge.challenge_ok do
    backend.add("rl:report:1.2.3.4:7", 0, 600)
    assert backend.incr("rl:report:1.2.3.4:7", 3) == 3
    assert backend.add("altcha-used:n2", 1, 120)
    backend.set("page:transparansi", "new page", 300)
    time.sleep(1.4)
    assert backend.get("rl:report:1.2.3.4:7") == 5  # 2 before, 3 during: nothing forgotten
    assert not backend.outage
    ttl = redis_client.ttl(backend.make_key("rl:report:1.2.3.4:7"))
    assert 0 < ttl <= 600
    assert not backend.add("altcha-used:n2", 1, 120)  # still used: no replay
    assert 0 < redis_client.ttl(backend.make_key("altcha-used:n2")) <= 120
    assert backend.get("page:transparansi") is None  # neither the old copy nor a lost new one


def test_a_refused_password_is_an_error_not_an_outage(tmp_path: Path) -> None:
    """A wrong password in CACHE_URL is a configuration to fix: it raises, and readiness
    fails on it, instead of every process quietly serving from its own memory."""
    guarded = Server(tmp_path)
    guarded.start("--requirepass", "rahasia")
    try:
        backend = _backend(guarded.url.replace("redis://", "redis://:salah@"))
        with pytest.raises(redis.exceptions.AuthenticationError):
            backend.get("x")
        assert not backend.outage
    finally:
        guarded.stop()


def test_clear_deletes_this_caches_keys_only(server: Server) -> None:
    """Django's RedisCache.clear() is FLUSHDB: it would empty RQ's queues sharing the
    database. This one deletes its own keys."""
    backend = _backend(server.url)
    backend.set("page", "x")
    redis_client = server.client()
    redis_client.rpush("rq:queue:default", "job-1")
    backend.clear()
    assert backend.get("page") is None
    assert redis_client.lrange("rq:queue:default", 0, -1) == [b"job-1"]


def test_metrics_show_the_failover_of_the_process(db: Any, server: Server) -> None:
    from netral.core.health import metrics_text

    backend = _backend(server.url, FAILOVER_SECONDS=30)
    backend.get("x")
    assert b"netral_cache_failover 0.0" in metrics_text()
    server.stop()
    backend.get("x")
    assert backend.outage
    assert b"netral_cache_failover 1.0" in metrics_text()


def test_threads_counting_across_the_recovery_lose_and_repeat_nothing(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    """Four threads count a rate limit before, during and after the outage, each through
    its own cache object as Django gives them; Redis ends with every hit counted once."""
    from netral.cases import ratelimit

    url = server.url
    redis_client = server.client()
    key = "rl:report:10.0.0.1:9"
    _backend(url, FAILOVER_SECONDS=0.3).add(key, 0, 600)
    paused = threading.Event()
    hits_per_thread = 300

    def count() -> None:
        own = _backend(url, FAILOVER_SECONDS=0.3)  # one cache object per thread
        for i in range(hits_per_thread):
            if i == 50:
                paused.wait(5)  # the outage begins while every thread is mid-way
            own.guarded(
                lambda own=own: ratelimit._redis_increments(own, [key], 1, 600),
                lambda own=own: own.count_locally([key], 1, 600),
            )
            time.sleep(0.002)

    caplog.set_level(logging.WARNING, logger="netral.cache")
    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    redis_client.execute_command("CLIENT", "PAUSE", "800", "WRITE")
    paused.set()
    for thread in threads:
        thread.join(60)
    deadline = time.monotonic() + 5
    checker = _backend(url, FAILOVER_SECONDS=0.3)
    while checker.outage and time.monotonic() < deadline:
        checker.get("nudge")  # past the window, the next operation writes back
        time.sleep(0.1)
    assert not checker.outage
    messages = [r.getMessage() for r in caplog.records]
    assert sum("unreachable" in m for m in messages) == 1  # one outage, one process
    assert sum("reachable again" in m for m in messages) == 1
    assert int(redis_client.get(checker.make_key(key))) == 4 * hits_per_thread


def test_a_server_refusing_the_write_back_keeps_the_outage_and_its_changes(
    server: Server,
) -> None:
    """Redis answers again but refuses writes (out of memory): the process keeps serving
    from its memory and keeps the changes; once Redis takes them, they are written back."""
    backend = _backend(server.url, FAILOVER_SECONDS=0.2)
    redis_client = server.client()
    backend.set("session:xyz", {"user": 2})
    redis_client.execute_command("CLIENT", "PAUSE", "600", "ALL")
    assert backend.get("x") is None  # timed out: the circuit opens
    backend.delete("session:xyz")
    assert backend.add("altcha-used:n3", 1, 120)
    time.sleep(0.7)
    redis_client.config_set("maxmemory-policy", "noeviction")
    redis_client.config_set("maxmemory", "1")  # every write refused: OOM
    assert not backend.add("altcha-used:n3", 1, 120)  # served from memory, still used
    assert backend.outage
    assert redis_client.get(backend.make_key("altcha-used:n3")) is None  # refused, kept
    redis_client.config_set("maxmemory", "0")
    time.sleep(0.3)
    assert backend.get("session:xyz") is None
    assert not backend.outage
    assert redis_client.get(backend.make_key("session:xyz")) is None
    assert redis_client.get(backend.make_key("altcha-used:n3")) is not None
