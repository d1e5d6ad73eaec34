"""Personal API tokens (issue 14 §12): scoped to the holder's jurisdiction and a chosen
subset of permissions, stored hashed, expiring, revocable, listed on the account page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from netral.accounts.models import ApiToken, Role
from netral.accounts.tokens import api_token_create, token_hash
from netral.audit.models import AuditEntry
from netral.core.errors import ApplicationError
from tests.factories import OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_made_on_the_account_page_is_shown_once_and_stored_hashed(
    alice: Any, alice_client: Client
) -> None:
    response = alice_client.post(
        reverse("accounts:api_token_create"),
        {"name": "Integrasi SIPP", "permissions": ["VIEW"], "days": "30"},
    )
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'data-testid="api-token-secret">([^<]+)<', response.content.decode())[1]
    token = ApiToken.objects.get(user=alice)
    assert token.token_hash == token_hash(secret)
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    page = alice_client.get(reverse("accounts:account")).content.decode()
    assert "Integrasi SIPP" in page
    assert token.prefix in page
    assert secret not in page
    assert AuditEntry.objects.filter(action="api_token.created", actor=alice).exists()


def test_the_api_accepts_a_token_within_the_holders_jurisdiction(alice: Any) -> None:
    mine = OfficialFactory(name="Pejabat Kutim", region_id="64.08.04")
    theirs = OfficialFactory(name="Pejabat Bogor", region_id="32.01.01")
    issued = api_token_create(user=alice, name="baca", permissions=["VIEW"], days=30)
    api = Client()
    assert api.get("/api/v1/officials/").status_code == 401
    assert api.get(f"/api/v1/officials/{mine.pk}", **_bearer(issued.secret)).status_code == 200
    assert api.get(f"/api/v1/officials/{theirs.pk}", **_bearer(issued.secret)).status_code == 404
    assert api.get("/api/v1/officials/", **_bearer("ntr_not-a-token")).status_code == 401


def test_a_token_holds_only_the_chosen_permissions(alice: Any) -> None:
    """alice handles cases; a read-only token of hers cannot reveal a NIK (HANDLE_CASES)."""
    official = OfficialFactory(region_id="64.08.04", nik="6408042203840001")
    reader = api_token_create(user=alice, name="baca", permissions=["VIEW"], days=30)
    handler = api_token_create(
        user=alice, name="tangani", permissions=["VIEW", "HANDLE_CASES"], days=30
    )
    url = f"/api/v1/officials/{official.pk}/nik"
    body = json.dumps({"reason": "Pencocokan identitas terlapor"})
    api = Client()
    assert (
        api.post(url, body, content_type="application/json", **_bearer(reader.secret)).status_code
        == 404
    )
    ok = api.post(url, body, content_type="application/json", **_bearer(handler.secret))
    assert ok.status_code == 200
    with pytest.raises(ApplicationError):
        api_token_create(user=alice, name="admin", permissions=["ADMINISTER"], days=30)


def test_tokens_expire_and_can_be_revoked(alice: Any, alice_client: Client) -> None:
    issued = api_token_create(user=alice, name="sementara", permissions=["VIEW"], days=1)
    api = Client()
    assert api.get("/api/v1/officials/", **_bearer(issued.secret)).status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=2)):
        assert api.get("/api/v1/officials/", **_bearer(issued.secret)).status_code == 401
    alice_client.post(reverse("accounts:api_token_revoke", args=[issued.token.pk]))
    assert api.get("/api/v1/officials/", **_bearer(issued.secret)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoked").exists()


def test_another_officer_cannot_revoke_my_token(alice: Any, charlie_client: Client) -> None:
    issued = api_token_create(user=alice, name="milik alice", permissions=["VIEW"], days=30)
    url = reverse("accounts:api_token_revoke", args=[issued.token.pk])
    assert charlie_client.post(url).status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_a_deactivated_holder_s_token_stops_working() -> None:
    officer = UserFactory(username="mantan", role=Role.BAWASLU_KABKOTA, region="64.08")
    issued = api_token_create(user=officer, name="lama", permissions=["VIEW"], days=30)
    officer.is_active = False
    officer.save()
    assert Client().get("/api/v1/officials/", **_bearer(issued.secret)).status_code == 401
