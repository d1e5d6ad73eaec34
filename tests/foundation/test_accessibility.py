"""Automated accessibility checks (axe-core in Debian's chromium) on the main pages.

axe finds only what a machine can find (contrast, labels, landmarks, ARIA misuse); it is a
floor, not a substitute for testing with people who use screen readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
PUBLIC_PAGES = [
    "/",
    "/masuk/",
    "/wilayah/?q=sangatta",
    "/wilayah/64.08/",
    "/lapor/",
    "/lapor/status/",
    "/transparansi/",
]
OFFICER_PAGES = ["/petugas/", "/pejabat/", "/deklarasi/", "/perkara/antrean/", "/dasbor/"]


def _violations(page: Any) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: ['wcag2a', 'wcag2aa']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _setup() -> None:
    from netral.accounts.models import Role
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")


def test_public_and_officer_pages_have_no_serious_accessibility_violations(
    live_server: Any, browser: Any
) -> None:
    _setup()
    # axe is injected as an inline script, which the Content Security Policy rightly refuses
    # (issue 14, point 9): this checker's own context bypasses it.
    context = browser.new_context(locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    found: dict[str, list[str]] = {}
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}{path}")
        found[path] = _violations(page)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    # the second step of signing in (issue 14 §11): first the enrolment page, then the code
    page.wait_for_url(f"{live_server.url}/akun/2fa/daftar/**")
    found["/akun/2fa/daftar/"] = _violations(page)
    import base64

    from django_otp.oath import TOTP

    key = page.get_by_test_id("totp-key").inner_text().replace(" ", "")
    code = TOTP(base64.b32decode(key + "=" * (-len(key) % 8))).token()
    page.fill("#otp-code", f"{code:06d}")
    page.click("form:has(#otp-code) button[type=submit]")
    page.get_by_test_id("recovery-codes").wait_for()
    found["recovery codes"] = _violations(page)
    for path in [*OFFICER_PAGES, "/akun/"]:
        page.goto(f"{live_server.url}{path}")
        found[path] = _violations(page)
    context.close()
    assert {p: v for p, v in found.items() if v} == {}
