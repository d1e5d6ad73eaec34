"""/api/v1/officials: search, profile, coverage, import dry run (issue 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netral.accounts.models import Role
from netral.registry.models import Official
from netral.registry.services.officials_import import officials_import
from tests.conftest import client_for
from tests.factories import OfficialFactory, UserFactory
from tests.registry.helpers import OFFICIALS_FIXTURES, db_state, fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def kutim_officials() -> None:
    officials_import(file=fixture("good_comma.csv"), source_name="seed")


def test_search_returns_masked_nik(alice_client: Client, kutim_officials: None) -> None:
    response = alice_client.get("/api/v1/officials/", {"q": "seno"})

    assert response.status_code == 200
    body = response.json()
    assert [o["name"] for o in body["items"]] == ["Séno Aji Wibowo"]
    assert body["items"][0]["nik_masked"] == "640804********01"
    assert "nik" not in body["items"][0]


def test_search_by_region_subtree_and_type(alice_client: Client, kutim_officials: None) -> None:
    response = alice_client.get("/api/v1/officials/", {"region": "64.08.04", "subject_type": "TNI"})

    assert [o["nrp"] for o in response.json()["items"]] == ["31990123"]


def test_detail_has_the_full_profile(alice_client: Client, kutim_officials: None) -> None:
    official = Official.objects.get(nip="198403222009021004")

    body = alice_client.get(f"/api/v1/officials/{official.pk}").json()

    assert body["nik"] == "640804********01"  # masked (issue 14 §14)
    assert {s["platform"] for s in body["social_accounts"]} == {"instagram", "facebook"}
    assert body["region_label"].startswith("Kec. Sangatta Utara")


def test_alice_gets_404_on_charlies_official(alice_client: Client) -> None:
    bogor = OfficialFactory(name="Asep Bogor", region_id="32.01.01")

    assert alice_client.get(f"/api/v1/officials/{bogor.pk}").status_code == 404
    assert alice_client.get("/api/v1/officials/", {"q": "asep"}).json()["items"] == []


def test_anonymous_requests_are_refused(client: Client) -> None:
    assert client.get("/api/v1/officials/").status_code == 401


def test_coverage(alice_client: Client, kutim_officials: None) -> None:
    body = alice_client.get("/api/v1/officials/coverage", {"region": "64.08.04"}).json()

    assert body["summary"]["villages_with_head"] == 1
    assert alice_client.get("/api/v1/officials/coverage", {"region": "32.01"}).status_code == 404


def test_import_dry_run_reports_errors_and_writes_nothing(db: None) -> None:
    staff = client_for(UserFactory(username="dpmd", role=Role.DPMD, region="64.08"))
    state = db_state()
    data = (OFFICIALS_FIXTURES / "bad_invalid_identifier.csv").read_bytes()

    response = staff.post(
        "/api/v1/officials/import/dry-run", {"file": SimpleUploadedFile("x.csv", data)}
    )

    body = response.json()
    assert response.status_code == 200
    assert body["ok"] is False
    assert {(e["row"], e["field"]) for e in body["errors"]} == {(2, "nip"), (3, "nik")}
    assert db_state() == state


def test_import_dry_run_needs_manage_officials(alice_client: Client) -> None:
    data = (OFFICIALS_FIXTURES / "good_comma.csv").read_bytes()

    response = alice_client.post(
        "/api/v1/officials/import/dry-run", {"file": SimpleUploadedFile("x.csv", data)}
    )

    assert response.status_code == 404


def test_import_dry_run_refuses_a_file_over_the_size_limit(db: None, settings: Any) -> None:
    # given
    settings.NETRAL_MAX_UPLOAD_MB = 0
    staff = client_for(UserFactory(username="dpmd", role=Role.DPMD, region="64.08"))
    data = (OFFICIALS_FIXTURES / "good_comma.csv").read_bytes()

    # when
    response = staff.post(
        "/api/v1/officials/import/dry-run", {"file": SimpleUploadedFile("x.csv", data)}
    )

    # then
    assert response.status_code == 400
    assert "Berkas terlalu besar (maks. 0 MB)." in response.content.decode()
