"""Test overrides only (HackSoft/saleor style): fast hasher, locmem mail, fixed key."""

from __future__ import annotations

from config.settings import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
# Reference data is read every time, so tests see their own changes at once.
NETRAL_ROUTING_CACHE_SECONDS = 0
NETRAL_DEADLINE_RULES_CACHE_SECONDS = 0

import tempfile as _tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# A throwaway key directory per test process, so tests never touch var/keys.
NETRAL_SIGNING_KEY_DIR = Path(_tempfile.mkdtemp(prefix="netral-keys-"))
MEDIA_ROOT = Path(_tempfile.mkdtemp(prefix="netral-media-"))
