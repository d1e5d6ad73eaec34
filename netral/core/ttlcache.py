"""A small process-local cache of one value with a time-to-live, for reference data read on a
hot path (the public report form reads which units are active and the deadline rules on every
submission; they change a few times a year).

Each process (gunicorn worker) holds its own copy. A change made through a service calls
`invalidate(topic)`, which drops the copies of the process that made it at once; the other
processes see the change after at most the TTL (a setting in seconds; 0 = no caching, read
every time, as in the tests). Thread-safe enough for gthread workers: a load that raced an
invalidation is not stored (generation counter), so it cannot keep a stale value alive.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import transaction

T = TypeVar("T")

_registry: dict[str, list[TTLValue[object]]] = {}
_lock = threading.Lock()


class TTLValue(Generic[T]):
    """`loader()` is called at most once per TTL per process; `get()` returns its result."""

    def __init__(self, *, topic: str, loader: Callable[[], T], ttl_setting: str) -> None:
        self.topic = topic
        self.loader = loader
        self.ttl_setting = ttl_setting
        self._entry: tuple[T, float] | None = None  # (value, expires at, monotonic)
        self._generation = 0
        with _lock:
            _registry.setdefault(topic, []).append(self)  # type: ignore[arg-type]

    def get(self) -> T:
        ttl = float(getattr(settings, self.ttl_setting))
        if ttl <= 0:
            return self.loader()
        entry = self._entry
        now = time.monotonic()
        if entry is not None and now < entry[1]:
            return entry[0]
        generation = self._generation
        value = self.loader()
        if generation == self._generation:
            self._entry = (value, now + ttl)
        return value

    def clear(self) -> None:
        self._generation += 1
        self._entry = None


def invalidate(topic: str) -> None:
    """Drop this process's cached values of `topic` now and again when the current transaction
    commits (so a reader in another thread cannot re-cache the state before the commit)."""

    def _clear() -> None:
        for value in _registry.get(topic, []):
            value.clear()

    _clear()
    transaction.on_commit(_clear)
