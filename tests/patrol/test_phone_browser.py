"""Every patroli siber page fits a 390-pixel phone and shows labels, not stored codes."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODES = ["SELESAI", "TEMUAN", "PERAMBAN", "SCREENSHOT", "DIMINTA", "BELUM", "UNGGAHAN", "NOMOR"]


def test_patrol_pages_fit_a_phone(live_server: Any, browser: Any) -> None:
    from netral.accounts.models import Role
    from netral.patrol import services
    from netral.patrol.models import TermKind
    from netral.registry.models import Region
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS, browser_sign_in
    from tests.factories import UserFactory
    from tests.patrol.conftest import make_election, make_kades
    from tests.patrol.test_views import _sealed_capture

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    alice = UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    make_kades()
    event = make_election()
    services.watch_term_add(
        election_event=event,
        unit_region=Region.objects.get(code="64.08"),
        kind=TermKind.NOMOR,
        term="Paslon 2",
        actor=alice,
    )
    capture = _sealed_capture(alice)
    letter = services.takedown_letter_create(
        actor=alice,
        captures=[capture],
        data=services.LetterData(
            recipient="KOMDIGI", recipient_name="Komdigi", unit_name="Bawaslu Kabupaten Kutai Timur"
        ),
        unit_region=Region.objects.get(code="64.08"),
        verify_url=lambda code: code,
    )
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    browser_sign_in(page, live_server.url, "alice")
    page.wait_for_url(f"{live_server.url}/petugas/")
    paths = [
        "/patroli/",
        "/patroli/pantau/",
        "/patroli/tangkap/",
        "/patroli/unggah/",
        "/patroli/antrean/",
        "/patroli/tangkapan/",
        f"/patroli/tangkapan/{capture.pk}/",
        "/patroli/daftar-nama/",
        "/patroli/surat/",
        f"/patroli/surat/{letter.pk}/",
        f"/verifikasi/tangkapan/{capture.code}/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        # the page's own content (the site header's navigation is the base template's)
        # (wide tables scroll inside their own box and do not widen the page)
        width = page.evaluate("document.querySelector('main').scrollWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('main > *')]"
            ".filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName)"
        )
        assert width <= 390, (path, width, wide)
        text = page.locator("main").inner_text()
        assert not [c for c in CODES if c in text.split()], path
    context.close()
