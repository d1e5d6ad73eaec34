"""Issue 13 point 16 through the HTTP client: every error at once, linked to its field, and
the picked village kept (the browser test covers the rest)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.cases.conftest import DESA
from tests.cases.test_public_views import form_data

pytestmark = pytest.mark.django_db


def test_all_errors_are_listed_at_the_top_with_links(client: Client) -> None:
    data = form_data(**{"pelapor-name": "", "description": ""})
    for level in (1, 2, 3, 4):
        data.pop(f"wilayah_{level}")
    response = client.post("/lapor/", data)
    body = response.content.decode()
    assert response.status_code == 400
    summary = body[body.index('data-testid="error-summary"') : body.index("</article>")]
    assert 'href="#id_pelapor-name"' in summary
    assert 'href="#id_description"' in summary
    assert 'href="#id_wilayah"' in summary  # the region is checked in the same pass
    assert "Ada 3 isian yang perlu diperbaiki" in summary


def test_the_picked_village_is_kept_after_an_error(client: Client) -> None:
    data = form_data(**{"pelapor-name": "", "wilayah": DESA})
    body = client.post("/lapor/", data).content.decode()
    assert f'value="{DESA}"' in body
    assert "Desa Sangatta Utara, Kec. Sangatta Utara" in body
    assert re.search(r'<input[^>]*name="statement"[^>]*checked', body)
