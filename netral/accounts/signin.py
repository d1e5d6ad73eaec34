"""Signing in safely (issue 14 §10, §13): throttling, lockout, idle timeout, audit.

- Throttling and lockout are django-axes (a well-kept library): after
  NETRAL_LOGIN_LOCKOUT_AFTER failures for one account OR from one client the pair is locked
  until an administrator lifts it (`netral login_unlock`, or the admin's user page action).
  Before that, from NETRAL_LOGIN_DELAY_AFTER failures on, every further try must wait a delay
  that doubles with each failure (capped at NETRAL_LOGIN_DELAY_MAX_SECONDS); a try inside the
  delay is refused without the password being checked. Nothing sleeps, so a flood holds no
  worker.
- Every login, failure, refused try, lockout and unlock is written to the audit trail, on
  the account's chain (`accounts.user:<id>`); a try naming no account goes to the chain of
  the placeholder id 0 (no user has it).
- The idle timeout signs an officer out after NETRAL_IDLE_TIMEOUT_MINUTES without a request.
- "Sign out everywhere" bumps User.session_generation, which is part of the session hash
  Django checks on every request, so every other session of the account ends.

Django's auth signals (user_logged_in, user_login_failed) and axes' user_locked_out are the
hooks: they fire for every sign-in path (officer login, admin), which a view could not cover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.accounts.models import User
from netral.audit.services import audit_record

UNKNOWN_ACCOUNT_ID = 0
_LAST_SEEN = "netral_last_seen"


def client_ip(request: HttpRequest | None) -> str:
    """The client address used to count failures (axes' AXES_CLIENT_IP_CALLABLE): the
    trusted-proxy rule of netral.core.client (issue 14 §1). Empty when the request carries no
    address (a test client's force_login, a management command): axes keeps it in an IP
    address column, and PostgreSQL refuses anything that is not one."""
    import ipaddress

    from netral.core.client import client_address

    if request is None:
        return ""
    address = str(client_address(request))
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return ""
    return address


def _region_of(user: User) -> str | None:
    """The audit region of an account: its one jurisdiction, national (None) otherwise."""
    regions = {a.region_id for a in user.assignments.all()}
    return regions.pop() if len(regions) == 1 else None


def _account(username: str) -> User | None:
    if not username:
        return None
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


def login_audit(
    *, action: str, username: str, user: User | None, request: HttpRequest | None, note: str = ""
) -> None:
    """Record one sign-in event on the account's chain (or the unknown-account chain)."""
    subject = user if user is not None else _account(username)
    region = _region_of(subject) if subject is not None else None
    if subject is None:
        subject = User(pk=UNKNOWN_ACCOUNT_ID, username="?")
    details = {"username": username[:150], "client": client_ip(request)}
    if request is not None:
        details["user_agent"] = str(request.META.get("HTTP_USER_AGENT", ""))[:200]
    with transaction.atomic():
        audit_record(
            obj=subject,
            action=action,
            actor=user if user is not None and user.pk else None,
            after=details,
            region_code=region,
            note=note,
        )


# --- the delay before the lockout ----------------------------------------------------


def _failures(*, username: str, ip: str) -> tuple[int, dt.datetime | None]:
    """Failures counted by axes for this account or this client, and the latest time."""
    from axes.models import AccessAttempt  # type: ignore[import-untyped]

    worst, last = 0, None
    for condition in (Q(username=username) if username else None, Q(ip_address=ip)):
        if condition is None:
            continue
        row = AccessAttempt.objects.filter(condition).aggregate(
            n=Sum("failures_since_start"), at=Max("attempt_time")
        )
        worst = max(worst, row["n"] or 0)
        if row["at"] is not None and (last is None or row["at"] > last):
            last = row["at"]
    return worst, last


def login_delay_remaining(*, username: str, request: HttpRequest | None) -> int:
    """Seconds to wait before the next try is checked (0: go ahead)."""
    after = settings.NETRAL_LOGIN_DELAY_AFTER
    failures, last = _failures(username=username, ip=client_ip(request))
    if failures < after or last is None:
        return 0
    delay = min(2 ** (failures - after), settings.NETRAL_LOGIN_DELAY_MAX_SECONDS)
    waited = (timezone.now() - last).total_seconds()
    return max(0, int(delay - waited + 0.999))


@transaction.atomic
def login_unlock(*, username: str, actor: User | None, ip: str = "") -> int:
    """Lift a lockout (an administrator's act, audited): clears the account's failures, and
    the client's when `ip` is given. Returns the number of failure records removed."""
    from axes.utils import reset  # type: ignore[import-untyped]

    removed = reset(username=username) if username else 0
    if ip:
        removed += reset(ip=ip)
    subject = _account(username)
    audit_record(
        obj=subject if subject is not None else User(pk=UNKNOWN_ACCOUNT_ID),
        action="login.unlocked",
        actor=actor,
        after={"username": username, "client": ip, "records": removed},
        region_code=_region_of(subject) if subject is not None else None,
    )
    return int(removed)


# --- signal receivers (connected in AccountsConfig.ready) ----------------------------


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[_LAST_SEEN] = timezone.now().timestamp()
    login_audit(action="login.succeeded", username=user.get_username(), user=user, request=request)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))
    locked = bool(getattr(request, "axes_locked_out", False))
    login_audit(
        action="login.failed",
        username=username,
        user=None,
        request=request,
        note="terkunci" if locked else "",
    )


def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    login_audit(action="login.locked_out", username=username or "", user=None, request=request)


def on_logged_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is not None and user.pk:
        login_audit(action="logout", username=user.get_username(), user=user, request=request)


# --- sign out everywhere -------------------------------------------------------------


@transaction.atomic
def sessions_end_everywhere(*, user: User) -> None:
    """End every session of the account (this one too, by the caller's logout)."""
    User.objects.filter(pk=user.pk).update(session_generation=user.session_generation + 1)
    user.session_generation += 1
    audit_record(
        obj=user, action="sessions.ended_everywhere", actor=user, region_code=_region_of(user)
    )


# --- idle timeout --------------------------------------------------------------------


class IdleTimeoutMiddleware:
    """Sign an officer out after NETRAL_IDLE_TIMEOUT_MINUTES without a request (§13).

    The time of the last request is kept in the session and written at most once a minute,
    so an active officer does not cost a session write per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get(_LAST_SEEN)
            limit = settings.NETRAL_IDLE_TIMEOUT_MINUTES * 60
            if isinstance(last, (int, float)) and now - last > limit:
                login_audit(
                    action="logout.idle", username=user.get_username(), user=user, request=request
                )
                logout(request)
                messages.info(
                    request, _("Sesi Anda berakhir karena tidak ada aktivitas. Silakan masuk lagi.")
                )
                if request.path.startswith("/api/"):
                    return HttpResponse(status=401)
                return redirect_to_login(request.get_full_path())
            if not isinstance(last, (int, float)) or now - last > 60:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
