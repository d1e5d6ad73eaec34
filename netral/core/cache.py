"""Django's Redis cache, kept serving when Redis is not (issue 15: "Redis down, the web keeps
serving").

Everything Netral keeps in the cache can be rebuilt or lived without for a while: the rate
limits' counters, the used-challenge list, cached pages, and (with SESSION_STORE=cached_db) the
sessions' cached copies, whose truth is in the database. So when Redis refuses or times out,
`ResilientRedisCache` answers from a cache in the process's own memory instead of raising
(Django's RedisCache raises, and the public form, the transparency page and every cached
page answered 500):

- the first failure opens the circuit for `FAILOVER_SECONDS` (OPTIONS, default 5 s): every
  operation goes to local memory at once, without waiting on a dead server each time; then
  one operation tries Redis again and closes the circuit if it answers;
- the limits hold per process meanwhile (each gunicorn worker counts its own clients: looser
  by the number of workers, never off), and pages are cached per process;
- every key written or deleted while Redis was away is deleted from Redis when it answers
  again (up to `FAILOVER_KEYS` keys), so no other process reads a copy older than the
  database's: a session that was logged out while Redis was down stays logged out;
- the outage and the recovery are logged once each (logger `netral.cache`), and readiness
  (`/healthz/ready`) still reports the server itself (`ping_server`), so monitoring sees it.

Only a lost connection or a timeout fails over (redis-py's ConnectionError and TimeoutError):
any other error of Redis (a wrong command, a full server refusing writes) is a fault to see,
and raises as before. A well-kept library was looked for: django-redis's
`DJANGO_REDIS_IGNORE_EXCEPTIONS` answers a miss and drops writes, so an increment (a rate
limit) fails instead of counting, and it swaps Django's own backend for another.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("netral.cache")

SERVER_DOWN = (RedisConnectionError, RedisTimeoutError)

T = TypeVar("T")


class ResilientRedisCache(RedisCache):
    """RedisCache that fails over to the process's memory while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.failover_seconds = float(options.pop("FAILOVER_SECONDS", 5))
        self.failover_keys = int(options.pop("FAILOVER_KEYS", 10_000))
        params["OPTIONS"] = options
        super().__init__(server, params)
        local = {k: v for k, v in params.items() if k in {"TIMEOUT", "KEY_PREFIX", "VERSION"}}
        self.local = LocMemCache(f"netral-failover-{id(self)}", {**local, "OPTIONS": {}})
        self._lock = threading.Lock()
        self._down_until = 0.0  # time.monotonic() until which Redis is not tried
        self._outage = False
        self._written: set[tuple[Any, int | None]] = set()  # (key, version) to drop on return
        self._written_overflow = False

    # --- the circuit ----------------------------------------------------------------------

    @property
    def outage(self) -> bool:
        """True while this process answers from its own memory."""
        return self._outage

    def guarded(self, on_server: Callable[[], T], locally: Callable[[], T]) -> T:
        """`on_server()` while Redis answers, else `locally()`: the failover of every
        operation here, and of the rate limits' own Redis pipeline (netral/cases/ratelimit.py)."""
        if self._outage and time.monotonic() < self._down_until:
            return locally()
        try:
            result = on_server()
        except SERVER_DOWN as exc:
            self._trip(exc)
            return locally()
        if self._outage:
            self._recover()
        return result

    def _trip(self, exc: BaseException) -> None:
        with self._lock:
            first = not self._outage
            self._outage = True
            self._down_until = time.monotonic() + self.failover_seconds
        if first:
            logger.warning(
                "Redis cache unreachable (%s: %s): answering from this process's memory, "
                "trying again every %.0f s",
                type(exc).__name__,
                exc,
                self.failover_seconds,
            )

    def _recover(self) -> None:
        with self._lock:
            written, overflow = self._written, self._written_overflow
            self._written, self._written_overflow = set(), False
            self._outage = False
        by_version: dict[int | None, list[Any]] = {}
        for key, version in written:
            by_version.setdefault(version, []).append(key)
        try:
            for version, keys in by_version.items():
                super().delete_many(keys, version=version)
        except SERVER_DOWN as exc:  # gone again before the stale copies were dropped
            with self._lock:
                self._written |= written
                self._written_overflow |= overflow
            self._trip(exc)
            return
        self.local.clear()
        logger.warning(
            "Redis cache reachable again: %d key(s) written meanwhile dropped from it%s",
            len(written),
            " (more were written than FAILOVER_KEYS: some stale copies may remain until"
            " they expire)"
            if overflow
            else "",
        )

    def _remember(self, keys: Any, version: int | None) -> None:
        """Keys changed in local memory during an outage: their copies in Redis are stale."""
        if not self._outage:
            return
        with self._lock:
            for key in keys:
                if len(self._written) >= self.failover_keys:
                    self._written_overflow = True
                    return
                self._written.add((key, version))

    def ping_server(self) -> None:
        """Ask Redis itself (readiness): raises while it does not answer."""
        self._cache.get_client(None, write=True).ping()  # type: ignore[attr-defined]

    # --- Django's cache API, each operation guarded ---------------------------------------

    def _write(
        self, keys: Any, version: int | None, on_server: Callable[[], T], locally: Callable[[], T]
    ) -> T:
        def local_write() -> T:
            self._remember(keys, version)
            return locally()

        return self.guarded(on_server, local_write)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._write(
            [key],
            version,
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self.local.add(key, value, timeout, version),
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self.guarded(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self.local.get(key, default, version),
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._write(
            [key],
            version,
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self.local.set(key, value, timeout, version),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._write(
            [key],
            version,
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self.local.touch(key, timeout, version),
        )

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._write(
            [key],
            version,
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self.local.delete(key, version),
        )

    def get_many(self, keys: Any, version: Any = None) -> Any:
        keys = list(keys)
        return self.guarded(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self.local.get_many(keys, version),
        )

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self.guarded(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self.local.has_key(key, version),
        )

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._write(
            [key],
            version,
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self.local.incr(key, delta, version),
        )

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        data = dict(data)
        return self._write(
            list(data),
            version,
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self.local.set_many(data, timeout, version),
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        keys = list(keys)
        self._write(
            keys,
            version,
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self.local.delete_many(keys, version),
        )

    def clear(self) -> Any:
        self.local.clear()
        return super().clear()  # a deliberate flush: it should fail loudly when Redis is away
