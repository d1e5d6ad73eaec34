"""Issue 13 point 11: at a 390-pixel-wide viewport no page of the demo scrolls sideways.

The pages are those of the raw-code crawl (tests/crawl.py, one page per shape), found with
Django's test client as the public and as officers, then opened in Debian's chromium at
390x844 with the same session: the document's scroll width must not exceed the viewport."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.cases.conftest import seed_deadline_rules, seed_pledge_texts
from tests.conftest import client_for
from tests.crawl import OFFICER_SEEDS, PUBLIC_SEEDS, crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
USERS = [None, "bawaslu.kutim", "kesbangpol.kutim", "bawaslu.ri"]


def _paths(client: Client, seeds: list[str], skip: set[str]) -> list[str]:
    def fetch(path: str) -> tuple[int, str, str]:
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        body = response.content.decode() if "text/html" in content_type else ""
        return response.status_code, content_type, body

    return [
        p.path for p in crawl(fetch, seeds, shape_limit=1) if p.status == 200 and p.path not in skip
    ]


def test_no_page_of_the_demo_scrolls_sideways_on_a_phone(live_server: Any, browser: Any) -> None:
    # given the demo
    from netral.accounts.models import User
    from netral.demo import demo_load
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    # a database flushed by an earlier transactional test lacks the migrations' seed rows
    from netral.cases.models import DeadlineRule

    if not DeadlineRule.objects.exists():
        seed_deadline_rules()
    seed_pledge_texts()
    demo_load()
    too_wide: dict[str, int] = {}
    checked: set[str] = set()
    for username in USERS:
        # client_for: signed in as a real session would be (second factor included)
        client = client_for(User.objects.get(username=username)) if username else Client()
        seeds = OFFICER_SEEDS if username else PUBLIC_SEEDS
        # a path another user already checked is not opened again (same layout)
        paths = _paths(client, seeds, checked)
        context = browser.new_context(
            locale="id-ID", viewport={"width": WIDTH, "height": 844}, is_mobile=True
        )
        if username:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        # when each page is opened on a phone
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            width = page.evaluate("document.documentElement.scrollWidth")
            checked.add(path)
            if width > WIDTH:
                too_wide[f"{username or 'public'} {path}"] = width
        context.close()
    # then none is wider than the phone
    assert len(checked) > 40
    assert not too_wide, "\n".join(f"{k}: {v}px" for k, v in sorted(too_wide.items()))


def test_the_navigation_collapses_behind_a_menu_button_on_a_phone(
    live_server: Any, browser: Any
) -> None:
    # given an officer on a phone
    from netral.accounts.models import Role
    from tests.factories import UserFactory

    user = UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region=None)
    client = client_for(user)
    context = browser.new_context(locale="id-ID", viewport={"width": WIDTH, "height": 844})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/petugas/")
    page.wait_for_load_state("load")
    menu = page.get_by_role("button", name="Menu")
    link = page.get_by_role("navigation").get_by_role("link", name="Pejabat")
    # then the links hide behind the button, which opens and closes them
    assert menu.is_visible()
    assert not link.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert link.is_visible()
    page.keyboard.press("Escape")
    assert not link.is_visible()
    # and on a desktop the button is gone and the links are shown
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not menu.is_visible()
    assert link.is_visible()
    context.close()
