"""Settings for the cases benchmark server: production settings, rate limits lifted (one
load generator on loopback is one client), mail discarded, quiet logs."""

from __future__ import annotations

from config.settings import *  # noqa: F403

NETRAL_RATE_REPORT = (10**9, 3600)
NETRAL_RATE_REPORT_HARD = (10**9, 3600)
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
