"""All Netral settings, driven by the environment (docs/reference/settings.md lists each one).

There is no production-only file: production differs only by environment values.
"""

from __future__ import annotations

import re
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env

django_stubs_ext.monkeypatch()  # lets admin.ModelAdmin[Model] etc. be subscripted at run time

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.envstr("NETRAL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env.secret_key(VAR_DIR)
DEBUG = env.envbool("DEBUG", False)
ALLOWED_HOSTS = env.envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "netral.core",
    "netral.accounts",
    "netral.audit",
    "netral.registry",
    "netral.elections",
    "netral.declarations",
    "netral.cases",
    "netral.monitoring",
    "netral.patrol",
    "netral.dashboards",
    "netral.jobs",
    "netral.news",
]

MIDDLEWARE = [
    "netral.core.health.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "netral.core.middleware.ChosenLanguageMiddleware",
    "netral.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "netral.core.middleware.UnitZoneMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "netral.accounts.signin.IdleTimeoutMiddleware",
    "netral.accounts.twofactor.RequireTwoFactorMiddleware",
    # it calls the view itself for the read-heavy pages (netral/core/replica.py), so after
    # every middleware with a process_view
    "netral.core.replica.ReplicaMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "netral.core.context_processors.netral",
            ],
        },
    }
]

DATABASES = {
    "default": env.database(
        env.envsecret("DATABASE_URL"),
        VAR_DIR / "netral.sqlite3",
        conn_max_age=env.envint("CONN_MAX_AGE", 60, minimum=0),
    ),
}
# A PostgreSQL read replica for read-heavy pages (NETRAL_REPLICA_VIEWS); a client that has
# just written reads from the primary (netral/core/replica.py).
_replica_url = env.envsecret("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = env.database(
        _replica_url, VAR_DIR / "unused.sqlite3", conn_max_age=env.envint("CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["netral.core.replica.ReplicaRouter"]
NETRAL_REPLICA_VIEWS = env.envlist(
    "NETRAL_REPLICA_VIEWS",
    [
        "dashboards:*",
        "declarations:verify",
        "declarations:verify_certificate",
        "cases:public_verify",
    ],
)
NETRAL_REPLICA_PIN_SECONDS = env.envint("NETRAL_REPLICA_PIN_SECONDS", 10, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or client before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.envstr("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.envstr("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded files are written whole or not at all (netral/core/storage.py), and uploads too big
# for memory wait in a directory of ours, so `netral clean_orphans` finds what a killed server
# left behind (issue 14, point 5). STORAGES itself is set below (local disk or S3).
FILE_UPLOAD_TEMP_DIR = str(
    Path(env.envstr("FILE_UPLOAD_TEMP_DIR", str(VAR_DIR / "tmp" / "uploads")))
)
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# Serve files straight from STATICFILES_DIRS so a fresh clone needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS (issue 14, point 9): off by default so a fresh clone serves plain HTTP on localhost;
# docs/how-to/deploy.md lists the production values (`netral check --deploy` is then clean,
# tests/security/test_headers.py). Behind a TLS-terminating proxy, SECURE_PROXY_SSL_HEADER
# trusts its X-Forwarded-Proto (set it only when the proxy overwrites that header).
SECURE_SSL_REDIRECT = env.envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.envint("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.envbool("SECURE_HSTS_PRELOAD", False)
if env.envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP

# Content Security Policy on every response (django-csp): scripts, styles, workers and images
# from this server only; no inline script or style anywhere (the templates keep none; a
# test fails on any), nothing framed, forms post only here. The proof-of-work widget runs
# from static files (its "external" build) and its worker from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Sign-in throttling and lockout (issue 14 §10, netral/accounts/signin.py, django-axes):
# from NETRAL_LOGIN_DELAY_AFTER failures of one account or from one client on, each try
# waits a doubling delay (capped); at NETRAL_LOGIN_LOCKOUT_AFTER the account or client is
# locked until an administrator lifts it (`netral login_unlock`).
NETRAL_LOGIN_DELAY_AFTER = env.envint("NETRAL_LOGIN_DELAY_AFTER", 3, minimum=1)
NETRAL_LOGIN_DELAY_MAX_SECONDS = env.envint("NETRAL_LOGIN_DELAY_MAX_SECONDS", 60, minimum=1)
NETRAL_LOGIN_LOCKOUT_AFTER = env.envint("NETRAL_LOGIN_LOCKOUT_AFTER", 10, minimum=2)
AXES_FAILURE_LIMIT = NETRAL_LOGIN_LOCKOUT_AFTER
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account, and per client
AXES_COOLOFF_TIME = None  # locked until an administrator lifts it
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit trail instead
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "netral.accounts.signin.client_ip"
AXES_VERBOSE = False
# Two-factor authentication for every role that handles cases, sees identities or
# administers (issue 14 §11, netral/accounts/twofactor.py). Keep it on in production.
NETRAL_2FA_REQUIRED = env.envbool("NETRAL_2FA_REQUIRED", True)
OTP_TOTP_ISSUER = env.envstr("OTP_TOTP_ISSUER", "Netral")
# Personal API tokens (issue 14 §12): the longest lifetime an officer may choose, in days.
NETRAL_API_TOKEN_MAX_DAYS = env.envint("NETRAL_API_TOKEN_MAX_DAYS", 365, minimum=1)
# Idle officers are signed out after this many minutes without a request (issue 14 §13).
NETRAL_IDLE_TIMEOUT_MINUTES = env.envint("NETRAL_IDLE_TIMEOUT_MINUTES", 30, minimum=1)

EMAIL_BACKEND = env.envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.envstr("DEFAULT_FROM_EMAIL", "netral@localhost")
# SMTP (with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend): the office's mail
# relay on the intranet.
EMAIL_HOST = env.envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = env.envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.envint("EMAIL_TIMEOUT", 10, minimum=1)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")

# Cache for rate limits and cached pages: per process by default; use Redis when several
# processes serve (gunicorn workers), so rate limits hold across them.
# Redis down: each process answers from its own memory until it is back (netral/core/cache.py).
CACHES = {
    "default": env.cache(
        env.envstr("CACHE_URL", "locmem://"),
        timeout=env.envint("NETRAL_CACHE_SOCKET_TIMEOUT_MS", 1000, minimum=10) / 1000,
    )
}
# Sessions: in the database (default), or `cached_db` / `cache` to keep them in the cache
# (Redis, with CACHE_URL) when several app nodes serve.
SESSION_ENGINE = "django.contrib.sessions.backends." + env.envchoice(
    "SESSION_STORE", "db", {"db", "cached_db", "cache"}
)

# Media (uploads, evidence, certificate batches, import files) through Django's storage API:
# the local disk (MEDIA_ROOT) by default, S3-compatible object storage (django-storages) when
# several app nodes serve (docs/decisions/0017-storage-layout.md).
NETRAL_STORAGE = env.envchoice("NETRAL_STORAGE", "local", {"local", "s3"})
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "netral.core.storage.AtomicFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if NETRAL_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.envstr("NETRAL_S3_BUCKET", "netral"),
            "endpoint_url": env.envstr("NETRAL_S3_ENDPOINT_URL", "") or None,
            "region_name": env.envstr("NETRAL_S3_REGION", "") or None,
            "access_key": env.envsecret("NETRAL_S3_ACCESS_KEY", "") or None,
            "secret_key": env.envsecret("NETRAL_S3_SECRET_KEY", "") or None,
            "location": env.envstr("NETRAL_S3_PREFIX", ""),
            # Objects are private. Netral streams files through its own views after the
            # access check; a URL of the storage itself (only the admin's logo link asks
            # for one) is signed and short-lived.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated,
# e.g. "127.0.0.1,10.0.0.0/24"): the client address of rate limits and quotas is read from
# that header only when the request comes from one of them (netral/core/client.py). Empty:
# REMOTE_ADDR is the client (Netral serves the internet directly).
NETRAL_TRUSTED_PROXIES = env.envnetworks("NETRAL_TRUSTED_PROXIES")

# Rate limits on public endpoints, "HITS/SECONDS" (netral/cases/ratelimit.py).
NETRAL_RATE_REPORT = env.envrate("NETRAL_RATE_REPORT", (10, 3600))
NETRAL_RATE_REPORT_HARD = env.envrate("NETRAL_RATE_REPORT_HARD", (50, 3600))
NETRAL_RATE_PIN = env.envrate("NETRAL_RATE_PIN", (5, 900))
NETRAL_RATE_SEARCH = env.envrate("NETRAL_RATE_SEARCH", (120, 60))
# The proof-of-work challenge (ALTCHA, netral/cases/challenge.py): a client past
# NETRAL_RATE_REPORT reports in its window must solve one per report (always, when
# NETRAL_CHALLENGE_ALWAYS). Expected work: COST x MAX_NUMBER / 2 PBKDF2-SHA256 iterations
# (about a second in a browser with the defaults).
NETRAL_CHALLENGE_ALWAYS = env.envbool("NETRAL_CHALLENGE_ALWAYS", False)
NETRAL_ALTCHA_COST = env.envint("NETRAL_ALTCHA_COST", 5000, minimum=1)
NETRAL_ALTCHA_MAX_NUMBER = env.envint("NETRAL_ALTCHA_MAX_NUMBER", 400, minimum=1)

# Reference data read on every public report, cached per process (netral/core/ttlcache.py):
# which handling units are active (assignments; a change made through the accounts services
# clears the cache of the process that made it, other processes follow within the TTL) and
# the deadline rules and holidays (edited in the admin). 0 = read every time.
NETRAL_ROUTING_CACHE_SECONDS = env.envint("NETRAL_ROUTING_CACHE_SECONDS", 30, minimum=0)
NETRAL_DEADLINE_RULES_CACHE_SECONDS = env.envint(
    "NETRAL_DEADLINE_RULES_CACHE_SECONDS", 30, minimum=0
)

# One-time codes for online signing go by e-mail, or by SMS through a pluggable sender class.
NETRAL_OTP_CHANNEL = env.envchoice("NETRAL_OTP_CHANNEL", "email", {"email", "sms"})
NETRAL_OTP_SMS_SENDER = env.envstr(
    "NETRAL_OTP_SMS_SENDER", "netral.declarations.otp.LoggingSmsSender"
)

# Ed25519 keys that seal pledge signatures and report receipts (netral/core/sealing.py).
NETRAL_SIGNING_KEY_DIR = Path(env.envstr("NETRAL_SIGNING_KEY_DIR", str(VAR_DIR / "keys")))
# Keys of the encryption at rest (netral/core/encryption.py: AES-256-GCM data keys and the
# blind-index key; issue 14 pt 15). Empty: the signing key directory, which `netral backup`
# copies. Never in the database.
NETRAL_DATA_KEY_DIR = env.envstr("NETRAL_DATA_KEY_DIR", "")
# `netral restore` refuses a backup sealed by another key (core/backup.py); empty: no anchor.
NETRAL_BACKUP_KEY_FINGERPRINT = env.envstr("NETRAL_BACKUP_KEY_FINGERPRINT", "")

# Upload limit for imports and evidence, in megabytes.
NETRAL_MAX_UPLOAD_MB = env.envint("NETRAL_MAX_UPLOAD_MB", 200, minimum=1)
# Disk (issue 14, point 4): all the evidence files of one report together, in megabytes; what
# one client (netral/core/client.py) may upload to the public pages per day; and the free space
# under MEDIA_ROOT below which no evidence is accepted.
NETRAL_MAX_REPORT_MB = env.envint("NETRAL_MAX_REPORT_MB", 50, minimum=1)
NETRAL_UPLOAD_QUOTA_MB_PER_DAY = env.envint("NETRAL_UPLOAD_QUOTA_MB_PER_DAY", 200, minimum=1)
NETRAL_MIN_FREE_DISK_MB = env.envint("NETRAL_MIN_FREE_DISK_MB", 2048, minimum=0)
# Evidence larger than this (KB) gets only the cheap content checks in the request; the worker
# decodes or parses it whole and refuses (quarantines) it if it fails (issue 15 §1). 0: every
# file is checked whole in the request.
NETRAL_EVIDENCE_WORKER_CHECK_KB = env.envint("NETRAL_EVIDENCE_WORKER_CHECK_KB", 4096, minimum=0)

# Pelimpahan (T9): where the receiving unit's clocks start, DESTINATION (its receipt of the
# forwarded report) or ORIGINAL (the first unit's receipt); DOMAIN §8.2 is silent, see
# netral/cases/services/pelimpahan.py PELIMPAHAN_ANCHOR_*.
NETRAL_PELIMPAHAN_ANCHOR = env.envchoice(
    "NETRAL_PELIMPAHAN_ANCHOR", "DESTINATION", {"DESTINATION", "ORIGINAL"}
)

# Public transparency page: counts from 1 up to this minus one are shown as "< N" so a
# small figure cannot point at a person (small-cell suppression; netral/dashboards/public.py).
NETRAL_TRANSPARENCY_MIN_COUNT = env.envint("NETRAL_TRANSPARENCY_MIN_COUNT", 5, minimum=1)
# Seconds a computed evaluation dashboard is reused by everyone with the same jurisdiction
# and filters (0 = always compute; netral/dashboards/selectors.py).
NETRAL_DASHBOARD_CACHE_SECONDS = env.envint("NETRAL_DASHBOARD_CACHE_SECONDS", 0, minimum=0)
# PostgreSQL work_mem for the dashboard's read transaction only (SET LOCAL), so its
# grouped queries over millions of rows hash in memory instead of sorting on disk;
# "" keeps the server's default (netral/dashboards/selectors.py).
# Read the dashboard of a kabupaten/kota or larger, for whole months, from the tallies the
# database triggers keep (netral/dashboards/tallies.py); off: always from the rows.
NETRAL_DASHBOARD_TALLIES = env.envbool("NETRAL_DASHBOARD_TALLIES", True)
NETRAL_DASHBOARD_WORK_MEM = env.envstr("NETRAL_DASHBOARD_WORK_MEM", "64MB")
if NETRAL_DASHBOARD_WORK_MEM and not re.fullmatch(r"\d+(kB|MB|GB)", NETRAL_DASHBOARD_WORK_MEM):
    raise ImproperlyConfigured("NETRAL_DASHBOARD_WORK_MEM must look like 64MB, 8192kB or 1GB")
# Seconds the public transparency page's aggregates are reused (anonymous traffic must not
# recompute the national figures on every request; 0 = always compute).
NETRAL_TRANSPARENCY_CACHE_SECONDS = env.envint("NETRAL_TRANSPARENCY_CACHE_SECONDS", 300, minimum=0)

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, extras) for a log
# collector; text otherwise.
LOG_FORMAT = env.envchoice("LOG_FORMAT", "text", {"text", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.envstr("LOG_LEVEL", "INFO")},
}

# Networks a fetcher of user-given URLs may reach although they are not public (captures and
# news, netral/core/netguard.py). Empty in production: private, loopback and link-local
# addresses are always refused. Tests admit their own fixture server on loopback.
NETRAL_FETCH_ALLOWED_NETWORKS = env.envlist("NETRAL_FETCH_ALLOWED_NETWORKS", [])

# Background jobs (netral/jobs, docs/decisions/0010-task-engine.md): django-tasks with its
# database backend (no extra server; SQLite or PostgreSQL) or RQ on Redis for scale.
NETRAL_TASK_BACKEND = env.envchoice("NETRAL_TASK_BACKEND", "database", {"database", "rq"})
NETRAL_TASK_REDIS_URL = env.envsecret("NETRAL_TASK_REDIS_URL", "redis://127.0.0.1:6379/0") or ""
if NETRAL_TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    # netral.jobs.services.QUEUES: "default" for the short jobs, "bulk" for the long ones
    RQ_QUEUES = {
        name: {"URL": NETRAL_TASK_REDIS_URL, "DEFAULT_TIMEOUT": 3600}
        for name in ("default", "bulk")
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "bulk"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
# A worker touches its heartbeat every BEAT seconds; a running job whose heartbeat is older
# than STALE seconds is taken for lost (its worker was killed) and queued again. STALE must
# exceed the longest write lock a job holds on SQLite (an import's merge: ~10 s).
NETRAL_WORKER_BEAT_SECONDS = env.envint("NETRAL_WORKER_BEAT_SECONDS", 5, minimum=1)
NETRAL_WORKER_STALE_SECONDS = env.envint("NETRAL_WORKER_STALE_SECONDS", 60, minimum=2)
NETRAL_WORKER_SWEEP_SECONDS = env.envint("NETRAL_WORKER_SWEEP_SECONDS", 30, minimum=1)
# `netral worker` lowers its own CPU priority to this nice value (0 to 19; 0 leaves it as
# started) so that imports and certificate batches give way to the web server's requests on a
# node that runs both (docs/how-to/deploy.md, "Run a worker").
NETRAL_WORKER_NICE = env.envint("NETRAL_WORKER_NICE", 10, minimum=0)
if NETRAL_WORKER_NICE > 19:
    raise ImproperlyConfigured(f"NETRAL_WORKER_NICE must be at most 19, got {NETRAL_WORKER_NICE}")
NETRAL_JOB_RETENTION_DAYS = env.envint("NETRAL_JOB_RETENTION_DAYS", 14, minimum=1)
# Periodic jobs: handler -> seconds between runs (0 turns one off).
NETRAL_PERIODIC_JOBS = {
    "netral.monitoring.jobs.deadlines_watch_job": env.envint(
        "NETRAL_DEADLINE_WATCH_SECONDS", 60, minimum=0
    ),
    "netral.cases.jobs.notifications_send_job": env.envint(
        "NETRAL_NOTIFICATIONS_SECONDS", 30, minimum=0
    ),
    "netral.dashboards.jobs.tally_fold_job": env.envint("NETRAL_TALLY_FOLD_SECONDS", 60, minimum=0),
    "netral.patrol.jobs.takedown_recheck_due_job": env.envint(
        "NETRAL_TAKEDOWN_SWEEP_SECONDS", 3600, minimum=0
    ),
    # news monitoring (issue 17): each source still keeps its own minimum interval
    "netral.news.jobs.news_poll_job": env.envint("NETRAL_NEWS_POLL_SECONDS", 300, minimum=0),
    # sealed checkpoints of the audit trail (issue 14 §18, netral/audit/checkpoints.py)
    "netral.audit.jobs.audit_checkpoint_job": env.envint(
        "NETRAL_AUDIT_CHECKPOINT_SECONDS", 600, minimum=0
    ),
}

# Health and metrics (netral/core/health.py): /healthz/live, /healthz/ready, /metrics.
# Readiness fails when no worker has beaten within NETRAL_WORKER_STALE_SECONDS, unless off.
NETRAL_HEALTH_REQUIRE_WORKER = env.envbool("NETRAL_HEALTH_REQUIRE_WORKER", True)
# Redis cache away: readiness 503 (true) or "degraded" and ready (false: each node serves
# from its own memory, netral/core/cache.py).
NETRAL_HEALTH_REQUIRE_CACHE = env.envbool("NETRAL_HEALTH_REQUIRE_CACHE", False)
# /metrics answers loopback clients, or anyone presenting this bearer token.
NETRAL_METRICS_TOKEN = env.envsecret("NETRAL_METRICS_TOKEN", "") or ""
# Patroli siber captures (netral/patrol/capture.py): Debian's chromium, and the caps of one
# capture (whole capture time, bytes of all responses, number of requests).
NETRAL_CHROMIUM = env.envstr("NETRAL_CHROMIUM", "/usr/bin/chromium")
# Chromium's own renderer sandbox: auto (on unless the worker runs as root), on, off.
NETRAL_CHROMIUM_SANDBOX = env.envstr("NETRAL_CHROMIUM_SANDBOX", "auto")
if NETRAL_CHROMIUM_SANDBOX not in ("auto", "on", "off"):
    raise ImproperlyConfigured("NETRAL_CHROMIUM_SANDBOX must be auto, on or off")
NETRAL_CAPTURE_TIMEOUT_SECONDS = env.envint("NETRAL_CAPTURE_TIMEOUT_SECONDS", 20, minimum=1)
NETRAL_CAPTURE_MAX_MB = env.envint("NETRAL_CAPTURE_MAX_MB", 25, minimum=1)
NETRAL_CAPTURE_MAX_REQUESTS = env.envint("NETRAL_CAPTURE_MAX_REQUESTS", 150, minimum=1)
# Two screenshots whose perceptual hashes (64 bits) differ in at most this many bits are
# shown as near-duplicates.
NETRAL_CAPTURE_PHASH_DISTANCE = env.envint("NETRAL_CAPTURE_PHASH_DISTANCE", 6, minimum=0)
# A URL requested for takedown is captured again when its last check is older than this.
NETRAL_TAKEDOWN_RECHECK_HOURS = env.envint("NETRAL_TAKEDOWN_RECHECK_HOURS", 24, minimum=1)
# Takedown letter numbers; {seq} {unit} {month} (Roman) {year}. The office's own numbering
# scheme (tata naskah) differs by unit, so it is a setting.
NETRAL_TAKEDOWN_NUMBER_FORMAT = env.envstr(
    "NETRAL_TAKEDOWN_NUMBER_FORMAT", "{seq:03d}/PP.01.02/PATROLI/{unit}/{month}/{year}"
)
