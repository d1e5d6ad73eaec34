"""Issue 13 point 8 in Debian's chromium: the region picker is a keyboard-usable combobox
that searches by name, shows the hierarchy and submits the region code."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any) -> None:
    from netral.accounts.models import Role
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import TEST_PASSWORD, UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/petugas/")


def test_an_officer_picks_the_events_region_with_the_keyboard(live_server: Any, page: Any) -> None:
    # given
    from netral.declarations.models import Event

    _login(page, live_server)
    page.goto(f"{live_server.url}/deklarasi/kegiatan/baru/")
    page.wait_for_load_state()
    page.fill("#id_title", "Sosialisasi netralitas kepala desa")
    page.check("input[name=kinds][value=SOSIALISASI]")
    page.fill("#id_date", "2024-11-10")
    page.fill("#id_organiser", "Kesbangpol Kabupaten Kutai Timur")
    # when the officer types part of a name
    combo = page.get_by_role("combobox", name="Wilayah")
    combo.press_sequentially("sangatta ut")
    options = page.locator(".region-picker-list").get_by_role("option")
    options.first.wait_for()
    # then the choices show the hierarchy, and only inside the officer's jurisdiction
    assert combo.get_attribute("aria-expanded") == "true"
    assert "Kab. Kutai Timur" in options.first.inner_text()
    assert options.count() == 2
    # and the keyboard picks the second (the village)
    combo.press("ArrowDown")
    combo.press("ArrowDown")
    assert combo.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    combo.press("Enter")
    assert combo.get_attribute("aria-expanded") == "false"
    assert combo.input_value().startswith("Desa Sangatta Utara, Kec. Sangatta Utara, Kab. Kutai")
    assert page.locator("input[type=hidden][name=region]").input_value() == "64.08.04.2001"
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/deklarasi/kegiatan/*/")
    assert Event.objects.get().region_id == "64.08.04.2001"


def test_a_typed_name_that_is_not_picked_goes_back_and_escape_clears(
    live_server: Any, page: Any
) -> None:
    _login(page, live_server)
    page.goto(f"{live_server.url}/pejabat/?wilayah=64.08.04")
    page.wait_for_load_state()
    combo = page.get_by_role("combobox", name="Wilayah")
    # the current filter is shown by name, not by code
    assert combo.input_value() == "Kec. Sangatta Utara, Kab. Kutai Timur, Prov. Kalimantan Timur"
    combo.fill("bogor")  # outside alice's jurisdiction: nothing offered
    page.get_by_text("Tidak ada wilayah yang cocok.").first.wait_for()
    combo.press("Tab")
    assert combo.input_value().startswith("Kec. Sangatta Utara")
    combo.focus()
    combo.press("Escape")
    assert combo.input_value() == ""
    assert page.locator("input[type=hidden][name=wilayah]").input_value() == ""
