"""Issue 13 point 18: the citizen's status page never says "Draf"; once the case is closed
it says the outcome in plain words (proven or not, which follow-up) and names no one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netral.cases.demo import _decide, _register
from netral.cases.models import PersonFinding, Recipient, Status
from netral.cases.services import recommendation_create, sanction_record
from netral.cases.workflow import case_transition
from tests.cases.conftest import file_report

pytestmark = pytest.mark.django_db


def _status_page(client: Client, case: Any, pin: str) -> str:
    response = client.post(
        reverse("cases:public_status"),
        {"action": "login", "tracking_number": case.tracking_number, "pin": pin},
    )
    assert response.status_code == 302
    return client.get(reverse("cases:public_status")).content.decode()


def test_a_new_report_is_sent_not_a_draft(client: Client) -> None:
    filed = file_report()
    assert filed.case.status == Status.DRAFT_PUBLIK
    page = _status_page(client, filed.case, filed.pin)
    assert "Draf" not in page
    assert "Terkirim, menunggu diperiksa pengawas" in page
    assert 'data-testid="outcome"' not in page  # nothing to conclude yet


def test_a_proven_and_sanctioned_case_says_so_without_names(client: Client, panwascam: Any) -> None:
    # given a report proven, forwarded to the regent and sanctioned
    filed = file_report()
    case = _decide(
        _register(filed.case, panwascam),
        panwascam,
        PersonFinding.TERBUKTI,
        ["PERUU_LAINNYA"],
        [],
        ["UU 6/2014 Ps. 29 huruf j"],
    )
    person = case.reported_persons.get()
    rec = recommendation_create(
        case=case,
        actor=panwascam,
        reported_person=person,
        recipient=Recipient.BUPATI_WALIKOTA,
        recipient_name="Bupati Kutai Timur",
        letter_number="021/PP.01.02/K.KT-04/11/2024",
        letter_date=timezone.localdate(),
    )
    sanction_record(
        recommendation=rec,
        actor=panwascam,
        reported_person=person,
        level="RINGAN",
        type="DESA_TEGURAN_TERTULIS",
        decree_number="800/412/DPMD/XI/2024",
        decree_date=timezone.localdate(),
        imposed_by="Bupati Kutai Timur",
    )
    case.refresh_from_db()
    assert case.is_closed
    # when the reporter opens the status page
    page = _status_page(client, case, filed.pin)
    # then
    assert "Hasil: terbukti ada pelanggaran netralitas (1 dari 1 terlapor)." in page
    assert "pelanggaran peraturan perundang-undangan lainnya" in page
    assert "Diteruskan sebagai rekomendasi kepada Bupati/Wali Kota" in page
    assert "Instansi yang berwenang telah menjatuhkan sanksi." in page
    assert person.name not in page
    assert "Draf" not in page


def test_a_case_not_proven_says_so(client: Client, panwascam: Any) -> None:
    filed = file_report()
    case = _decide(
        _register(filed.case, panwascam),
        panwascam,
        PersonFinding.TIDAK_TERBUKTI,
        ["BUKAN_PELANGGARAN"],
        [],
        [],
    )
    case = case_transition(
        case=case, to=Status.DIHENTIKAN, actor=panwascam, note="Bukan pelanggaran netralitas."
    )
    assert case.is_closed
    page = _status_page(client, case, filed.pin)
    assert "Hasil: tidak terbukti ada pelanggaran netralitas." in page
    assert case.reported_persons.get().name not in page


def test_an_english_reader_gets_english(client: Client) -> None:
    filed = file_report()
    client.cookies["django_language"] = "en"
    page = _status_page(client, filed.case, filed.pin)
    assert "Sent, awaiting review by a supervisor" in page
