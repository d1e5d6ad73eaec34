"""NIK masked by default, revealed with a reason by roles that need it, logged (§14)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from netral.accounts.models import Role
from netral.audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories import OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db

NIK = "6408042203840001"


@pytest.fixture
def official() -> Any:
    return OfficialFactory(name="Pejabat Ber-NIK", region_id="64.08.04", nik=NIK)


def test_the_profile_and_the_api_show_the_nik_masked(alice_client: Client, official: Any) -> None:
    page = alice_client.get(reverse("registry:official_detail", args=[official.pk])).content
    assert NIK not in page.decode()
    assert "640804********01" in page.decode()
    api = alice_client.get(f"/api/v1/officials/{official.pk}").content.decode()
    assert NIK not in api
    assert not AuditEntry.objects.filter(action="official.nik_revealed").exists()


def test_a_reveal_needs_a_reason_and_is_logged(
    alice: Any, alice_client: Client, official: Any
) -> None:
    url = reverse("registry:official_nik", args=[official.pk])
    refused = alice_client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert NIK not in refused.content.decode()
    response = alice_client.post(url, {"reason": "Klarifikasi identitas terlapor perkara 12"})
    assert response.status_code == 200
    assert NIK in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="official.nik_revealed")
    assert entry.actor_id == alice.pk
    assert entry.note == "Klarifikasi identitas terlapor perkara 12"
    assert entry.region_code == "64.08.04"


def test_the_api_reveals_with_a_reason_and_logs(alice_client: Client, official: Any) -> None:
    url = f"/api/v1/officials/{official.pk}/nik"
    body = {"reason": "Pencocokan data kepegawaian"}
    response = alice_client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"nik": NIK}
    assert AuditEntry.objects.filter(action="official.nik_revealed").count() == 1


def test_read_only_roles_and_other_regions_cannot_reveal(
    bob: Any, charlie_client: Client, official: Any
) -> None:
    url = reverse("registry:official_nik", args=[official.pk])
    reason = {"reason": "Sekadar ingin tahu saja"}
    auditor = client_for(bob)
    page = auditor.get(reverse("registry:official_detail", args=[official.pk])).content.decode()
    assert "Tampilkan NIK" not in page
    assert auditor.post(url, reason).status_code == 404
    assert charlie_client.post(url, reason).status_code == 404
    regency_staff = client_for(UserFactory(username="bkpsdm", role=Role.BKPSDM, region="64.08"))
    assert regency_staff.post(url, {"reason": "Pemutakhiran data pegawai"}).status_code == 200
    assert AuditEntry.objects.filter(action="official.nik_revealed").count() == 1
