"""Settings for the cases benchmark server: production settings, rate limits lifted (one
load generator on loopback is one client, so the bench exempts itself here, explicitly; the
defaults stay), mail discarded, quiet logs. SQLite keeps its connection per worker thread
(config.env opens one per request, with its PRAGMAs, which suits tests and `runserver`; a
served deployment on SQLite should do the same as here)."""

from __future__ import annotations

from config import env
from config.settings import *  # noqa: F403

NETRAL_RATE_REPORT = (10**9, 3600)
NETRAL_RATE_REPORT_HARD = (10**9, 3600)
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405

# Several gunicorn workers need a shared cache (config/gunicorn.py refuses the per-process one,
# issue 14 point 2), as in production: Redis from CACHE_URL, else the local default database.
if not CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES = {"default": env.cache("redis://127.0.0.1:6379/0")}  # as CACHE_URL selects it
CACHES["default"]["KEY_PREFIX"] = "netral-bench-cases"
# One load generator is one client: its daily upload quota is lifted like its rate limits.
NETRAL_UPLOAD_QUOTA_MB_PER_DAY = 10**6
