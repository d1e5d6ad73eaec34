"""Issue 14, point 3, in a real browser: the vendored ALTCHA widget solves the server's challenge
with nothing but our static files (no CDN), and the server accepts what it computed."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import override_settings

from netral.cases import challenge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(NETRAL_CHALLENGE_ALWAYS=True)
def test_the_widget_solves_the_challenge_in_the_browser(live_server: Any, page: Any) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(60_000)
    started = time.monotonic()
    page.goto(f"{live_server.url}/lapor/")
    field = page.locator("input[name=altcha]")
    field.wait_for(state="attached")
    page.wait_for_function(
        "() => (document.querySelector('input[name=altcha]') || {}).value", timeout=60_000
    )
    took = time.monotonic() - started
    payload = field.input_value()
    assert not errors, errors
    assert [u for u in outside if not u.startswith(("data:", "blob:"))] == []
    assert challenge.challenge_ok(payload)
    assert not challenge.challenge_ok(payload)  # once
    print(f"browser proof of work with the default cost: {took:.2f} s")  # noqa: T201
