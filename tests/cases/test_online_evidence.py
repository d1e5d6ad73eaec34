"""Issue 13 point 17: online evidence (platform, account, post URL, time seen) on the report
form and the temuan form, shown to officers as links."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from netral.cases.models import Case, EvidenceKind
from tests.cases.conftest import DESA
from tests.cases.test_public_views import form_data

pytestmark = pytest.mark.django_db

POST_URL = "https://www.facebook.com/kades.sangatta/posts/123456"


def _online(**rows: Any) -> dict[str, Any]:
    data = {"daring-TOTAL_FORMS": "2", "daring-INITIAL_FORMS": "0"}
    data.update(rows)
    return data


def test_a_citizen_reports_a_post_and_the_officer_sees_a_link(
    client: Client, alice_client: Client
) -> None:
    # given a report with one online post
    data = form_data(
        **_online(
            **{
                "daring-0-platform": "FACEBOOK",
                "daring-0-account": "Kades Sangatta Utara",
                "daring-0-url": POST_URL,
                "daring-0-seen_at": "2024-11-10T20:15",
            }
        )
    )
    # when
    assert client.post("/lapor/", data).status_code == 302
    # then it is kept as evidence of its own kind
    case = Case.objects.get()
    evidence = case.evidence.get(kind=EvidenceKind.TAUTAN)
    assert (evidence.platform, evidence.account, evidence.url) == (
        "FACEBOOK",
        "Kades Sangatta Utara",
        POST_URL,
    )
    assert evidence.seen_at is not None
    # and the officer's case file shows it as a link that does not vouch for it
    body = alice_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'<a href="{POST_URL}" rel="nofollow noopener noreferrer"' in body
    assert "Facebook · Kades Sangatta Utara" in body


def test_only_web_addresses_are_accepted(client: Client) -> None:
    data = form_data(
        **_online(**{"daring-0-platform": "TIKTOK", "daring-0-url": "javascript:alert(1)"})
    )
    response = client.post("/lapor/", data)
    assert response.status_code == 400
    assert 'href="#id_daring-0-url"' in response.content.decode()
    assert Case.objects.count() == 0


def test_an_address_needs_its_platform(client: Client) -> None:
    response = client.post("/lapor/", form_data(**_online(**{"daring-0-url": POST_URL})))
    assert response.status_code == 400
    assert "Pilih platform tempat unggahan dilihat." in response.content.decode()


def test_a_temuan_takes_online_evidence_too(alice_client: Client) -> None:
    data = form_data(
        origin="TEMUAN",
        incident_region=DESA,
        **_online(
            **{
                "daring-0-platform": "INSTAGRAM",
                "daring-0-account": "@camat.sangatta",
                "daring-0-url": "https://www.instagram.com/p/C0abc/",
            }
        ),
    )
    data = {k: v for k, v in data.items() if not k.startswith("pelapor-")}
    assert alice_client.post(reverse("cases:intake"), data).status_code == 302
    case = Case.objects.get()
    assert case.evidence.get(kind=EvidenceKind.TAUTAN).platform == "INSTAGRAM"
    body = alice_client.get(reverse("cases:intake")).content.decode()
    assert 'name="daring-0-url"' in body
