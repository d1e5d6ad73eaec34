"""Issue 12 point 15 (first half): the "diteruskan langsung" result of kajian awal.

DOMAIN §5.5 note on PERUU_LAIN: registered and handled by default, with an option to forward
the report to the competent authority without registration (T25). Each test fails on the code
before the change (the option was stored, and the case registered anyway)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netral.accounts.models import User
from netral.audit.models import AuditEntry
from netral.cases import workflow
from netral.cases.deadlines import case_deadlines
from netral.cases.models import (
    Case,
    CaseEvent,
    DeadlineStep,
    DocumentKind,
    FollowUp,
    Recipient,
    Status,
)
from netral.cases.services import (
    case_kajian_awal_record,
    case_receive,
    recommendation_create,
    recommendation_update,
)
from netral.cases.workflow import InvalidTransition, case_transition
from netral.core.errors import ApplicationError
from tests.cases.conftest import file_report
from tests.cases.test_legal_letters import CODE, pdf_text
from tests.cases.test_workflow import ALL_MET, MATERIAL
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

REGIMES = ["PEMILU", "PILKADA"]


def direct(case: Case, actor: User) -> Case:
    case = case_receive(case=case, actor=actor)
    return case_kajian_awal_record(
        case=case,
        actor=actor,
        formal=ALL_MET,
        material=MATERIAL,
        result="PERUU_LAIN",
        note="Kepala desa: kewenangan Bupati",
        direct_forwarding=True,
    )


def letter(case: Case, actor: User, number: str = "12/PP/2024") -> Any:
    return recommendation_create(
        case=case,
        actor=actor,
        reported_person=case.reported_persons.get(),
        recipient=Recipient.BUPATI_WALIKOTA,
        recipient_name="Bupati Kutai Timur",
        letter_number=number,
        letter_date=timezone.localdate(),
    )


@pytest.mark.parametrize("regime", REGIMES)
def test_point_15_direct_forwarding_is_not_registered_and_takes_t25(
    panwascam: User, regime: str
) -> None:
    case = direct(file_report(regime=regime).case, panwascam)
    assert case.status == Status.KAJIAN_AWAL
    assert case.registration_number in ("", None)
    assert case.registered_at is None
    assert CaseEvent.objects.filter(case=case, type=CaseEvent.Type.DIRECT_FORWARDING).exists()
    assert AuditEntry.objects.filter(action="case.kajian_awal", object_id=str(case.pk)).exists()
    # the kajian awal (and Pilkada handling) clock runs until the letter is recorded
    assert DeadlineStep.KAJIAN_AWAL in {d.step for d in case_deadlines(case)}

    letter(case, panwascam)
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.DITERUSKAN
    assert not case.registration_number
    assert case.forwarded_at is not None
    event = CaseEvent.objects.get(case=case, to_status=Status.DITERUSKAN)
    assert event.parameters["transition"] == "T25"
    basis = event.parameters["basis"]
    if regime == "PILKADA":
        assert "8/2020" in basis
        assert "7/2022" not in basis
    else:
        assert "7/2022" in basis
    audit = AuditEntry.objects.get(action="case.transition.T25", object_id=str(case.pk))
    assert audit.after["basis"] == basis
    # the kajian awal and handling clocks stop: no PENANGANAN (Pilkada counts from receipt)
    assert case.due_step not in (DeadlineStep.KAJIAN_AWAL, DeadlineStep.PENANGANAN)
    assert not {d.step for d in case_deadlines(case)} & {
        DeadlineStep.KAJIAN_AWAL,
        DeadlineStep.PENANGANAN,
        DeadlineStep.PENANGANAN_EXTENDED,
    }

    # follow-up monitoring as for T20 cases (T22, T23)
    rec = case.recommendations.get()
    recommendation_update(recommendation=rec, actor=panwascam, status=FollowUp.DIPROSES_INSTANSI)
    assert Case.objects.get(pk=case.pk).status == Status.PEMANTAUAN_TINDAK_LANJUT
    recommendation_update(
        recommendation=rec, actor=panwascam, status=FollowUp.DITOLAK_DIBATALKAN, note="Selesai"
    )
    moves = list(
        CaseEvent.objects.filter(case=case, type=CaseEvent.Type.TRANSITION)
        .order_by("pk")
        .values_list("parameters__transition", flat=True)
    )
    assert moves == ["T1", "T2", "T25", "T22", "T23"]
    assert Case.objects.get(pk=case.pk).status == Status.SELESAI


def test_point_15_peruu_lain_is_still_registered_by_default(panwascam: User) -> None:
    case = case_receive(case=file_report().case, actor=panwascam)
    case = case_kajian_awal_record(
        case=case, actor=panwascam, formal=ALL_MET, material=MATERIAL, result="PERUU_LAIN"
    )
    assert case.status == Status.DIREGISTRASI
    assert case.registration_number
    assert not case.direct_forwarding


def test_point_15_direct_forwarding_only_for_peruu_lain_and_only_with_a_letter(
    panwascam: User,
) -> None:
    case = case_receive(case=file_report().case, actor=panwascam)
    with pytest.raises(ApplicationError):
        case_kajian_awal_record(
            case=case,
            actor=panwascam,
            formal=ALL_MET,
            material=MATERIAL,
            result="ADM",
            direct_forwarding=True,
        )
    assert Case.objects.get(pk=case.pk).status == Status.KAJIAN_AWAL
    # T25 needs the option ...
    with pytest.raises(InvalidTransition):
        case_transition(case=case, to=Status.DITERUSKAN, actor=panwascam)
    # ... and the recorded letter
    case = direct(file_report().case, panwascam)
    with pytest.raises(InvalidTransition):
        case_transition(case=case, to=Status.DITERUSKAN, actor=panwascam)
    # a case not forwarded directly cannot send a letter before its decision
    other = case_receive(case=file_report().case, actor=panwascam)
    with pytest.raises(ApplicationError):
        letter(other, panwascam)
    assert not other.recommendations.exists()
    assert "T25" in {t.code for t in workflow.TRANSITIONS}


@pytest.mark.parametrize("regime", REGIMES)
def test_point_15_the_letter_reads_for_a_report_that_was_not_registered(
    panwascam: User, regime: str
) -> None:
    case = direct(file_report(regime=regime).case, panwascam)
    letter(case, panwascam)
    doc = case.documents.get(kind=DocumentKind.FORWARDING_LETTER)
    text = " ".join(pdf_text(doc).split())
    assert "Penerusan Laporan Dugaan Pelanggaran Peraturan Perundang-undangan Lainnya" in text
    assert "tidak diregistrasi" in text
    assert "nomor registrasi" not in text
    assert "/Reg/" not in text
    assert "terbukti" not in text.lower()
    assert case.tracking_number in text
    assert "Budi Santoso" in text
    if regime == "PILKADA":
        assert "Nomor 8 Tahun 2020" in text
        assert "Nomor 9 Tahun 2024" in text
        assert "7 Tahun 2022" not in text
    else:
        assert "Nomor 7 Tahun 2022" in text
        assert "8 Tahun 2020" not in text
    assert "DOMAIN" not in text
    words = {"SANGATTA", "UTARA", "PANITIA", "PENGAWAS", "PEMILIHAN", "UMUM", "KECAMATAN"}
    codes = [c for c in CODE.findall(text) if c not in words]
    assert codes == [], codes
    assert not re.search(r"PERUU|BUPATI_WALIKOTA|KEPALA_DESA", text)


def test_point_15_officer_clicks_through_the_direct_forwarding(panwascam: User) -> None:
    case = case_receive(case=file_report().case, actor=panwascam)
    client = client_for(panwascam)

    def act(action: str, **data: Any) -> str:
        response = client.post(reverse("cases:action", args=[case.pk, action]), data, follow=True)
        body = response.content.decode()
        assert "Tersimpan." in body, body[body.find("message") :][:400]
        return body

    page = act(
        "kajian-awal",
        formal=list(ALL_MET),
        material=list(MATERIAL),
        result="PERUU_LAIN",
        direct_forwarding="on",
        note="Kewenangan Bupati",
    )
    assert Case.objects.get(pk=case.pk).status == Status.KAJIAN_AWAL
    assert 'data-testid="direct-forwarding"' in page
    assert 'data-testid="recommend"' in page
    assert 'data-testid="to-DITERUSKAN"' not in page  # the letter moves it, not a bare button
    person = case.reported_persons.get()
    act(
        "recommend",
        reported_person=str(person.pk),
        recipient=Recipient.BUPATI_WALIKOTA,
        recipient_name="Bupati Kutai Timur",
        letter_number="3/PP/2024",
        letter_date=timezone.localdate().isoformat(),
    )
    case.refresh_from_db()
    assert case.status == Status.DITERUSKAN
    assert not case.registration_number
    assert case.documents.filter(kind=DocumentKind.FORWARDING_LETTER).count() == 1


def test_point_15_the_reporter_reads_plain_words(panwascam: User) -> None:
    filed = file_report()
    case = direct(filed.case, panwascam)
    letter(case, panwascam)
    client = Client()
    response = client.post(
        reverse("cases:public_status"),
        {"action": "login", "tracking_number": case.tracking_number, "pin": filed.pin},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:public_status")).content.decode()
    assert 'data-testid="outcome"' in page
    assert "tidak diregistrasi dan diteruskan kepada Bupati" in page
    assert "terbukti" not in page.lower()
    assert "PERUU_LAIN" not in page
    assert "DIRECT_FORWARDING" not in page
    assert "T25" not in page


def test_point_15_a_withdrawal_after_direct_forwarding_is_not_one_after_registration(
    panwascam: User,
) -> None:
    """After T25 the report was never registered: the reporter's withdrawal is recorded as a
    withdrawal of a forwarded report, not "after registration", and the forwarding stands."""
    from netral.cases.services import case_withdraw

    case = direct(file_report().case, panwascam)
    letter(case, panwascam)
    case = case_withdraw(case=Case.objects.get(pk=case.pk), note="Sudah berdamai")
    assert Case.objects.get(pk=case.pk).status == Status.DITERUSKAN
    types = set(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert CaseEvent.Type.WITHDRAWAL_AFTER_FORWARDING in types
    assert CaseEvent.Type.WITHDRAWAL_AFTER_REGISTRATION not in types
    assert AuditEntry.objects.filter(
        action="case.withdrawal_after_forwarding", object_id=str(case.pk)
    ).exists()
