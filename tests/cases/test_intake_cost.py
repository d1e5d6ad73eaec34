"""The public form's cost per report is fixed (issue 5: 200 reports/s on two cores), and the
officer's list filters by place with one prefix (docs/benchmarks.md, cases)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netral.audit.models import AuditEntry
from netral.cases.models import Case, NotificationLog, ReportedPerson, Witness
from netral.cases.services import case_file_public
from netral.core import ttlcache
from netral.registry.models import Region
from tests.cases.conftest import case_data, file_report, reporter_data
from tests.cases.test_public_views import form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Statements of one report (one reported person, one witness), routed to a unit with one
# officer, with the production caches warm (netral/core/ttlcache.py: places, active units,
# deadline rules): case, reporter, persons, witnesses, event, audit entry (the first of a new
# chain: no read, no savepoint), the unit's officers' notifications (one INSERT ... SELECT),
# and the savepoint pair of the transaction (the test itself runs inside one). No session
# row, no UPDATE, no re-read, no reference-data read.
MAX_QUERIES = 9


def _post(client: Client, **overrides: Any) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/lapor/", form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:500]
    return len(ctx.captured_queries), response.status_code


@override_settings(
    NETRAL_RATE_REPORT=(1000, 3600),
    NETRAL_RATE_REPORT_HARD=(1000, 3600),
    NETRAL_ROUTING_CACHE_SECONDS=30,
    NETRAL_DEADLINE_RULES_CACHE_SECONDS=30,
)
def test_a_public_report_costs_a_fixed_number_of_queries(client: Client, alice: Any) -> None:
    cache.clear()
    for topic in ("assignments", "deadline_rules", "regions"):  # no other test's rows
        ttlcache.invalidate(topic)
    UserFactory(username="siti", role="PANWASLU_KECAMATAN", region="64.08.04")
    _post(client)  # warm (content types, first-use lookups)
    one, _ = _post(client, **{"pelapor-email": ""})
    many, _ = _post(
        client,
        **{
            "pelapor-email": "",
            "terlapor-1-name": "Andi",
            "terlapor-2-name": "Citra",
            "saksi-0-name": "Ani",
            "saksi-1-name": "Dodi",
            "evidence_list": "Foto spanduk\nRekaman video",
        },
    )
    assert one <= MAX_QUERIES
    # more persons, witnesses and listed evidence: bulk INSERTs, not one per row
    assert many <= one + 2
    case = Case.objects.order_by("-id").first()
    assert case is not None
    assert ReportedPerson.objects.filter(case=case).count() == 3
    assert Witness.objects.filter(case=case).count() == 2
    # everything the legal record needs was written with it, in the same transaction
    assert case.receipt_seal
    assert case.due_at
    assert case.tracking_number
    assert case.pin_hash
    assert AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).exists()
    assert NotificationLog.objects.filter(case=case, kind="NEW_CASE").exists()
    cache.clear()
    for topic in ("assignments", "deadline_rules", "regions"):
        ttlcache.invalidate(topic)


def test_a_tracking_number_collision_files_with_a_new_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import secrets

    from netral.cases import receipt

    first = file_report().case
    assert first.tracking_number
    taken = first.tracking_number.replace("LP-", "").replace("-", "")
    # the next draw repeats the taken number once, then draws at random again
    real_choice = secrets.choice
    draws = itertools.chain(iter(taken), iter(lambda: real_choice("ABCDEFGH"), None))
    monkeypatch.setattr(receipt.secrets, "choice", lambda _seq: next(draws))
    second = file_report().case
    assert second.tracking_number
    assert second.tracking_number != first.tracking_number
    assert Case.objects.count() == 2


def test_the_list_filters_a_place_by_its_code_prefix(alice_client: Client) -> None:
    file_report()  # 64.08.04.2001
    case_file_public(
        data=case_data(incident_region=Region.objects.get(pk="64.08.01.2001"), title="Di Muara"),
        reporter=reporter_data(),
        files=[],
        submission_key=uuid.uuid4(),
    )
    url = reverse("cases:list")
    body = alice_client.get(url, {"region": "64.08.04"}).content.decode()
    assert "Kepala desa mengajak" in body
    assert "Di Muara" not in body
    body = alice_client.get(url, {"region": "64.08.01"}).content.decode()
    assert "Di Muara" in body
    assert "Kepala desa mengajak" not in body
    body = alice_client.get(url, {"region": "64.08"}).content.decode()
    assert "Di Muara" in body
    assert "Kepala desa mengajak" in body
    # a malformed code falls back to the exact-or-below form and finds nothing odd
    assert "Di Muara" not in alice_client.get(url, {"region": "64.0"}).content.decode()
