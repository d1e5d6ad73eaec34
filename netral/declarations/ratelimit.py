"""A fixed-window counter in Django's cache, for public endpoints (QR sign-in, OTP)."""

from __future__ import annotations

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once `limit` hits fell in the current window."""
    full = f"netral-rl:{key}"
    if cache.add(full, 1, timeout=window_seconds):
        return True
    try:
        hits = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=window_seconds)
        return True
    return hits <= limit
