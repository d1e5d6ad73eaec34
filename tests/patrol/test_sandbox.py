"""Issue 16, Security of the fetcher: chromium renders captures in its own sandbox unless it
cannot (a worker running as root), so a page cannot reach the server's files."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest

from netral.patrol import capture


@pytest.mark.parametrize(
    ("mode", "root", "expected"),
    [("auto", False, True), ("auto", True, False), ("on", True, True), ("off", False, False)],
)
def test_the_sandbox_follows_the_setting_and_the_user(
    settings: Any, monkeypatch: pytest.MonkeyPatch, mode: str, root: bool, expected: bool
) -> None:
    settings.NETRAL_CHROMIUM_SANDBOX = mode
    monkeypatch.setattr(os, "geteuid", lambda: 0 if root else 1000)
    assert capture.sandboxed() is expected
    assert ("--no-sandbox" in capture.chromium_args()) is not expected


def test_an_unprivileged_worker_gets_a_working_sandbox() -> None:
    """What the deploy guide runs: the worker as its own user, chromium sandboxed."""
    from django.conf import settings

    if not shutil.which(settings.NETRAL_CHROMIUM):
        pytest.skip("chromium is not installed")
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to act as an unprivileged user")
    import tempfile

    home = tempfile.mkdtemp(prefix="netral-sandbox-")  # pytest's tmp_path is root's alone
    os.chmod(home, 0o777)  # noqa: S103  (the unprivileged user's home, removed below)
    setpriv = shutil.which("setpriv") or "setpriv"
    command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    command += [settings.NETRAL_CHROMIUM, "--headless", "--disable-gpu"]
    command += [f"--user-data-dir={home}", "--dump-dom", "data:text/html,<p>sandboxed</p>"]
    env = {**os.environ, "HOME": home}
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    assert "<p>sandboxed</p>" in proc.stdout, proc.stderr[-2000:]
    assert "No usable sandbox" not in proc.stderr
