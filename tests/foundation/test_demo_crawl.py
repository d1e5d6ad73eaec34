"""Issue 13 point 9: no raw stored codes or transition ids on any page of the demo.

Django's test client crawls every public and officer page reachable by links from the menus
(tests/crawl.py), in Indonesian and in English, and fails on any text matching
`[A-Z]{3,}_[A-Z_]+` outside code samples (<code>, <pre>) and scripts."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cases.conftest import seed_deadline_rules, seed_pledge_texts
from tests.conftest import client_for
from tests.crawl import (
    OFFICER_SEEDS,
    PUBLIC_SEEDS,
    bare_codes,
    crawl,
    indonesian_words,
    raw_codes,
    stored_codes,
)

pytestmark = pytest.mark.django_db

# Officers with different views of the demo: regency Bawaslu, Panwascam, Kesbangpol,
# Bawaslu RI (national) and an auditor.
OFFICERS = ["bawaslu.kutim", "panwascam.sangattautara", "kesbangpol.kutim", "bawaslu.ri", "auditor"]


def _fetcher(client: Client):  # type: ignore[no-untyped-def]
    def fetch(path: str) -> tuple[int, str, str]:
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        body = response.content.decode() if "text/html" in content_type else ""
        return response.status_code, content_type, body

    return fetch


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_page_of_the_demo_shows_a_raw_code(language: str) -> None:
    # given the demo
    from netral.accounts.models import User

    # a database flushed by an earlier transactional test lacks the migrations' seed rows
    from netral.cases.models import DeadlineRule
    from netral.demo import demo_load

    if not DeadlineRule.objects.exists():
        seed_deadline_rules()
    seed_pledge_texts()
    demo_load()
    one_word_codes = stored_codes()
    found: dict[str, list[str]] = {}
    errors: dict[str, int] = {}
    visited = 0
    # when the public and each officer follow every link
    for username in [None, *OFFICERS]:
        # client_for: signed in as a real session would be (second factor included)
        client = client_for(User.objects.get(username=username)) if username else Client()
        client.cookies["django_language"] = language
        seeds = OFFICER_SEEDS + PUBLIC_SEEDS if username else PUBLIC_SEEDS
        for page in crawl(_fetcher(client), seeds):
            visited += 1
            if page.status >= 500:
                errors[f"{username}:{page.path}"] = page.status
            codes = raw_codes(page.text) + bare_codes(page.chrome, one_word_codes)
            if language == "en":
                # point 10: the interface is English (data people typed stays as typed)
                codes += indonesian_words(page.chrome)
            if codes:
                found[f"{username or 'public'} {page.path}"] = codes
    # then no page shows a stored code
    assert visited > 60
    assert errors == {}
    assert not found, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))
