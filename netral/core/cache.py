"""Django's Redis cache, kept serving when Redis is not (issue 15: "Redis down, the web keeps
serving").

Everything Netral keeps in the cache can be rebuilt or lived without for a while: the rate
limits' counters, the used-challenge list, cached pages, and (with SESSION_STORE=cached_db) the
sessions' cached copies, whose truth is in the database. So when Redis refuses or times out,
`ResilientRedisCache` answers from the process's own memory instead of raising (Django's
RedisCache raises, and the public form, the transparency page and every cached page answered
500):

- Django makes one cache object per thread; the failover's state is the process's, shared by
  all of them (`_FailoverState`, one per Redis location, key prefix, version, key function
  and default timeout): one circuit, one local store, one list of the keys changed meanwhile;
- the first failure opens the circuit for `FAILOVER_SECONDS` (OPTIONS, default 5 s): every
  operation of every thread goes to local memory at once, without waiting on a dead server,
  one at a time under the state's lock (they are in-memory and short);
- past that window, the next operation writes back what changed meanwhile in one pipeline,
  still under the lock, so no other thread changes the local store while it is written back
  nor reads Redis before it is up to date; only then does the circuit close. Writing back: a
  counter counted meanwhile (a rate limit, `incr`) is added to Redis's (`INCRBY`, its window's
  expiry kept), a marker added meanwhile (`add`: a used challenge) is added there too (`SET
  NX`, its remaining lifetime), and a key set, touched or deleted meanwhile (a session, a
  cached page) is deleted from Redis, whose copy is older than the database's. A write-back
  that fails (Redis away again, or refusing writes: out of memory, read-only) keeps the list
  and the local store and waits another window; one that timed out may have been applied by
  the server after all, and is sent again: a counter may then count twice (stricter, never
  looser), the rest is idempotent;
- the outage and the recovery are logged once each per process (logger `netral.cache`),
  readiness (`/healthz/ready`) asks the server itself (`ping_server`), and /metrics shows
  `netral_cache_failover` for the process that answers the scrape.

What it cannot do (docs/how-to/deploy.md, "Redis down"): another node that still reaches
Redis (a partial partition), or a process restarted during the outage, or more than
`FAILOVER_KEYS` keys changed, can leave a copy in Redis older than the database until it
expires; challenges solved before the outage are not known to the local store meanwhile.

Only a lost connection or a timeout fails over (redis-py's ConnectionError and TimeoutError,
but not a refused password or command: those are configuration faults); any other error of
Redis (a wrong command, a full server refusing writes) raises as before. A well-kept library
was looked for: django-redis's `DJANGO_REDIS_IGNORE_EXCEPTIONS` answers a miss and drops
writes, so an increment (a rate limit) fails instead of counting, and it replaces Django's
own backend.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import AuthenticationError, AuthorizationError, RedisError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("netral.cache")

SERVER_DOWN = (RedisConnectionError, RedisTimeoutError)
# ConnectionError's subclasses that say the server answered and refused: not an outage
REFUSED = (AuthenticationError, AuthorizationError)

T = TypeVar("T")

# What a key's change during the outage means for its copy in Redis on recovery.
DROP = "drop"  # set, touch, delete: Redis's copy is stale; delete it
ADD = "add"  # add: a marker (a used challenge); add it there too, if absent
COUNT = "count"  # incr: a counter; add what was counted meanwhile


@dataclass
class _FailoverState:
    """One process's failover for one Redis location and key prefix (every thread's)."""

    local: LocMemCache
    # re-entrant: a fallback that calls back into the cache must not deadlock its thread
    lock: threading.RLock = field(default_factory=threading.RLock)
    outage: bool = False
    down_until: float = 0.0  # time.monotonic() until which Redis is not tried
    # (key, version) -> (DROP | ADD | COUNT, expiry as time.time() or None)
    written: dict[tuple[Any, int | None], tuple[str, float | None]] = field(default_factory=dict)
    overflow: bool = False


_MISSING = object()

_STATES: dict[tuple[Any, ...], _FailoverState] = {}
_STATES_LOCK = threading.Lock()


def failover_active() -> bool:
    """True while any Redis cache of this process answers from local memory (/metrics)."""
    return any(state.outage for state in list(_STATES.values()))


class ResilientRedisCache(RedisCache):
    """RedisCache that fails over to the process's memory while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.failover_seconds = float(options.pop("FAILOVER_SECONDS", 5))
        self.failover_keys = int(options.pop("FAILOVER_KEYS", 10_000))
        local_entries = int(options.pop("FAILOVER_MAX_ENTRIES", 100_000))
        params["OPTIONS"] = options
        super().__init__(server, params)
        identity = (
            str(server),
            str(params.get("KEY_PREFIX", "")),
            params.get("VERSION"),
            str(params.get("KEY_FUNCTION", "")),
            params.get("TIMEOUT", DEFAULT_TIMEOUT),
        )
        with _STATES_LOCK:
            state = _STATES.get(identity)
            if state is None:
                shared = {"TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION"}
                local = {k: v for k, v in params.items() if k in shared}
                # LocMemCache instances of one name share their store: a stable name
                state = _FailoverState(
                    local=LocMemCache(
                        "netral-failover:" + ":".join(map(str, identity)),
                        {**local, "OPTIONS": {"MAX_ENTRIES": local_entries}},
                    )
                )
                _STATES[identity] = state
        self._state = state
        self.local = state.local

    # --- the circuit ----------------------------------------------------------------------

    @property
    def outage(self) -> bool:
        """True while this process answers from its own memory."""
        return self._state.outage

    def guarded(self, on_server: Callable[[], T], locally: Callable[[], T]) -> T:
        """`on_server()` while Redis answers, else `locally()`: the failover of every
        operation here, and of the rate limits' own Redis pipeline (netral/cases/ratelimit.py).
        `locally` runs under the state's lock (re-entrant), and should use `self.local`."""
        state = self._state
        if not state.outage:  # the usual case: no lock taken
            try:
                return on_server()
            except SERVER_DOWN as exc:
                if isinstance(exc, REFUSED):
                    raise
                with state.lock:
                    self._trip(exc)
                    return locally()
        with state.lock:
            if state.outage and not self._recover():
                return locally()
        return on_server()  # the circuit closed: Redis is up to date

    def _trip(self, exc: BaseException) -> None:
        """Open the circuit (the state's lock held)."""
        state = self._state
        first = not state.outage
        state.down_until = time.monotonic() + self.failover_seconds
        if first:
            state.outage = True
            state.written.clear()
            state.overflow = False
            self.local.clear()
            logger.warning(
                "Redis cache unreachable (%s: %s): answering from this process's memory, "
                "trying again every %g s",
                type(exc).__name__,
                exc,
                self.failover_seconds,
            )

    def _recover(self) -> bool:
        """Past the failover window, write back what changed meanwhile and close the
        circuit (the state's lock held); False while Redis does not take it."""
        state = self._state
        if time.monotonic() < state.down_until:
            return False
        try:
            self._write_back(state.written)
        except REFUSED:
            raise
        except RedisError as exc:  # away again, or refusing writes (OOM, read-only replica)
            state.down_until = time.monotonic() + self.failover_seconds
            logger.warning(
                "Redis cache: writing back the outage's changes failed (%s: %s); answering "
                "from this process's memory, trying again in %g s",
                type(exc).__name__,
                exc,
                self.failover_seconds,
            )
            return False
        logger.warning(
            "Redis cache reachable again: %d key(s) changed meanwhile written back%s",
            len(state.written),
            " (more changed than FAILOVER_KEYS: some copies in Redis may be older than the"
            " database until they expire)"
            if state.overflow
            else "",
        )
        state.written.clear()
        state.overflow = False
        self.local.clear()
        state.outage = False
        return True

    def _write_back(self, written: dict[tuple[Any, int | None], tuple[str, float | None]]) -> None:
        """Bring Redis up to date with the keys changed during the outage (see DROP, ADD,
        COUNT); one round trip. Raises SERVER_DOWN while Redis does not answer."""
        client = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]
        if not written:
            client.ping()
            return
        now = time.time()
        pipeline = client.pipeline(transaction=False)
        for (key, version), (kind, expires) in written.items():
            full = self.make_and_validate_key(key, version=version)
            ttl = None if expires is None else max(1, int(expires - now))
            if kind == DROP:
                pipeline.delete(full)
                continue
            value = self.local.get(key, _MISSING, version)
            if value is _MISSING or (expires is not None and expires <= now):
                continue
            if kind == COUNT and isinstance(value, int):
                # the window's key may not exist in Redis yet: create it with its expiry
                pipeline.set(full, 0, ex=ttl, nx=True)
                pipeline.incrby(full, value)
            else:
                dumped = self._cache._serializer.dumps(value)  # type: ignore[attr-defined]
                pipeline.set(full, dumped, ex=ttl, nx=True)
        pipeline.execute()

    def _remember(self, keys: Any, version: int | None, kind: str, timeout: Any) -> None:
        """Keys changed in local memory during the outage, and how Redis must learn of it
        (the state's lock held, by `guarded`)."""
        state = self._state
        version = self.version if version is None else version  # one entry per Redis key
        now = time.time()
        expires = None
        if timeout is not None:
            seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
            expires = None if seconds is None else now + float(seconds)
        for key in keys:
            entry = (key, version)
            earlier = state.written.get(entry)
            if earlier is None and len(state.written) >= self.failover_keys:
                state.overflow = True
                continue
            if earlier is not None and kind == COUNT:
                # a counter keeps the expiry its `add` gave it; a dropped key stays dropped
                state.written[entry] = (DROP if earlier[0] == DROP else COUNT, earlier[1])
            elif earlier is not None and kind == ADD and (earlier[1] or now + 1) > now:
                continue  # `add` on a key still there changes nothing
            else:
                state.written[entry] = (kind, expires)

    def count_locally(self, keys: list[str], delta: int, timeout: int) -> list[int]:
        """The rate limits' add-then-increment in the local store, remembered for the
        write-back (netral/cases/ratelimit.py's fallback; the state's lock held)."""
        counts = []
        for key in keys:
            self.local.add(key, 0, timeout)
            self._remember([key], None, ADD, timeout)
            counts.append(int(self.local.incr(key, delta)))
            self._remember([key], None, COUNT, timeout)
        return counts

    def ping_server(self) -> None:
        """Ask Redis itself (readiness): raises while it does not answer."""
        self._cache.get_client(None, write=True).ping()  # type: ignore[attr-defined]

    # --- Django's cache API, each operation guarded ---------------------------------------

    def _write(
        self,
        keys: Any,
        version: int | None,
        kind: str,
        timeout: Any,
        on_server: Callable[[], T],
        locally: Callable[[], T],
    ) -> T:
        def local_write() -> T:
            result = locally()
            self._remember(keys, version, kind, timeout)
            return result

        return self.guarded(on_server, local_write)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._write(
            [key],
            version,
            ADD,
            timeout,
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
            DROP,
            timeout,
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self.local.set(key, value, timeout, version),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._write(
            [key],
            version,
            DROP,
            timeout,
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self.local.touch(key, timeout, version),
        )

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._write(
            [key],
            version,
            DROP,
            None,
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
            COUNT,
            None,
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self.local.incr(key, delta, version),
        )

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        data = dict(data)
        return self._write(
            list(data),
            version,
            DROP,
            timeout,
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self.local.set_many(data, timeout, version),
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        keys = list(keys)
        self._write(
            keys,
            version,
            DROP,
            None,
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self.local.delete_many(keys, version),
        )

    async def aincr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        # BaseCache's aincr is a get then a set (not atomic, and a DROP here): the sync one
        return await sync_to_async(self.incr, thread_sensitive=True)(key, delta, version)

    async def adecr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return await sync_to_async(self.incr, thread_sensitive=True)(key, -delta, version)

    def clear(self) -> None:
        """Delete this cache's keys only (`KEY_PREFIX:*`), never the whole Redis database:
        Django's RedisCache.clear() is FLUSHDB, which would also empty the RQ queues of a
        NETRAL_TASK_REDIS_URL on the same database. Raises while Redis is away."""
        self.local.clear()
        client = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]
        # Django's keys are "prefix:version:key": a version's digits right after the prefix,
        # so a longer prefix that begins with this one is not matched; glob characters escaped
        escaped = "".join(f"\\{c}" if c in "*?[]\\" else c for c in self.key_prefix)
        pattern = f"{escaped}:[0-9]*"
        batch: list[Any] = []
        for name in client.scan_iter(match=pattern, count=1000):
            batch.append(name)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
