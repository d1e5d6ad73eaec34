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


@pytest.fixture(
    autouse=True,
    # the backend CACHE_URL selects, and Django's own (ratelimit's pipeline serves both)
    params=["netral.core.cache.ResilientRedisCache", "django.core.cache.backends.redis.RedisCache"],
    ids=["resilient", "django"],
)
def redis_cache(request: pytest.FixtureRequest) -> Iterator[Any]:
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
            "BACKEND": request.param,
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


class _Sent:
    """The commands the Redis client sends (each packed command is one round trip)."""

    def __init__(self) -> None:
        self.commands: list[Any] = []

    def __enter__(self) -> _Sent:
        import redis

        real = redis.connection.Connection.send_packed_command
        sent = self.commands

        def counting(conn: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
            sent.append(command)
            return real(conn, command, *args, **kwargs)

        self._patch = mock.patch.object(
            redis.connection.Connection, "send_packed_command", counting
        )
        self._patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._patch.stop()


def test_a_hit_is_one_round_trip() -> None:
    ratelimit.hit("search", "warm")  # the connection is open
    with _Sent() as sent:
        ratelimit.hit("search", "c1")
    assert len(sent.commands) == 1


@override_settings(NETRAL_RATE_REPORT=(2, 3600), NETRAL_RATE_REPORT_HARD=(3, 3600))
def test_several_limits_are_counted_in_one_round_trip_as_hit_counts_them() -> None:
    ratelimit.hit("search", "warm")  # the connection is open
    with _Sent() as sent:
        first = ratelimit.hit_all(("report_hard", "report"), "c1")
    assert len(sent.commands) == 1
    assert first == {"report_hard": True, "report": True}
    assert ratelimit.hit_all(("report_hard", "report"), "c1") == {
        "report_hard": True,
        "report": True,
    }
    # the third: past "report" (2), within "report_hard" (3); the fourth past both
    assert ratelimit.hit_all(("report_hard", "report"), "c1") == {
        "report_hard": True,
        "report": False,
    }
    assert ratelimit.hit_all(("report_hard", "report"), "c1") == {
        "report_hard": False,
        "report": False,
    }
    # the same counters `hit` and `over` use
    assert cache.get(_key("report", "c1")) == 4
    assert cache.get(_key("report_hard", "c1")) == 4
    assert not ratelimit.hit("report", "c1")
    assert cache.get(_key("report", "c1")) == 5
    assert ratelimit.over("report_hard", "c1")
    assert not ratelimit.over("report_hard", "c2")


@override_settings(NETRAL_RATE_REPORT=(2, 3600), NETRAL_RATE_REPORT_HARD=(3, 3600))
def test_several_limits_are_read_in_one_round_trip_as_over_reads_them() -> None:
    ratelimit.hit("search", "warm")
    for _ in range(2):
        ratelimit.hit("report", "c1")
    with _Sent() as sent:
        used = ratelimit.used_up(("report", "report_hard"), "c1")
    assert len(sent.commands) == 1
    assert used == {"report": True, "report_hard": False}
    assert used["report"] == ratelimit.over("report", "c1")
    assert used["report_hard"] == ratelimit.over("report_hard", "c1")
    assert ratelimit.used_up(("report", "report_hard"), "nobody") == {
        "report": False,
        "report_hard": False,
    }


@override_settings(NETRAL_RATE_REPORT=(2, 3600), NETRAL_RATE_REPORT_HARD=(3, 900))
def test_limits_of_different_windows_are_each_counted_in_their_own(redis_cache: Any) -> None:
    """One MULTI/EXEC has one expiry: limits of different windows are counted one by one."""
    ratelimit.hit("search", "warm")
    with _Sent() as sent:
        counted = ratelimit.hit_all(("report_hard", "report"), "c1")
    assert counted == {"report_hard": True, "report": True}
    assert len(sent.commands) == 2
    assert cache.get(_key("report", "c1")) == 1
    assert cache.get(_key("report_hard", "c1")) == 1
    ttl = {
        name: redis_cache.ttl(cache.make_and_validate_key(_key(name, "c1")))
        for name in ("report", "report_hard")
    }
    assert 7190 <= ttl["report"] <= 7200  # two windows of each limit
    assert 1790 <= ttl["report_hard"] <= 1800


@pytest.mark.django_db
@override_settings(NETRAL_RATE_REPORT=(2, 3600), NETRAL_RATE_REPORT_HARD=(3, 3600))
def test_a_public_report_costs_two_redis_round_trips_and_the_limits_hold() -> None:
    """A filed report reads both limits in one round trip and counts both in another (four
    before); the challenge, then the hard cap, still come at their counts."""
    from django.test import Client

    from netral.cases.models import Case
    from tests.cases.test_public_views import URL, form_data

    client = Client()
    ratelimit.hit("search", "warm")
    with _Sent() as sent:
        assert client.post(URL, form_data()).status_code == 302
    assert len(sent.commands) == 2
    assert client.post(URL, form_data()).status_code == 302
    # two validated reports: the third needs the proof of work, and without it is refused
    assert "<altcha-widget" in client.get(URL).content.decode()
    assert client.post(URL, form_data()).status_code == 400
    # the hard cap (3) is used up by the refused one too: now 429, before any validation
    assert client.post(URL, form_data()).status_code == 429
    assert Case.objects.count() == 2
