"""The empty report page renders its form sections once per process, per language and list of
elections (netral/cases/views/public.py `_fields_html`): the same page as a fresh render, the
per-request values (CSRF token, submission key) still new on every request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from netral.cases.views import public
from netral.elections.models import ElectionEvent

pytestmark = pytest.mark.django_db
URL = "/lapor/"
# per request: the form's CSRF token and submission key, and the CSRF header htmx sends
_TOKEN = re.compile(
    r'((?:name="(?:csrfmiddlewaretoken|submission_key)" value=|"X-CSRFToken": )")[^"]*"'
)


@pytest.fixture(autouse=True)
def _empty_copy() -> Iterator[None]:
    public._FIELDS_HTML.clear()
    yield
    public._FIELDS_HTML.clear()


def _page(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _tokens(page: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(page)]


def test_the_page_from_the_copy_is_the_freshly_rendered_page(client: Client) -> None:
    # given a page rendered with no copy, which fills it
    fresh = _page(client)
    assert len(public._FIELDS_HTML) == 1
    # when the next request is answered from the copy
    copied = _page(client)
    # then the page is the same, but for the per-request values
    assert _TOKEN.sub(r'\1"', copied) == _TOKEN.sub(r'\1"', fresh)
    assert 'name="terlapor-2-name"' in copied
    assert 'name="daring-TOTAL_FORMS"' in copied
    assert 'id="id_wilayah"' in copied


def test_every_request_gets_its_own_submission_key_and_csrf_token(client: Client) -> None:
    first = set(_tokens(_page(client)))
    second = set(_tokens(_page(Client())))
    assert len(first) == len(second) == 3
    assert first.isdisjoint(second)


def test_each_language_has_its_own_copy(client: Client) -> None:
    # given the Indonesian copy made first
    assert "Identitas pelapor" in _page(client)
    # when an English reader asks
    english = Client()
    english.cookies["django_language"] = "en"
    body = _page(english)
    # then the sections are in English, and Indonesian readers still get theirs
    assert "Reporter identity" in body
    assert "Full name" in body
    assert "Identitas pelapor" not in body
    assert "Identitas pelapor" in _page(client)


def test_a_new_election_shows_at_once(client: Client) -> None:
    # given a copy made before the election existed
    assert "Pilkada Serentak 2099" not in _page(client)
    # when the election is added
    ElectionEvent.objects.create(
        regime="PILKADA",
        name="Pilkada Serentak 2099",
        campaign_start=dt.date(2099, 9, 1),
        campaign_end=dt.date(2099, 11, 20),
        voting_day=dt.date(2099, 11, 27),
    )
    # then the next page lists it
    assert "Pilkada Serentak 2099" in _page(client)


def test_the_page_from_the_copy_reads_only_the_election_list_and_the_frame(
    client: Client,
) -> None:
    _page(client)
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    sql = [q["sql"] for q in queries.captured_queries]
    # the election list (the copy's key) and the page frame's demo notice, nothing else
    assert len(sql) == 2, sql
    assert '"elections_electionevent"' in sql[0]
    assert '"accounts_user"' in sql[1]


def test_a_refused_report_shows_what_was_typed_not_the_empty_copy(client: Client) -> None:
    # given the empty copy
    _page(client)
    # when a report comes back with an error
    response = client.post(URL, {"pelapor-name": "Rina Typed", "terlapor-TOTAL_FORMS": "3"})
    # then the page shows the reporter's own values
    assert response.status_code == 400
    assert 'value="Rina Typed"' in response.content.decode()


def test_with_debug_the_sections_are_rendered_every_time(client: Client, settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _page(client)
    assert public._FIELDS_HTML == {}
