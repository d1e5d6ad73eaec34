"""Cache-based rate limits and quotas for the public endpoints.

Counters are fixed windows in Django's cache, keyed by the client (netral/core/client.py: the
forwarded address only behind a trusted proxy) or by a tracking number. Every counter is
incremented first and decided after (`hit`): the cache's increment is atomic (Redis INCRBY;
LocMemCache under its lock), so a burst of concurrent attempts gets exactly `limit` through,
never "check, compare, then count" (issue 14, point 2). The counters must be shared by every
process that serves: config/gunicorn.py refuses to start several workers on the per-process
cache (CACHE_URL=locmem://).

Limits are settings (NETRAL_RATE_*), read with defaults here. The challenge a flooding client
must solve is the proof of work in netral/cases/challenge.py.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils import timezone

from netral.core.cache import ResilientRedisCache
from netral.core.client import client_address


def client_key(request: HttpRequest) -> str:
    return client_address(request)


_DEFAULTS = {
    "report": (10, 3600),  # validated reports per client; above this: challenge required
    "report_hard": (50, 3600),  # validated reports per client; above this: refused
    "pin": (5, 900),  # PIN attempts per client and per tracking number
    "search": (120, 60),
}


def limits(name: str) -> tuple[int, int]:
    """(max hits, window seconds) for a named limit."""
    value = getattr(settings, f"NETRAL_RATE_{name.upper()}", _DEFAULTS[name])
    return int(value[0]), int(value[1])


def _bucket(name: str, key: str, window: int) -> str:
    # A fixed window: the key names the window it counts, and lives two windows, so an
    # increment never meets a key that expired between `add` and `incr`.
    return f"rl:{name}:{key}:{int(time.time()) // window}"


def _increment(cache_key: str, delta: int, timeout: int) -> int:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return _redis_increment(backend, cache_key, delta, timeout)
    return _cache_increment(cache_key, delta, timeout)


def _cache_increment(cache_key: str, delta: int, timeout: int) -> int:
    """Add-then-increment through Django's cache API (LocMemCache; and the process's own
    memory while Redis is away, netral/core/cache.py)."""
    cache.add(cache_key, 0, timeout)
    try:
        return int(cache.incr(cache_key, delta))
    except ValueError:  # evicted between add and incr (a full LocMemCache): start again
        cache.add(cache_key, 0, timeout)
        return int(cache.incr(cache_key, delta))


def _redis_increment(backend: RedisCache, cache_key: str, delta: int, timeout: int) -> int:
    return _redis_increments(backend, [cache_key], delta, timeout)[0]


def _redis_increments(
    backend: RedisCache, cache_keys: Sequence[str], delta: int, timeout: int
) -> list[int]:
    """The same add-then-increment on Redis in one round trip, for one counter or several:
    `SET key 0 EX timeout NX` and `INCRBY` per key in one MULTI/EXEC, so it stays atomic.
    Django's `add` and `incr` take three round trips per counter (`incr` asks EXISTS first).
    The keys are the ones `cache.get` reads (`make_and_validate_key`, prefix and version), and
    Django's Redis serializer stores integers as plain Redis integers, so `over`, `used_up`
    and `undo` read and change the same counters. Every key goes to the server of the first
    (Django's Redis cache writes to its first server)."""
    keys = [backend.make_and_validate_key(k) for k in cache_keys]

    def on_server() -> list[int]:
        client = backend._cache.get_client(keys[0], write=True)  # type: ignore[attr-defined]
        pipeline = client.pipeline(transaction=True)
        for key in keys:
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incrby(key, delta)
        replies = pipeline.execute()
        return [int(value) for value in replies[1::2]]

    if isinstance(backend, ResilientRedisCache):  # Redis away: count in this process
        return backend.guarded(
            on_server, lambda: backend.count_locally(list(cache_keys), delta, timeout)
        )
    return on_server()


def hit(name: str, key: str) -> bool:
    """Count one hit, then decide: True while the count (this hit included) is within the
    limit. Concurrent callers each get their own count from the atomic increment."""
    limit, window = limits(name)
    return _increment(_bucket(name, key, window), 1, 2 * window) <= limit


def hit_all(names: Sequence[str], key: str) -> dict[str, bool]:
    """`hit` for several limits of one key at once, each decided as `hit` decides it. On
    Redis one round trip for all of them (a public report counts two limits; the form's
    Redis round trips are part of what a report costs the web node, docs/benchmarks.md)."""
    plan = [(name, *limits(name)) for name in names]
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache) and len({window for _n, _l, window in plan}) == 1:
        window = plan[0][2]
        counts = _redis_increments(
            backend, [_bucket(name, key, window) for name, _l, _w in plan], 1, 2 * window
        )
        return {name: count <= limit for (name, limit, _w), count in zip(plan, counts, strict=True)}
    return {name: hit(name, key) for name, _l, _w in plan}


def undo(name: str, key: str) -> None:
    """Give back one hit (a PIN attempt that turned out right)."""
    _limit, window = limits(name)
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(_bucket(name, key, window))


def over(name: str, key: str) -> bool:
    """True when the limit is used up (reads; counts nothing)."""
    limit, window = limits(name)
    return int(cache.get(_bucket(name, key, window), 0)) >= limit


def used_up(names: Sequence[str], key: str) -> dict[str, bool]:
    """`over` for several limits of one key, in one read of the cache (Redis: one MGET)."""
    buckets: dict[str, tuple[str, int]] = {}
    for name in names:
        limit, window = limits(name)
        buckets[name] = (_bucket(name, key, window), limit)
    counts = cache.get_many([bucket for bucket, _limit in buckets.values()])
    return {name: int(counts.get(bucket, 0)) >= limit for name, (bucket, limit) in buckets.items()}


# --- upload quota per client and day (issue 14, point 4) --------------------------------


def _quota_key(client: str) -> str:
    return f"quota:upload:{client}:{timezone.localdate().isoformat()}"


def upload_quota_take(client: str, nbytes: int) -> bool:
    """Reserve `nbytes` of the client's daily upload quota (NETRAL_UPLOAD_QUOTA_MB_PER_DAY);
    False, with nothing reserved, when they would pass it. Reserve first, decide after."""
    if nbytes <= 0:
        return True
    quota = int(settings.NETRAL_UPLOAD_QUOTA_MB_PER_DAY) * 1024 * 1024
    used = _increment(_quota_key(client), nbytes, 2 * 86400)
    if used > quota:
        upload_quota_give_back(client, nbytes)
        return False
    return True


def upload_quota_give_back(client: str, nbytes: int) -> None:
    """Return a reservation whose files were not stored (the report was refused)."""
    if nbytes <= 0:
        return
    with contextlib.suppress(ValueError):
        cache.decr(_quota_key(client), nbytes)
