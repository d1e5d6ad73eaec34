"""Invalid settings stop start-up with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environ.update({"NETRAL_VAR_DIR": str(tmp_path), **overrides})
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/netral"),
        ("DATABASE_URL", "not a url"),
        ("SECRET_KEY", "short"),
        ("NETRAL_MAX_UPLOAD_MB", "many"),
        ("ALLOWED_HOSTS", " , "),
        ("CACHE_URL", "memcached://127.0.0.1"),
        ("NETRAL_RATE_REPORT", "ten per hour"),
        ("NETRAL_OTP_CHANNEL", "pigeon"),
        ("EMAIL_PORT", "smtp"),
        ("EMAIL_USE_TLS", "perhaps"),
        ("NETRAL_WORKER_NICE", "low"),
        ("NETRAL_WORKER_NICE", "20"),
        ("NETRAL_WORKER_NICE", "-5"),
    ],
)
def test_it_refuses_to_start_with_a_bad_value_and_names_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    # when
    proc = _import_settings(tmp_path, **{variable: value})
    # then
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr
    assert variable in proc.stderr


def test_tls_and_ssl_together_are_refused(tmp_path: Path) -> None:
    proc = _import_settings(tmp_path, EMAIL_USE_TLS="true", EMAIL_USE_SSL="true")
    assert proc.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in proc.stderr


def test_smtp_settings_come_from_the_environment(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environ.update(
        NETRAL_VAR_DIR=str(tmp_path),
        EMAIL_HOST="mail.intranet",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        EMAIL_HOST_USER="netral",
    )
    code = (
        "import config.settings as s; "
        "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_HOST_USER)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert proc.stdout.split() == ["mail.intranet", "587", "True", "False", "netral"]


def test_it_starts_with_defaults_and_generates_a_secret_key_once(tmp_path: Path) -> None:
    assert _import_settings(tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _import_settings(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_envbool_accepts_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env.envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env.envbool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "2")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.envbool("X_FLAG", True)


def test_sqlite_default_runs_in_wal_mode(tmp_path: Path) -> None:
    config = env.database(None, tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in str(config["OPTIONS"])
