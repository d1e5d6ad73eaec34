"""End-to-end in Debian's chromium: an officer adds an article by URL (a fixture page served by
the test suite on loopback), reviews the proposal and turns it into an event with the
extracted facts; the pages fit a 390-pixel phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import browser_sign_in
from tests.news.conftest import ARTICLE_TITLE, FixtureServer, article_html

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_turns_an_article_into_an_event(
    live_server: Any, page: Any, fixture_server: FixtureServer
) -> None:
    # given an officer of Kab. Kutai Timur and a news page about Kecamatan Muara Wahau
    from netral.accounts.models import Role
    from netral.declarations.models import Event
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    url = fixture_server.add("/berita/deklarasi-muara-wahau", article_html())
    page.set_viewport_size({"width": 390, "height": 844})
    browser_sign_in(page, live_server.url, "alice")
    # when she adds the article by its URL
    page.goto(f"{live_server.url}/berita/tambah/")
    page.get_by_label("Alamat artikel").fill(url)
    # the gazetteer is built once per process (seconds on a loaded machine): built here first,
    # so the click's wait measures the request, not the process's cold start
    from netral.news.extract.gazetteer import load_gazetteer

    load_gazetteer()
    page.get_by_test_id("add-url").click(timeout=30_000)
    # then the proposal shows what was read, with labels and not codes
    page.get_by_test_id("event-date").wait_for()
    assert "14 September 2024" in page.get_by_test_id("event-date").inner_text()
    body = (
        page.locator("main").inner_text()
        if page.locator("main").count()
        else page.inner_text("body")
    )
    assert "Budi Santoso, Camat Muara Wahau" in body
    assert "Sosialisasi" in body
    assert "SOSIALISASI" not in body
    # and the event form is pre-filled
    assert page.get_by_label("Nama kegiatan").input_value() == ARTICLE_TITLE
    assert page.get_by_label("Tanggal").input_value() == "2024-09-14"
    assert page.locator("input[name=region]").input_value() == "64.08.02"
    assert page.get_by_label("Deklarasi").is_checked()
    # the page's content fits a 390-pixel phone (the shared header is the layout's concern)
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName)"
    )
    assert overflow == []
    # when she corrects the organiser and accepts
    page.get_by_label("Penyelenggara").fill("Bawaslu Kabupaten Kutai Timur")
    page.get_by_test_id("accept").click()
    # then the event is recorded with the extracted facts
    page.get_by_text("Usulan diterima dan dicatat sebagai kegiatan.").wait_for()
    event = Event.objects.get()
    assert event.title == ARTICLE_TITLE
    assert event.date.isoformat() == "2024-09-14"
    assert event.region_id == "64.08.02"
    assert event.is_sosialisasi
    assert event.is_deklarasi
    assert "Menolak segala bentuk politik uang." in event.materials
    assert url in event.basis
    assert {s.name for s in event.speakers.all()} == {"Budi Santoso", "Andi Rahman"}
