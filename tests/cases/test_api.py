"""/api/v1/cases: scoped list and detail, guarded transitions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from netral.cases.models import Status
from netral.registry.models import Region
from tests.cases.conftest import file_report
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_list_is_scoped_and_filtered(alice_client: Client, charlie_client: Client) -> None:
    mine = file_report().case
    theirs = file_report(incident_region=Region.objects.get(pk="32.01.01.1001")).case
    ids = [r["id"] for r in alice_client.get("/api/v1/cases/").json()["results"]]
    assert ids == [mine.pk]
    data = charlie_client.get("/api/v1/cases/", {"status": "DRAFT_PUBLIK"}).json()
    assert data["count"] == 1
    assert data["results"][0]["id"] == theirs.pk


def test_cross_region_detail_and_transition_are_404(alice_client: Client, charlie: Any) -> None:
    theirs = file_report(incident_region=Region.objects.get(pk="32.01.01.1001")).case
    assert alice_client.get(f"/api/v1/cases/{theirs.pk}").status_code == 404
    response = alice_client.post(
        f"/api/v1/cases/{theirs.pk}/transition", {"to": "DITERIMA"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_anonymous_is_refused(client: Client) -> None:
    assert client.get("/api/v1/cases/").status_code == 401


def test_transition_through_the_api(panwascam: Any) -> None:
    case = file_report().case
    api = client_for(panwascam)
    ok = api.post(
        f"/api/v1/cases/{case.pk}/transition", {"to": "DITERIMA"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == Status.KAJIAN_AWAL
    bad = api.post(
        f"/api/v1/cases/{case.pk}/transition", {"to": "SELESAI"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "application_error"
