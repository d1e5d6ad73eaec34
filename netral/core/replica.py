"""Read-heavy pages read from a PostgreSQL replica (DATABASE_REPLICA_URL), never their own
writes.

- Only the views named in NETRAL_REPLICA_VIEWS ("namespace:url_name" or "namespace:*") read
  from the replica, and only for GET/HEAD (ReplicaMiddleware opens the window per request).
- Inside that window, once the request writes anything, every later read of that request
  goes to the primary (the router sees the write).
- A streamed response (a CSV export) reads its rows while it is sent, after the view has
  returned: its iteration reads the replica too, under the same rules.
- A client that wrote (any unsafe method) gets a short cookie; for
  NETRAL_REPLICA_PIN_SECONDS its reads stay on the primary, so a dashboard viewed right
  after a change never shows the state before it, whatever the replica's lag.
Without DATABASE_REPLICA_URL all of this is a no-op: there is only "default".
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "netral_primary"

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "netral_reading_replica", default=False
)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("netral_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def use_replica() -> Iterator[None]:
    """Reads inside go to the replica until something is written."""
    token = _reading_replica.set(True)
    wrote = _wrote.set(False)
    try:
        yield
    finally:
        _reading_replica.reset(token)
        _wrote.reset(wrote)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_replica.get() and not _wrote.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"


def _view_uses_replica(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    names = settings.NETRAL_REPLICA_VIEWS
    return f"{match.namespace}:{match.url_name}" in names or f"{match.namespace}:*" in names


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and settings.NETRAL_REPLICA_PIN_SECONDS:
            until = int(time.time()) + settings.NETRAL_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(until),
                max_age=settings.NETRAL_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if (
            not replica_configured()
            or request.method not in ("GET", "HEAD")
            or _pinned(request)
            or not _view_uses_replica(request)
        ):
            return None
        with use_replica():
            response = view(request, *args, **kwargs)
            wrote = _wrote.get()
        if (
            getattr(response, "streaming", False)
            and not wrote  # the view wrote: its rows are read from the primary
            and getattr(response, "file_to_stream", None) is None  # a file: sent as it is
        ):
            # a streamed export reads its rows as the server sends them, after the view has
            # returned: those reads belong to the page too
            response.streaming_content = _on_replica(response.streaming_content)  # type: ignore[attr-defined]
        return response


def _on_replica(chunks: Iterable[Any]) -> Iterator[Any]:
    with use_replica():
        yield from chunks


def _pinned(request: HttpRequest) -> bool:
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False
