"""Environment helpers that fail loudly (after healthchecks' envbool/envint).

Every setting comes from the environment. A bad value stops start-up with an
ImproperlyConfigured that names the variable, instead of running half-configured.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false/1/0/yes/no), got {raw!r}")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} must be a comma-separated list, got {raw!r}")
    return items


def envnetworks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks ("10.0.0.0/24"), checked."""
    import ipaddress

    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, got {item!r}"
            ) from None
    return items


def envchoice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def envrate(name: str, default: tuple[int, int]) -> tuple[int, int]:
    """A rate limit written "HITS/SECONDS", e.g. "10/3600"."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    hits, _sep, seconds = raw.partition("/")
    try:
        value = (int(hits), int(seconds))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must look like HITS/SECONDS, got {raw!r}") from None
    if value[0] < 1 or value[1] < 1:
        raise ImproperlyConfigured(f"{name} must have positive numbers, got {raw!r}")
    return value


def cache(url: str, timeout: float = 1.0) -> dict[str, object]:
    """CACHE_URL: locmem:// (default, one process) or redis://host:port/db (shared). Redis
    through netral.core.cache.ResilientRedisCache: while it is unreachable the web answers
    from each process's memory; `timeout` (NETRAL_CACHE_SOCKET_TIMEOUT_MS) bounds how long a
    request waits on a server that does not answer before that."""
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "netral.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem:// or redis://, got {url!r}")


def envsecret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the file named by NAME_FILE (Docker/systemd credentials)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at an unreadable file: {exc}") from None
    return os.environ.get(name, default)


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else a key generated once into var/secret_key."""
    value = envsecret("SECRET_KEY")
    if value is not None:
        if len(value) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return value
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    return value


def database(url: str | None, default_sqlite: Path, *, conn_max_age: int = 60) -> dict[str, object]:
    """DATABASE_URL (sqlite:// or postgres://) as a Django DATABASES entry.

    Connections are kept for `conn_max_age` seconds on both engines: reopening one per
    request re-runs SQLite's PRAGMAs or PostgreSQL's connection set-up every time."""
    import dj_database_url

    if not url:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{default_sqlite}"
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    engine = str(config.get("ENGINE", ""))
    if engine == "django.db.backends.sqlite3":
        # WAL lets readers run while one writer writes; IMMEDIATE avoids lock upgrade deadlocks.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
    elif engine == "django.db.backends.postgresql":
        # A kept connection is checked (`SELECT 1`) before each request reuses it, so a
        # restarted or failed-over database costs no request. Without it, each worker thread's
        # first request after a restart fails (a citizen's report lost). Kept although the
        # public form is load-bound (issue 5): 12 µs of CPU and one loopback round trip per
        # request, against ~4 ms per report (docs/benchmarks.md, cases).
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured(
            f"DATABASE_URL must point at SQLite or PostgreSQL, got engine {engine!r}"
        )
    return config
