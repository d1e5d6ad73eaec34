"""End-to-end in Debian's chromium through Playwright."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_and_finds_a_village(live_server: Any, page: Any) -> None:
    # given
    from netral.accounts.models import Role
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    from tests.conftest import totp_code, totp_device_for

    device = totp_device_for(
        UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    )
    # when
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("link", name="Masuk petugas").click()
    page.get_by_label("Nama pengguna").fill("alice")
    page.get_by_label("Sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kode verifikasi").fill(totp_code(device))
    page.get_by_role("button", name="Verifikasi").click()
    # then
    page.get_by_text("Kab. Kutai Timur").first.wait_for()
    page.get_by_role("link", name="Wilayah").click()
    page.wait_for_load_state()  # htmx (a deferred script) is ready once the page has loaded
    page.get_by_label("Nama atau kode wilayah").fill("sangatta utara")
    result = page.get_by_role("link", name="Desa Sangatta Utara, Kec. Sangatta Utara")
    result.wait_for()  # htmx replaced the results without a page load
    result.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Desa Sangatta Utara"
