"""Test overrides only (HackSoft/saleor style): fast hasher, locmem mail, fixed key."""

from __future__ import annotations

from config import env
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
# (A worker process started by a test gets the test process's own: tests/workers.py.)
NETRAL_SIGNING_KEY_DIR = Path(
    env.envstr("NETRAL_TEST_KEY_DIR", "") or _tempfile.mkdtemp(prefix="netral-keys-")
)
MEDIA_ROOT = Path(
    env.envstr("NETRAL_TEST_MEDIA_ROOT", "") or _tempfile.mkdtemp(prefix="netral-media-")
)

# Background jobs: the database backend, beats and sweeps fast enough for a test to see a
# killed worker's job come back (tests/jobs). A worker started by tests/jobs/test_worker_rq.py
# keeps the RQ backend its environment chose (NETRAL_TEST_KEEP_TASK_BACKEND=1).
if not env.envbool("NETRAL_TEST_KEEP_TASK_BACKEND", False):
    NETRAL_TASK_BACKEND = "database"
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
NETRAL_WORKER_BEAT_SECONDS = 1
NETRAL_WORKER_STALE_SECONDS = 4
NETRAL_WORKER_SWEEP_SECONDS = 1

# SQLite tests use a database file, not shared-cache memory: a live server's threads and a
# worker process then see the same data, under WAL and busy_timeout instead of shared-cache
# table locks ("database table is locked", the flake of the web import's browser test).
# One file per test process, removed at exit: like the in-memory database it replaces, each
# run starts from the migrations (--reuse-db would otherwise keep what a transactional
# test's flush left, e.g. no data-migration rows).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import atexit as _atexit
    import os as _os

    _TEST_DB = Path(_tempfile.gettempdir()) / f"netral-test-{_os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_DB)}  # noqa: F405

    def _remove_test_db() -> None:
        for path in _TEST_DB.parent.glob(f"{_TEST_DB.stem}*"):  # _gw0 suffixes, -wal, -shm
            path.unlink(missing_ok=True)

    _atexit.register(_remove_test_db)
# Tests enqueue periodic jobs themselves (tests/jobs sets them when it wants them).
NETRAL_PERIODIC_JOBS = {}
