"""The rate limits on Redis (CACHE_URL=redis://, what several gunicorn workers must use) count
in one round trip per hit, and keep the semantics of the cache API: the counter `over` reads,
the window's expiry, exact counting under a burst, `undo` and the upload quota."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import override_settings

from netral.cases import ratelimit

REDIS_URL = os.environ.get("NETRAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture(autouse=True)
def redis_cache() -> Iterator[Any]:
    if not REDIS_URL:
        pytest.skip("no Redis (NETRAL_TEST_REDIS_URL is empty)")
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception:
        pytest.skip("no Redis on this machine")
    prefix = f"hform-test-{os.getpid()}-{time.time_ns()}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(REDIS_URL)
    with override_settings(CACHES=caches):
        yield client
    # only this test's keys: cache.clear() would flush the whole Redis database, which other
    # test runs on the machine may share
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def _key(name: str, key: str) -> str:
    _limit, window = ratelimit.limits(name)
    return ratelimit._bucket(name, key, window)


@override_settings(NETRAL_RATE_REPORT=(3, 3600))
def test_hits_count_toward_the_limit_that_over_reads() -> None:
    assert [ratelimit.hit("report", "c1") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.over("report", "c1")
    assert cache.get(_key("report", "c1")) == 4
    assert not ratelimit.over("report", "c2")


@override_settings(NETRAL_RATE_PIN=(5, 900))
def test_a_hit_sets_the_window_expiry_once(redis_cache: Any) -> None:
    ratelimit.hit("pin", "c1")
    full_key = cache.make_and_validate_key(_key("pin", "c1"))
    first = redis_cache.ttl(full_key)
    assert 1790 <= first <= 1800  # two windows
    ratelimit.hit("pin", "c1")
    assert redis_cache.ttl(full_key) <= first  # not pushed back by later hits


@override_settings(NETRAL_RATE_PIN=(5, 900))
def test_undo_gives_back_one_hit() -> None:
    ratelimit.hit("pin", "c1")
    ratelimit.hit("pin", "c1")
    ratelimit.undo("pin", "c1")
    assert cache.get(_key("pin", "c1")) == 1


@override_settings(NETRAL_RATE_PIN=(5, 900))
def test_a_burst_of_concurrent_attempts_gets_exactly_the_limit() -> None:
    barrier = threading.Barrier(30)
    allowed: list[bool] = []

    def attempt() -> None:
        barrier.wait()
        allowed.append(ratelimit.hit("pin", "burst"))

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert allowed.count(True) == 5
    assert cache.get(_key("pin", "burst")) == 30


@override_settings(NETRAL_UPLOAD_QUOTA_MB_PER_DAY=1)
def test_the_upload_quota_adds_sizes_and_gives_back() -> None:
    assert ratelimit.upload_quota_take("c1", 600 * 1024)
    assert not ratelimit.upload_quota_take("c1", 600 * 1024)  # would pass 1 MB: refused
    ratelimit.upload_quota_give_back("c1", 600 * 1024)
    assert cache.get(ratelimit._quota_key("c1")) == 0


def test_a_hit_is_one_round_trip(redis_cache: Any) -> None:
    import redis

    sent: list[Any] = []
    real = redis.connection.Connection.send_packed_command

    def counting(self: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(command)
        return real(self, command, *args, **kwargs)

    ratelimit.hit("search", "warm")  # the connection is open
    with mock.patch.object(redis.connection.Connection, "send_packed_command", counting):
        ratelimit.hit("search", "c1")
    assert len(sent) == 1
