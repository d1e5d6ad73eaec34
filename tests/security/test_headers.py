"""Issue 14, point 9: CSP without inline code, HTTPS settings from the environment, no-store on
private pages, `netral check --deploy` clean with the deploy guide's values."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from netral.cases.models import Case
from tests.cases.conftest import file_report
from tests.conftest import client_for
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
# Templates rendered to PDF by WeasyPrint never reach a browser: their <style> is not a page's.
PDF_TEMPLATES = ("/pdf/", "dashboards/report.html")
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
        "inline <script>",
    ),
    (re.compile(r"<style\b"), "<style> element"),
    (re.compile(r"\sstyle=[\"']"), "style attribute"),
    (re.compile(r"\son[a-z]+=[\"']"), "inline event handler"),
    (re.compile(r"hx-on|[\"']js:"), "htmx inline code"),
]


def _templates() -> list[Path]:
    found = list((ROOT / "templates").rglob("*.html"))
    found += list((ROOT / "netral").rglob("templates/**/*.html"))
    return [p for p in found if not any(part in p.as_posix() for part in PDF_TEMPLATES)]


def test_no_template_holds_inline_script_or_style() -> None:
    templates = _templates()
    assert len(templates) > 50
    offences = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offences == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/lapor/", "/lapor/status/", "/masuk/", "/transparansi/"])
def test_every_page_carries_the_policy(client: Client, path: str) -> None:
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_receipt_status_case_and_identity_pages_are_never_stored(client: Client) -> None:
    response = client.post(
        reverse("cases:public_status"), {"action": "login", "tracking_number": "X", "pin": "1"}
    )
    assert _no_store(response)
    assert _no_store(client.get(reverse("cases:public_status")))
    # the handling unit's officer (Panwascam Sangatta Utara, active before the report comes)
    officer = client_for(UserFactory(username="siti", role="PANWASLU_KECAMATAN", region="64.08.04"))
    filed = file_report()
    assert _no_store(client.get(reverse("cases:public_receipt")))
    assert _no_store(client.get(reverse("cases:public_receipt_pdf", args=[filed.case.code])))
    officer = client_for(UserFactory(username="siti", role="BAWASLU_KABKOTA", region="64.08"))
    case = Case.objects.get()
    for url in (
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:reporter_identity", args=[case.pk]),
    ):
        response = officer.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url


def _deploy_guide_env(tmp_path: Path) -> dict[str, str]:
    """The `export` lines of docs/how-to/deploy.md, with the secret file made real."""
    text = (ROOT / "docs/how-to/deploy.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(export DEBUG=false.*?)```", text, re.S)
    assert block, "the production block of the deploy guide"
    values: dict[str, str] = {}
    for line in block.group(1).splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "export":
            for word in words[1:]:
                name, _sep, value = word.partition("=")
                values[name] = value
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50))
    values["SECRET_KEY_FILE"] = str(secret)
    values["NETRAL_VAR_DIR"] = str(tmp_path / "var")
    return values


def test_check_deploy_is_clean_with_the_deploy_guides_values(tmp_path: Path) -> None:
    guide = _deploy_guide_env(tmp_path)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "NETRAL_TRUSTED_PROXIES"):
        assert name in guide
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(guide)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run(
        [sys.executable, "-m", "netral", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    # and the same values turn HSTS and the HTTPS redirect on (read from the environment)
    probe = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.split() == ["31536000", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_the_development_defaults_fail_the_deploy_check(tmp_path: Path) -> None:
    """Without the guide's values the check is not clean: it guards something."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "NETRAL_VAR_DIR": str(tmp_path)})
    done = subprocess.run(
        [sys.executable, "-m", "netral", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "security.W004" in done.stdout + done.stderr  # no HSTS
