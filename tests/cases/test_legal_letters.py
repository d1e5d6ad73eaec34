"""Issue 12, regime, citations, recipients and documents (points 9-12, 17).

Each test is named after the point it proves and fails on the code before issue 12."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from netral.accounts.models import User
from netral.audit.models import AuditEntry
from netral.cases.documents import document_generate, forwarding_letter_text, unit_name
from netral.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    DocumentKind,
    PersonFinding,
    Recipient,
    Status,
)
from netral.cases.selectors import recipient_choices, recipients_for
from netral.cases.services import (
    PersonData,
    case_decide,
    case_forward,
    case_receive,
    clarification_schedule,
    recommendation_create,
    reported_person_decide,
)
from netral.cases.workflow import case_transition
from netral.core.errors import ApplicationError
from netral.monitoring.services import deadlines_watch
from netral.registry.models import Region
from tests.cases.conftest import file_report
from tests.cases.test_workflow import register

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b[A-Z_]{5,}\b")  # a stored code as a word (not "MenPANRB")


def pdf_text(doc: CaseDocument) -> str:
    with doc.file.open("rb") as fh:
        data = fh.read()
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def civil_servant() -> list[PersonData]:
    return [
        PersonData(
            name="Dewi Lestari",
            position="Guru",
            agency_name="SMP Negeri 1 Sangatta Utara",
            subject_type="PNS",
        )
    ]


def decided(actor: User, *, regime: str = "PILKADA", kinds: list[str] | None = None) -> Case:
    case = register(file_report(regime=regime, persons=civil_servant()).case, actor)
    clarification_schedule(
        case=case,
        actor=actor,
        party="TERLAPOR",
        party_name="Dewi Lestari",
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        mode="TATAP_MUKA",
        location="Kantor Panwaslu Kecamatan",
    )
    case = case_transition(case=Case.objects.get(pk=case.pk), to=Status.KAJIAN, actor=actor)
    reported_person_decide(
        person=case.reported_persons.get(),
        actor=actor,
        finding=PersonFinding.TERBUKTI,
        violation_types=kinds or ["PERUU_LAINNYA", "PIDANA"],
        skb_codes=["DS02"],
        articles=["UU 10/2016 Ps. 71(1)"],
        reasoning="Terbukti",
    )
    return case_decide(case=case, actor=actor)


def forward(case: Case, actor: User, recipient: str, number: str) -> Any:
    return recommendation_create(
        case=case,
        actor=actor,
        reported_person=case.reported_persons.get(),
        recipient=recipient,
        recipient_name=Recipient(recipient).label,
        letter_number=number,
        letter_date=timezone.localdate(),
    )


def test_point_09_pilkada_documents_and_timeline_cite_the_pilkada_regulation(
    panwascam: User, alice: User
) -> None:
    case = decided(panwascam)
    forward(case, panwascam, Recipient.SENTRA_GAKKUMDU, "1/PP/2024")
    receipt = document_generate(case=case, kind=DocumentKind.RECEIPT, actor=panwascam)
    other = case_receive(case=file_report().case, actor=panwascam)
    done = case_forward(
        case=other, actor=panwascam, destination=Region.objects.get(pk="64.08"), note="Bukan"
    )
    docs = [
        receipt,
        *case.documents.filter(kind__in=["INVITATION", "FORWARDING_LETTER"]),
        done.source.documents.get(kind=DocumentKind.PELIMPAHAN_LETTER),
    ]
    assert {d.kind for d in docs} == {
        "RECEIPT",
        "INVITATION",
        "FORWARDING_LETTER",
        "PELIMPAHAN_LETTER",
    }
    for doc in docs:
        text = " ".join(pdf_text(doc).split())
        assert "7/2022" not in text, doc.kind
        assert "7 Tahun 2022" not in text, doc.kind
        assert any(b in text for b in ("8/2020", "8 Tahun 2020", "10/2016")), doc.kind
        assert "Pemilihan Umum Kecamatan" not in text, doc.kind  # the Pilkada unit's name
    bases = [
        e.parameters.get("basis", "")
        for e in CaseEvent.objects.filter(case__in=[case, done.source, done.target])
    ]
    assert bases
    assert not [b for b in bases if "7/2022" in b or "7/2017" in b]
    audited = AuditEntry.objects.filter(action__startswith="case.transition").values_list(
        "after", flat=True
    )
    assert all("7/2022" not in str(a) for a in audited)
    # ... while a Pemilu case keeps citing Perbawaslu 7/2022
    pemilu = case_receive(case=file_report(regime="PEMILU").case, actor=panwascam)
    text = pdf_text(document_generate(case=pemilu, kind="RECEIPT", actor=panwascam))
    assert "Perbawaslu 7/2022" in " ".join(text.split())
    assert unit_name(pemilu).startswith("Panitia Pengawas Pemilihan Umum Kecamatan")


def test_point_10_each_recipient_kind_gets_its_own_subject_and_body(panwascam: User) -> None:
    case = decided(panwascam)
    subjects = {}
    for recipient in Recipient:
        rec = case.recommendations.model(case=case, recipient=recipient, letter_number="x")
        text = forwarding_letter_text(case=case, recommendation=rec, unit=unit_name(case))
        subjects[recipient] = text["letter_subject"]
        assert "Peraturan Perundang-undangan Lainnya" not in text["letter_subject"]
        assert case.registration_number in text["letter_body"]
        assert "{" not in text["letter_subject"] + text["letter_body"]
    assert "Tindak Pidana Pemilihan" in subjects[Recipient.SENTRA_GAKKUMDU]
    assert "Tindak Pidana Pemilihan" in subjects[Recipient.POLRI_PENYIDIK]
    assert "Kode Etik" in subjects[Recipient.DKPP]
    assert "Administratif" in subjects[Recipient.KPU]
    assert "TNI" in subjects[Recipient.PANGLIMA_TNI]
    assert "Polri" in subjects[Recipient.KAPOLRI_PROPAM]
    assert "Kepala Desa" in subjects[Recipient.BUPATI_WALIKOTA]
    assert "Aparatur Sipil Negara" in subjects[Recipient.BKN]
    rec = forward(case, panwascam, Recipient.POLRI_PENYIDIK, "2/PP/2024")
    letter = CaseDocument.objects.get(recommendation=rec)
    text = " ".join(pdf_text(letter).split())
    assert "Penerusan Dugaan Tindak Pidana Pemilihan kepada Penyidik" in text
    assert "Peraturan Perundang-undangan Lainnya" not in text


def test_point_11_the_skb_follow_up_deadline_is_for_asn_recipients_only(
    panwascam: User,
) -> None:
    case = decided(panwascam, kinds=["PERUU_LAINNYA"])
    bkn = forward(case, panwascam, Recipient.BKN, "3/PP/2024")
    bupati = forward(case, panwascam, Recipient.BUPATI_WALIKOTA, "4/PP/2024")
    assert bkn.due_at is not None
    assert bupati.due_at is None  # no rule row for a Bupati: no invented deadline
    result = deadlines_watch(now=bkn.due_at + dt.timedelta(days=1))
    assert result.escalations == 1
    assert case.events.filter(type=CaseEvent.Type.ESCALATED).get().parameters["recipient"] == (
        Recipient.BKN
    )
    for rec in (bkn, bupati):
        text = pdf_text(CaseDocument.objects.get(recommendation=rec))
        assert "tidak ditemukan" not in text
        assert "belum bersumber" not in text


def test_point_12_kasn_is_never_the_default_and_only_for_decisions_before_2024_09(
    panwascam: User,
) -> None:
    case = decided(panwascam, kinds=["PERUU_LAINNYA"])
    person = case.reported_persons.get()
    suggested = recipients_for(person)
    assert suggested[0] == Recipient.BKN
    assert Recipient.KASN not in suggested
    choices = [value for value, _label in recipient_choices(case)]
    assert choices[0] == ""  # no default
    assert Recipient.KASN not in choices
    with pytest.raises(ApplicationError, match="BKN"):
        forward(case, panwascam, Recipient.KASN, "5/PP/2024")
    # a case decided before the dissolution may still be forwarded to KASN, never first
    Case.objects.filter(pk=case.pk).update(decided_at=dt.datetime(2024, 6, 3, 3, tzinfo=dt.UTC))
    case.refresh_from_db()
    person.refresh_from_db()
    assert recipients_for(person)[-1] == Recipient.KASN
    assert recipients_for(person)[0] == Recipient.BKN
    assert forward(case, panwascam, Recipient.KASN, "6/PP/2024").recipient == Recipient.KASN


def test_point_17_no_generated_document_prints_an_internal_code(
    panwascam: User, alice: User
) -> None:
    case = decided(panwascam)
    forward(case, panwascam, Recipient.BKN, "7/PP/2024")
    forward(case, panwascam, Recipient.SENTRA_GAKKUMDU, "8/PP/2024")
    for kind in ("RECEIPT", "REPORT_FORM", "STATUS_NOTICE"):
        document_generate(case=case, kind=kind, actor=panwascam)
    other = case_receive(case=file_report().case, actor=panwascam)
    done = case_forward(
        case=other, actor=panwascam, destination=Region.objects.get(pk="64.08"), note="Bukan"
    )
    docs = [*case.documents.all(), *done.source.documents.all()]
    assert {d.kind for d in docs} == set(DocumentKind.values)
    for doc in docs:
        text = pdf_text(doc)
        # The letterhead is upper-cased by CSS: compare against the words people wrote.
        words = set(re.findall(r"[A-Za-z_]+", unit_name(doc.case).upper()))
        words |= {"FORMULIR", "LAPORAN", "TANDA", "BUKTI", "PENYAMPAIAN", "PEMBERITAHUAN"}
        words |= {"TENTANG", "STATUS", "SANGATTA", "UTARA"}
        codes = [c for c in CODE.findall(text) if c not in words]
        assert codes == [], (doc.kind, codes)
        assert "DOMAIN" not in text
        assert "tidak ditemukan" not in text


PNG_LOGO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_point_18_letters_have_the_units_letterhead_place_date_and_signing_officer(
    panwascam: User,
) -> None:
    from django.core.files.base import ContentFile

    from netral.cases.models import UnitLetterhead

    panwascam.full_name = "Siti Rahmawati"
    panwascam.position = "Ketua Panwaslu Kecamatan Sangatta Utara"
    panwascam.save()
    head = UnitLetterhead(
        unit="64.08.04",
        address="Jl. Poros Sangatta-Bontang No. 12",
        place="Sangatta",
        phone="(0549) 21000",
    )
    head.logo.save("logo.png", ContentFile(PNG_LOGO), save=False)
    head.save()
    case = decided(panwascam, kinds=["PERUU_LAINNYA"])
    rec = forward(case, panwascam, Recipient.BKN, "9/PP/2024")
    doc = CaseDocument.objects.get(recommendation=rec)
    text = " ".join(pdf_text(doc).split())
    assert "Jl. Poros Sangatta-Bontang No. 12" in text
    assert "(0549) 21000" in text
    assert f"Sangatta, {rec.letter_date.day} " in text  # place and date line
    assert "Ketua Panwaslu Kecamatan Sangatta Utara" in text
    assert "Siti Rahmawati" in text
    with doc.file.open("rb") as fh:
        assert b"/Subtype /Image" in fh.read()  # the logo is embedded


def test_point_18_the_rakor_report_has_the_same_letterhead_and_signature_block(
    alice: User,
) -> None:
    from netral.cases.models import UnitLetterhead
    from netral.dashboards.selectors import DashboardFilters, dashboard_build
    from tests.conftest import client_for

    alice.full_name = "Ahmad Ketua"
    alice.position = "Ketua Bawaslu Kabupaten Kutai Timur"
    alice.save()
    UnitLetterhead.objects.create(unit="64.08", address="Jl. Soekarno-Hatta", place="Sangatta")
    assert dashboard_build(user=alice, filters=DashboardFilters()).scope_code == "64.08"
    pdf = client_for(alice).get("/dasbor/laporan.pdf")
    assert pdf.status_code == 200
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KUTAI TIMUR" in text.upper()
    assert "Jl. Soekarno-Hatta" in text
    assert "Sangatta," in text
    assert "Ketua Bawaslu Kabupaten Kutai Timur" in text
    assert "Ahmad Ketua" in text
