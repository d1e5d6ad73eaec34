"""Settings for the public form's in-process benchmark (bench/public_form.py): production
settings, rate limits lifted (one process posting hundreds of reports is one client: the
limits' cache reads and increments still run on every report), mail discarded, logging as in
production, database connections kept (no reconnect midway through a timed batch).
BENCH_CACHE=redis uses the shared cache a multi-worker deployment needs (CACHE_URL, else Redis
at 127.0.0.1:6379/5); the default keeps config's per-process cache."""

from __future__ import annotations

import os

from config import env
from config.settings import *  # noqa: F403

NETRAL_RATE_REPORT = (10**9, 3600)
NETRAL_RATE_REPORT_HARD = (10**9, 3600)
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

if os.environ.get("BENCH_CACHE") == "redis" and not CACHES["default"]["BACKEND"].endswith(  # noqa: F405
    "RedisCache"
):
    CACHES = {"default": env.cache("redis://127.0.0.1:6379/5")}  # as CACHE_URL selects it
CACHES["default"]["KEY_PREFIX"] = "netral-bench-public-form"
DATABASES["default"]["CONN_MAX_AGE"] = 3600  # noqa: F405
