"""Declarations API: scoping (cross-region 404), writes, coverage shape, public verify."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from netral.declarations import services
from netral.declarations.models import Event, Signature
from netral.registry.models import Region
from tests.conftest import client_for
from tests.declarations.helpers import event, official, pilkada, standard

pytestmark = pytest.mark.django_db
BASE = "/api/v1/declarations"


@pytest.fixture
def bogor_event(charlie: Any) -> Event:
    return event(region="32.01", actor=charlie, title="Sosialisasi Bogor")


@pytest.fixture
def kutim_event(alice: Any) -> Event:
    return event(actor=alice)


def test_alice_gets_404_on_charlies_event_signatures_and_coverage(
    alice_client: Client, charlie: Any, bogor_event: Event
) -> None:
    sig = services.signature_institutional(
        event=bogor_event,
        template=standard(),
        actor=charlie,
        name="Bupati Bogor",
        title="Bupati",
        institution="Pemkab Bogor",
    )
    assert alice_client.get(f"{BASE}/events/{bogor_event.pk}").status_code == 404
    assert alice_client.get(f"{BASE}/events/{bogor_event.pk}/signatures").status_code == 404
    assert (
        alice_client.post(
            f"{BASE}/signatures/{sig.pk}/revoke", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        alice_client.post(
            f"{BASE}/events/{bogor_event.pk}/institutional-signatures",
            {"template_id": standard().pk, "name": "a", "title": "b", "institution": "c"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert alice_client.get(f"{BASE}/coverage", {"region": "32.01"}).status_code == 404
    sig.refresh_from_db()
    assert sig.revoked_at is None
    assert [e["id"] for e in alice_client.get(f"{BASE}/events").json()] == []


def test_anonymous_callers_get_401_except_on_verify(client: Client, kutim_event: Event) -> None:
    assert client.get(f"{BASE}/events").status_code == 401
    assert client.get(f"{BASE}/events/{kutim_event.pk}").status_code == 401


def test_recording_and_revoking_an_institutional_signature(
    alice_client: Client, kutim_event: Event
) -> None:
    created = alice_client.post(
        f"{BASE}/events/{kutim_event.pk}/institutional-signatures",
        {
            "template_id": standard().pk,
            "name": "Kapolres",
            "title": "Kapolres",
            "institution": "Polres Kutai Timur",
        },
        content_type="application/json",
    )
    assert created.status_code == 200
    sig_id = created.json()["id"]
    duplicate = alice_client.post(
        f"{BASE}/events/{kutim_event.pk}/institutional-signatures",
        {
            "template_id": standard().pk,
            "name": "Kapolres",
            "title": "Kapolres",
            "institution": "Polres Kutai Timur",
        },
        content_type="application/json",
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["error"]["code"] == "application_error"
    revoked = alice_client.post(
        f"{BASE}/signatures/{sig_id}/revoke",
        {"reason": "Salah jabatan"},
        content_type="application/json",
    )
    assert revoked.status_code == 200
    assert revoked.json()["revocation_reason"] == "Salah jabatan"
    assert Signature.objects.get(pk=sig_id).revoked_at is not None


def test_a_read_only_auditor_cannot_write(bob: Any, kutim_event: Event) -> None:
    response = client_for(bob).post(
        f"{BASE}/events/{kutim_event.pk}/institutional-signatures",
        {"template_id": standard().pk, "name": "a", "title": "b", "institution": "c"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_coverage_is_keyed_by_region_code(
    alice_client: Client, alice: Any, kutim_event: Event
) -> None:
    person = official(region="64.08.04.2001")
    services.event_participant_rule_set(
        event=kutim_event,
        actor=alice,
        region=Region.objects.get(code="64.08"),
        subject_types=["KEPALA_DESA"],
    )
    services.signature_record(event=kutim_event, template=standard(), official=person, actor=alice)
    body = alice_client.get(
        f"{BASE}/coverage", {"region": "64.08", "election_event": pilkada().pk}
    ).json()
    assert body["desa"] == {"total": 139, "signed": 1, "spoken": 0, "share": round(1 / 139, 4)}
    assert body["regions"]["64.08.04"]["desa"]["signed"] == 1
    assert body["regions"]["64.08.01"]["desa"]["signed"] == 0
    assert len(body["not_signed"]["kepala_desa"]) == 138


def test_public_verify_returns_the_status(client: Client, alice: Any, kutim_event: Event) -> None:
    sig = services.signature_institutional(
        event=kutim_event,
        template=standard(),
        actor=alice,
        name="Bupati",
        title="Bupati",
        institution="Pemkab",
    )
    assert client.get(f"{BASE}/verify/{sig.code}").json()["status"] == "VALID"
    Signature.objects.filter(pk=sig.pk).update(signer_name="Palsu")
    body = client.get(f"{BASE}/verify/{sig.code}").json()
    assert body["status"] == "INVALID"
    assert body["signer_name"] is None
