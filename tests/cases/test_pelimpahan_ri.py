"""Pelimpahan up to Bawaslu RI (the national unit has no region, Case.handling_region NULL)
and the surat pelimpahan listed in both case files (T9, DOMAIN §5.5 LIMPAH, §8.2;
Perbawaslu 7/2022 Ps. 20)."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from netral.accounts.models import Role, User
from netral.cases.documents import unit_name
from netral.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    DocumentKind,
    NotificationLog,
    Status,
)
from netral.cases.selectors import FORWARD_TO_NATIONAL, forward_destinations
from netral.cases.services import case_forward, case_kajian_awal_record, case_receive
from netral.core.errors import ApplicationError
from netral.registry.models import Region
from tests.cases.conftest import client_for_user, file_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KALTIM = "64"
NOTE = "Terlapor pejabat pusat: kewenangan Bawaslu RI."
RI_NAME = "Badan Pengawas Pemilihan Umum Republik Indonesia"


@pytest.fixture
def kaltim(db: Any) -> User:
    """A Bawaslu Provinsi Kalimantan Timur officer: with no Kab/Kota or Kecamatan unit active
    below it, a report from Kutai Timur is handled by the province."""
    return UserFactory(username="kaltim", role=Role.BAWASLU_PROVINSI, region=KALTIM)


@pytest.fixture
def jabar(db: Any) -> User:
    """An officer of another province (Jawa Barat)."""
    return UserFactory(username="jabar", role=Role.BAWASLU_PROVINSI, region="32")


def _provincial_case(officer: User) -> Case:
    case = case_receive(case=file_report().case, actor=officer)
    assert case.handling_region_id == KALTIM
    return case


def _pdf_text(doc: CaseDocument) -> tuple[bytes, str]:
    with doc.file.open("rb") as fh:
        data = fh.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return data, text


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_bawaslu_ri_is_offered_first_only_when_its_unit_is_active(
    kaltim: User, jabar: User
) -> None:
    assert [d.value for d in forward_destinations(exclude=KALTIM)] == ["32"]
    UserFactory(username="dora", role=Role.BAWASLU_RI, region=None)
    choices = forward_destinations(exclude=KALTIM)
    assert [d.value for d in choices] == [FORWARD_TO_NATIONAL, "32"]
    assert choices[0].label == "Bawaslu Republik Indonesia"
    # A national case does not offer its own unit.
    assert [d.value for d in forward_destinations(exclude=None)] == ["32", KALTIM]


def test_a_provincial_officer_forwards_to_bawaslu_ri_and_the_national_officer_handles_it(
    kaltim: User, jabar: User, dora: User
) -> None:
    # given
    case = _provincial_case(kaltim)
    kaltim_c, dora_c, jabar_c = (client_for_user(u) for u in (kaltim, dora, jabar))
    detail = reverse("cases:detail", args=[case.pk])
    page = kaltim_c.get(detail).content.decode()
    options = re.findall(r'<option value="([^"]*)"', page.split('id="forward-destination"')[1])
    assert options[:3] == ["", FORWARD_TO_NATIONAL, "32"]  # RI first
    assert "Bawaslu Republik Indonesia" in page

    # when
    response = kaltim_c.post(
        reverse("cases:action", args=[case.pk, "forward"]),
        {"destination": FORWARD_TO_NATIONAL, "note": NOTE},
    )

    # then: the source is closed, a national case is open
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.DILIMPAHKAN
    assert case.forwarded_to_region_id is None
    target = Case.objects.get(links_out__to_case=case)
    assert target.handling_region_id is None
    assert target.status == Status.DITERIMA
    assert target.due_at is not None
    t9 = case.events.get(type=CaseEvent.Type.TRANSITION, to_status=Status.DILIMPAHKAN)
    assert t9.parameters["to_region"] is None
    assert t9.parameters["new_case"] == target.pk
    assert [log.recipient_user_id for log in NotificationLog.objects.filter(case=target)] == [
        dora.pk
    ]
    assert 'data-testid="forwarded-to"' in kaltim_c.get(detail).content.decode()
    assert "Bawaslu RI" in kaltim_c.get(detail).content.decode()

    # the national officer sees it in the queue and the list, and acts on it
    target_url = reverse("cases:detail", args=[target.pk])
    assert f'href="{target_url}"' in dora_c.get(reverse("cases:queue")).content.decode()
    assert f'href="{target_url}"' in dora_c.get(reverse("cases:list")).content.decode()
    target_page = dora_c.get(target_url).content.decode()
    assert 'data-testid="forwarded-from"' in target_page
    assert 'data-testid="forward"' in target_page  # may forward it on
    moved = dora_c.post(
        reverse("cases:action", args=[target.pk, "transition"]), {"to": "KAJIAN_AWAL"}
    )
    assert moved.status_code == 302
    target.refresh_from_db()
    assert target.status == Status.KAJIAN_AWAL

    # an officer of another province learns nothing about it
    assert jabar_c.get(target_url).status_code == 404
    assert jabar_c.get(detail).status_code == 404
    assert (
        jabar_c.post(
            reverse("cases:action", args=[target.pk, "transition"]), {"to": "DIREGISTRASI"}
        ).status_code
        == 404
    )
    # the sending province still reads it (the incident is in its region) but cannot act
    assert kaltim_c.get(target_url).status_code == 200
    assert (
        kaltim_c.post(
            reverse("cases:action", args=[target.pk, "transition"]), {"to": "DIREGISTRASI"}
        ).status_code
        == 404
    )


def test_bawaslu_ri_is_refused_without_a_national_officer_and_for_a_national_case(
    kaltim: User,
) -> None:
    case = _provincial_case(kaltim)
    with pytest.raises(ApplicationError, match="Republik Indonesia"):
        case_forward(case=case, actor=kaltim, destination=None, note=NOTE)
    case.refresh_from_db()
    assert case.status == Status.KAJIAN_AWAL
    assert Case.objects.count() == 1
    assert not CaseDocument.objects.filter(kind=DocumentKind.PELIMPAHAN_LETTER).exists()

    dora = UserFactory(username="dora", role=Role.BAWASLU_RI, region=None)
    target = case_forward(case=case, actor=kaltim, destination=None, note=NOTE).target
    with pytest.raises(ApplicationError, match="sudah ditangani"):
        case_forward(case=target, actor=dora, destination=None, note=NOTE)
    # Bawaslu RI hands it down to a province like any other unit.
    down = case_forward(
        case=target, actor=dora, destination=Region.objects.get(pk=KALTIM), note=NOTE
    ).target
    assert down.handling_region_id == KALTIM


def test_a_kajian_awal_limpah_without_a_destination_is_still_refused(
    kaltim: User, dora: User
) -> None:
    """To case_forward None means Bawaslu RI; a blank target of the kajian awal form must not
    silently become one."""
    case = _provincial_case(kaltim)
    with pytest.raises(ApplicationError, match="Pilih unit tujuan"):
        case_kajian_awal_record(
            case=case, actor=kaltim, formal={}, material={}, result="LIMPAH", note=NOTE
        )
    case.refresh_from_db()
    assert case.status == Status.KAJIAN_AWAL
    assert Case.objects.count() == 1


def test_the_surat_pelimpahan_is_a_real_pdf_in_both_case_files(
    kaltim: User, jabar: User, dora: User
) -> None:
    # given
    case = _provincial_case(kaltim)
    evidence = list(case.evidence.all())
    assert evidence
    assert evidence[0].sha256

    # when
    done = case_forward(
        case=case, actor=kaltim, destination=None, note=NOTE, letter_number="099/PP.01/K.KI/11"
    )

    # then: one rendering, listed in both files as the same stored file
    sent = done.source.documents.get(kind=DocumentKind.PELIMPAHAN_LETTER)
    received = done.target.documents.get(kind=DocumentKind.PELIMPAHAN_LETTER)
    assert (received.file.name, received.sha256, received.number) == (
        sent.file.name,
        sent.sha256,
        sent.number,
    )
    assert sent.number == "099/PP.01/K.KI/11"
    data, text = _pdf_text(sent)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == sent.sha256
    assert case.title in " ".join(text.split())
    flat = _flat(text)
    assert _flat(RI_NAME) in flat  # the receiving unit
    assert _flat(unit_name(case)) in flat  # the sending unit's letterhead
    assert "Kalimantan Timur".upper().replace(" ", "") in flat.upper()
    assert _flat(NOTE) in flat
    assert sent.number in flat
    for e in evidence:
        assert e.sha256 in flat
    assert "RinaPelapor" in flat  # not confidential in this report
    for c, doc in ((done.source, sent), (done.target, received)):
        assert c.events.filter(
            type=CaseEvent.Type.DOCUMENT_GENERATED, parameters__document=doc.pk
        ).exists()

    # both units list and download it through their own case; others get 404
    for user, c, doc in ((kaltim, done.source, sent), (dora, done.target, received)):
        client = client_for_user(user)
        url = reverse("cases:document", args=[c.pk, doc.pk])
        assert f'href="{url}"' in client.get(reverse("cases:detail", args=[c.pk])).content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    jabar_c = client_for_user(jabar)
    for c, doc in ((done.source, sent), (done.target, received)):
        assert jabar_c.get(reverse("cases:document", args=[c.pk, doc.pk])).status_code == 404
    # a document id of the other case is not reachable through this one
    assert (
        client_for_user(dora)
        .get(reverse("cases:document", args=[done.target.pk, sent.pk]))
        .status_code
        == 404
    )


def test_the_letter_names_a_regional_receiving_unit_and_hides_a_confidential_reporter(
    panwascam: User, alice: User
) -> None:
    from tests.cases.conftest import reporter_data

    filed = file_report(reporter=reporter_data(confidential=True))
    case = case_receive(case=filed.case, actor=panwascam)
    done = case_forward(
        case=case, actor=panwascam, destination=Region.objects.get(pk="64.08"), note=NOTE
    )
    sent = done.source.documents.get(kind=DocumentKind.PELIMPAHAN_LETTER)
    assert sent.number == f"Limpah/{done.source.reference}"
    assert done.target.documents.filter(kind=DocumentKind.PELIMPAHAN_LETTER).count() == 1
    _data, text = _pdf_text(sent)
    flat = _flat(text)
    assert _flat("Badan Pengawas Pemilihan Umum Kabupaten Kutai Timur") in flat
    # the letterhead, with the kecamatan unit's Pilkada name (UU 10/2016; issue 12 point 9)
    assert _flat("Panitia Pengawas Pemilihan Kecamatan") in flat
    assert "Rina" not in flat
    assert _flat("Identitas dirahasiakan") in flat
    response = client_for_user(alice).get(
        reverse(
            "cases:document",
            args=[done.target.pk, done.target.documents.get(kind="PELIMPAHAN_LETTER").pk],
        )
    )
    assert response.status_code == 200


def test_the_reporter_is_told_the_report_went_to_bawaslu_ri(kaltim: User, dora: User) -> None:
    from django.test import Client

    filed = file_report()
    case = case_receive(case=filed.case, actor=kaltim)
    case_forward(case=case, actor=kaltim, destination=None, note=NOTE)
    client = Client()
    login = client.post(
        reverse("cases:public_status"),
        {"action": "login", "tracking_number": case.tracking_number, "pin": filed.pin},
    )
    assert login.status_code == 302
    page = client.get(reverse("cases:public_status")).content.decode()
    assert "dilimpahkan ke Bawaslu Republik Indonesia" in page
    assert "()" not in page
    assert NOTE in page


def test_the_api_forwards_to_bawaslu_ri_with_a_letter_number(
    kaltim: User, dora: User, jabar: User
) -> None:
    case = _provincial_case(kaltim)
    url = f"/api/v1/cases/{case.pk}/forward"
    body = {"destination": "ri", "note": NOTE, "letter_number": "123/PL/KT/2024"}
    # when: the destination picker's value, in any case
    response = client_for_user(kaltim).post(url, body, content_type="application/json")
    # then
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["source"]["status"] == "DILIMPAHKAN"
    assert data["target"]["handling_region"] is None
    assert client_for_user(dora).get(f"/api/v1/cases/{data['target']['id']}").status_code == 200
    assert client_for_user(jabar).get(f"/api/v1/cases/{data['target']['id']}").status_code == 404
    letter = CaseDocument.objects.get(case=case, kind=DocumentKind.PELIMPAHAN_LETTER)
    assert letter.number == "123/PL/KT/2024"
