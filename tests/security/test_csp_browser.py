"""Issue 14, point 9, in a real browser: pages work under the Content Security Policy, and the
browser reports no violation (no inline script or style got through or was needed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page: Any) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: (
            seen.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    return seen


@override_settings(NETRAL_CHALLENGE_ALWAYS=True)
def test_public_and_officer_pages_raise_no_policy_violation(live_server: Any, page: Any) -> None:
    from netral.accounts.models import Role
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import OfficialFactory, UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    UserFactory(username="dora", role=Role.BAWASLU_RI, region=None)
    OfficialFactory(region_id="64.08.04.2001", name="Budi Santoso")
    seen = _violations(page)
    page.set_default_timeout(60_000)
    url = live_server.url
    # the public form: the proof-of-work widget solves, the registry search answers (htmx)
    page.goto(f"{url}/lapor/")
    page.wait_for_function("() => (document.querySelector('input[name=altcha]') || {}).value")
    page.locator("#id_terlapor-0-name").press_sequentially("Budi San", delay=20)
    page.locator(".pick-official").first.wait_for()
    for path in ("/lapor/status/", "/transparansi/"):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
    # an officer: sign in, the dashboard with its charts and map, the registry, the cases
    from tests.conftest import browser_sign_in

    browser_sign_in(page, url, "dora", next_url="/dasbor/")
    page.locator("canvas[data-drawn]").first.wait_for()
    for path in ("/pejabat/", "/perkara/", "/admin/"):
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
    assert seen == []
