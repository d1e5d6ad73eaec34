"""The dashboard, its charts and its map in a real Chromium, with the network cut off:
every request that does not go to the live server is blocked and recorded."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offline(page: Any, live_url: str) -> list[str]:
    """Abort every request to a host other than the live server; return what was tried."""
    allowed = urlparse(live_url).netloc
    attempted: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).netloc == allowed:
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    page.context.route("**/*", handle)
    return attempted


def test_the_dashboard_and_map_render_offline(live_server: Any, page: Any) -> None:
    # given
    from netral.accounts.models import Role
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import OfficialFactory, UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    UserFactory(username="dora", role=Role.BAWASLU_RI, region=None)
    for code in ("64.08.04.2001", "64.08.04.2001", "64.08.01.2001", "32.01.01.1001"):
        OfficialFactory(region_id=code)
    attempted = _offline(page, live_server.url)
    # when: dora signs in and opens the national dashboard
    browser_sign_in(page, live_server.url, "dora", "/dasbor/")
    page.get_by_role("heading", name="Dasbor evaluasi").wait_for()
    # then: the charts were drawn by the vendored Chart.js, the map by the server
    page.locator("canvas[data-drawn]").first.wait_for()
    assert page.evaluate("typeof Chart") == "function"
    assert page.locator("svg.choropleth path").count() == 4  # provinces 32, 61, 62, 64
    box = page.locator("svg.choropleth").bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 100
    # and a province drills down to its kabupaten/kota (htmx, no page load)
    page.locator('svg.choropleth path[data-code="64"]').click()
    page.locator('svg.choropleth path[data-code="64.08"]').wait_for()
    assert "region=64" in page.url
    assert page.locator('[data-figure="officials"] .figure-value').inner_text() == "3"
    # and on through the table (htmx swap), where a filter change keeps the unit
    page.locator('[data-table="by_region"] a', has_text="Kab. Kutai Timur").click()
    page.locator('.crumbs [aria-current="page"]', has_text="Kab. Kutai Timur").wait_for()
    page.get_by_label("Peta menurut").select_option("officials")
    page.wait_for_url("**metric=officials**")
    assert "region=64.08" in page.url
    assert page.locator('[data-figure="officials"] .figure-value').inner_text() == "3"
    assert attempted == []


def test_the_public_page_renders_offline(live_server: Any, page: Any) -> None:
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    attempted = _offline(page, live_server.url)
    page.goto(f"{live_server.url}/transparansi/")
    page.get_by_role("heading", name="Transparansi pengawasan netralitas").wait_for()
    assert page.locator("svg.choropleth path").count() == 4
    assert attempted == []
