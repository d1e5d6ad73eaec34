"""Django's Redis cache, kept serving when Redis is not (issue 15: "Redis down, the web keeps
serving").

Everything Netral keeps in the cache can be rebuilt or lived without for a while: the rate
limits' counters, the used-challenge list, cached pages, and (with SESSION_STORE=cached_db) the
sessions' cached copies, whose truth is in the database. So when Redis refuses or times out,
`ResilientRedisCache` answers from the process's own memory instead of raising (Django's
RedisCache raises, and the public form, the transparency page and every cached page answered
500):

- Django makes one cache object per thread; the failover's state is the process's, shared by
  all of them (`_FailoverState`, one per Redis location and key prefix): one circuit, one
  local store, one list of the keys written meanwhile;
- the first failure opens the circuit for `FAILOVER_SECONDS` (OPTIONS, default 5 s): every
  operation of every thread goes to local memory at once, without waiting on a dead server;
  then one thread tries Redis again, first by writing back what changed meanwhile, and only
  then does the circuit close (so no operation reads Redis before it is up to date);
- writing back: a counter counted meanwhile (a rate limit, `incr`) is added to Redis's
  (`INCRBY`, its window's expiry kept), a marker added meanwhile (`add`: a used challenge) is
  added there too (`SET NX`, its remaining lifetime), and a key set, touched or deleted
  meanwhile (a session, a cached page) is deleted from Redis, whose copy is older than the
  database's;
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

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import AuthenticationError, AuthorizationError
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
WRITE_BACK_ROUNDS = 3


@dataclass
class _FailoverState:
    """One process's failover for one Redis location and key prefix (every thread's)."""

    local: LocMemCache
    lock: threading.Lock = field(default_factory=threading.Lock)
    outage: bool = False
    down_until: float = 0.0  # time.monotonic() until which Redis is not tried
    recovering: bool = False  # one thread writes back; the others stay local meanwhile
    # (key, version) -> (DROP | ADD | COUNT, expiry as time.time() or None)
    written: dict[tuple[Any, int | None], tuple[str, float | None]] = field(default_factory=dict)
    overflow: bool = False


_STATES: dict[tuple[str, str, Any], _FailoverState] = {}
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
        identity = (str(server), str(params.get("KEY_PREFIX", "")), params.get("VERSION"))
        with _STATES_LOCK:
            state = _STATES.get(identity)
            if state is None:
                local = {k: v for k, v in params.items() if k in {"TIMEOUT", "KEY_PREFIX"}}
                local |= {k: v for k, v in params.items() if k in {"VERSION", "KEY_FUNCTION"}}
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
        operation here, and of the rate limits' own Redis pipeline (netral/cases/ratelimit.py)."""
        state = self._state
        if state.outage and not self._try_recover():
            return locally()
        try:
            return on_server()
        except SERVER_DOWN as exc:
            if isinstance(exc, REFUSED):
                raise
            self._trip(exc)
            return locally()

    def _trip(self, exc: BaseException) -> None:
        state = self._state
        with state.lock:
            first = not state.outage
            state.outage = True
            state.down_until = time.monotonic() + self.failover_seconds
        if first:
            logger.warning(
                "Redis cache unreachable (%s: %s): answering from this process's memory, "
                "trying again every %.0f s",
                type(exc).__name__,
                exc,
                self.failover_seconds,
            )

    def _try_recover(self) -> bool:
        """Past the failover window, one thread writes back what changed meanwhile; True
        once Redis is up to date and the circuit closed."""
        state = self._state
        with state.lock:
            if not state.outage:
                return True
            if state.recovering or time.monotonic() < state.down_until:
                return False
            state.recovering = True
        total, overflow = 0, state.overflow
        try:
            # Other threads go on writing locally while this one writes back: a few rounds
            # take what they added; the last closes the circuit with whatever is left.
            for round_ in range(WRITE_BACK_ROUNDS):
                with state.lock:
                    written = dict(state.written)
                    if round_ == WRITE_BACK_ROUNDS - 1 or not written:
                        state.written.clear()
                self._write_back(written)
                total += len(written)
                with state.lock:
                    for key, change in written.items():
                        if state.written.get(key) == change:
                            del state.written[key]
                    if not state.written:
                        break
        except SERVER_DOWN as exc:
            with state.lock:
                state.recovering = False
            if isinstance(exc, REFUSED):
                raise
            self._trip(exc)
            return False
        except BaseException:
            with state.lock:
                state.recovering = False
            raise
        with state.lock:
            state.written.clear()
            state.overflow = False
            state.outage = False
            state.recovering = False
        self.local.clear()
        logger.warning(
            "Redis cache reachable again: %d key(s) changed meanwhile written back%s",
            total,
            " (more changed than FAILOVER_KEYS: some copies in Redis may be older than the"
            " database until they expire)"
            if overflow
            else "",
        )
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
            value = self.local.get(key, None, version)
            if value is None or (expires is not None and expires <= now):
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
        """Keys changed in local memory during an outage, and how Redis must learn of it."""
        state = self._state
        if not state.outage:
            return
        expires = None
        if timeout is not None:
            seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
            expires = None if seconds is None else time.time() + float(seconds)
        with state.lock:
            for key in keys:
                entry = (key, version)
                earlier = state.written.get(entry)
                if earlier is None and len(state.written) >= self.failover_keys:
                    state.overflow = True
                    continue
                if kind == COUNT and earlier is not None:
                    # a counter keeps the expiry its `add` gave it; a dropped key stays dropped
                    state.written[entry] = (COUNT if earlier[0] != DROP else DROP, earlier[1])
                elif kind == ADD and earlier is not None:
                    continue  # `add` on an existing key changes nothing
                else:
                    state.written[entry] = (kind, expires)

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

    def clear(self) -> None:
        """Delete this cache's keys only (`KEY_PREFIX:*`), never the whole Redis database:
        Django's RedisCache.clear() is FLUSHDB, which would also empty the RQ queues of a
        NETRAL_TASK_REDIS_URL on the same database. Raises while Redis is away."""
        self.local.clear()
        client = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]
        pattern = f"{self.key_prefix}:*"
        batch: list[Any] = []
        for name in client.scan_iter(match=pattern, count=1000):
            batch.append(name)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
