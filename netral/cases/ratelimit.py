"""Cache-based rate limits and a self-hosted arithmetic challenge for public endpoints.

No outside service: when one client floods the report form, it must answer a small sum
signed by the server (django.core.signing); past a hard cap it gets 429 until the window
ends. Limits are settings (NETRAL_RATE_*), read with defaults here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

_SALT = "netral.cases.challenge"


def client_key(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy sets it.
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def limits(name: str) -> tuple[int, int]:
    """(max hits, window seconds) for a named limit."""
    defaults = {
        "report": (10, 3600),  # above this: challenge required
        "report_hard": (50, 3600),  # above this: refused
        "pin": (5, 900),  # wrong PINs per client and per tracking number
        "search": (120, 60),
    }
    value = getattr(settings, f"NETRAL_RATE_{name.upper()}", defaults[name])
    return int(value[0]), int(value[1])


def hit(name: str, key: str, *, count: bool = True) -> bool:
    """Count one hit; True while under the limit."""
    limit, window = limits(name)
    cache_key = f"rl:{name}:{key}"
    if not count:
        return int(cache.get(cache_key, 0)) < limit
    cache.add(cache_key, 0, window)
    try:
        value = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, window)
        value = 1
    return value <= limit


def over(name: str, key: str) -> bool:
    limit, _window = limits(name)
    return int(cache.get(f"rl:{name}:{key}", 0)) >= limit


def challenge_new() -> tuple[str, str]:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"s": a + b, "n": secrets.token_hex(4)}, salt=_SALT)
    return f"{a} + {b}", token


def challenge_ok(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token, salt=_SALT, max_age=900)
    except signing.BadSignature:
        return False
    used_key = f"challenge-used:{data.get('n')}"
    if not cache.add(used_key, 1, 900):
        return False  # each challenge answers once
    return str(data.get("s")) == answer.strip()
