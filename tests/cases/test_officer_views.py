"""Officer intake, list, queue, case file and actions (HTTP client), with scoping."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netral.cases.models import Case, ReporterIdentityView, Status
from netral.cases.services import case_receive
from tests.cases.conftest import DESA, file_report, reporter_data
from tests.cases.test_public_views import form_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_alice_gets_404_on_a_case_in_charlies_region(alice_client: Client, charlie: Any) -> None:
    case = file_report(
        incident_region=__import__(
            "netral.registry.models", fromlist=["Region"]
        ).Region.objects.get(pk="32.01.01.1001")
    ).case
    assert alice_client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert alice_client.post(reverse("cases:action", args=[case.pk, "receive"])).status_code == 404
    assert case.tracking_number not in alice_client.get(reverse("cases:list")).content.decode()
    charlie_page = client_for(charlie).get(reverse("cases:detail", args=[case.pk]))
    assert charlie_page.status_code == 200


def test_anonymous_is_sent_to_login(client: Client) -> None:
    assert client.get(reverse("cases:list")).status_code == 302


def test_office_intake_receives_and_starts_kajian_awal(alice_client: Client, alice: Any) -> None:
    data = form_data(origin="LAPORAN", incident_region=DESA)
    response = alice_client.post(reverse("cases:intake"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == Status.KAJIAN_AWAL
    assert case.received_by == alice
    assert case.channel == "KANTOR"


def test_a_finding_is_recorded_awaiting_pleno(alice_client: Client) -> None:
    data = form_data(origin="TEMUAN", incident_region=DESA)
    assert alice_client.post(reverse("cases:intake"), data).status_code == 302
    case = Case.objects.get()
    assert (case.origin, case.status) == ("TEMUAN", Status.HASIL_PENGAWASAN)
    assert case.due_step == "TEMUAN_WINDOW"


def test_intake_outside_the_jurisdiction_is_refused(charlie_client: Client) -> None:
    response = charlie_client.post(
        reverse("cases:intake"), form_data(origin="TEMUAN", incident_region=DESA)
    )
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_case_list_filters_in_a_bounded_number_of_queries(alice: Any, alice_client: Client) -> None:
    for _ in range(5):
        file_report()
    url = reverse("cases:list")
    with CaptureQueriesContext(connection) as ctx:
        page = alice_client.get(
            url,
            {
                "status": "DRAFT_PUBLIK",
                "region": "64.08",
                "q": "Kepala",
                "open": "1",
                "regime": "PILKADA",
            },
        )
    assert page.status_code == 200
    assert page.content.decode().count("Kepala desa mengajak") == 5
    few = len(ctx.captured_queries)
    for _ in range(20):
        file_report()
    with CaptureQueriesContext(connection) as ctx:
        alice_client.get(url, {"status": "DRAFT_PUBLIK", "region": "64.08"})
    assert len(ctx.captured_queries) == few <= 8


def test_work_queue_is_sorted_by_urgency(panwascam: Any) -> None:
    today = timezone.localdate()
    later = case_receive(case=file_report().case, actor=panwascam)
    sooner = file_report(
        known_date=today - dt.timedelta(days=6), event_date=today - dt.timedelta(days=6)
    ).case  # window nearly over
    body = client_for(panwascam).get(reverse("cases:queue")).content.decode()
    assert body.index(str(sooner)) < body.index(str(later))


def test_detail_shows_the_next_deadline_and_its_basis(panwascam: Any) -> None:
    case = case_receive(case=file_report().case, actor=panwascam)
    body = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Tenggat berikutnya" in body
    assert "Perpu 1/2014 Ps. 134(5)" in body


def test_confidential_identity_is_hidden_until_a_handler_asks_and_is_logged(
    panwascam: Any, bob: Any
) -> None:
    case = file_report(reporter=reporter_data(confidential=True, name="Rahasia Sekali")).case
    bob_page = client_for(bob).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Rahasia Sekali" not in bob_page
    assert (
        client_for(bob).get(reverse("cases:reporter_identity", args=[case.pk])).status_code == 404
    )
    handler = client_for(panwascam)
    assert (
        "Rahasia Sekali"
        not in handler.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    shown = handler.get(reverse("cases:reporter_identity", args=[case.pk])).content.decode()
    assert "Rahasia Sekali" in shown
    assert ReporterIdentityView.objects.filter(reporter__case=case, viewer=panwascam).count() == 1


def test_a_transition_not_allowed_is_reported_and_changes_nothing(panwascam: Any) -> None:
    case = file_report().case
    client = client_for(panwascam)
    client.post(reverse("cases:action", args=[case.pk, "transition"]), {"to": "DIPUTUS"})
    case.refresh_from_db()
    assert case.status == Status.DRAFT_PUBLIK


def test_generated_documents_are_listed_and_parse_back(panwascam: Any) -> None:
    case = case_receive(case=file_report().case, actor=panwascam)
    client = client_for(panwascam)
    for kind in ("REPORT_FORM", "STATUS_NOTICE"):
        client.post(reverse("cases:action", args=[case.pk, "document"]), {"kind": kind})
    docs = list(case.documents.order_by("id"))
    assert [d.kind for d in docs] == ["REPORT_FORM", "STATUS_NOTICE"]
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert all(reverse("cases:document", args=[case.pk, d.pk]) in body for d in docs)
    pdf = client.get(reverse("cases:document", args=[case.pk, docs[0].pk]))
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )
    assert "FORMULIR LAPORAN" in text.upper()
    assert "Budi Santoso" in text
    assert "Identitas Terlapor" in text
    flat = " ".join(text.split()).upper()
    # A Pilkada case: the kecamatan unit's Pilkada name (UU 10/2016), not the Pemilu one.
    assert "PANITIA PENGAWAS PEMILIHAN KECAMATAN SANGATTA UTARA" in flat


def test_the_work_queue_names_the_deadline_step_in_words() -> None:
    from netral.cases.models import Case

    case = Case(due_step="LENGKAPI_WINDOW")
    assert case.due_step_label == "Batas waktu pelapor melengkapi"
    assert Case(due_step="SOMETHING_ELSE").due_step_label == "SOMETHING_ELSE"
