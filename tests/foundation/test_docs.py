"""Docs stay complete (datasette-style): every environment variable and command is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_documented() -> None:
    settings_src = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env\.env\w+\(\s*"([A-Z_]+)"', settings_src))
    names |= {"DATABASE_URL", "SECRET_KEY"}
    documented = (ROOT / "docs" / "reference" / "settings.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert missing == []


def test_the_cli_reference_is_up_to_date() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_readme_opens_with_the_two_commands() -> None:
    head = "\n".join((ROOT / "README.md").read_text().splitlines()[:40])
    assert "make run" in head
    assert "make test" in head
