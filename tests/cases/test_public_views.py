"""The public report form, receipt, verification and status page (through the HTTP client)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import re
import uuid
from typing import Any

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from netral.cases.models import Case, Evidence, Status
from netral.cases.services import case_kajian_awal_record, case_receive
from netral.cases.views.public import RECEIPT_COOKIE, _receipt_cipher
from tests.cases.conftest import DESA, PDF, PNG, file_report, png
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db
URL = "/lapor/"


def form_data(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "submission_key": str(uuid.uuid4()),
        "pelapor-kind": "WNI_HAK_PILIH",
        "pelapor-name": "Rina",
        "pelapor-nationality": "Indonesia",
        "pelapor-address": "Jl. Mawar 1",
        "pelapor-phone": "0812",
        "pelapor-email": "r@example.test",
        "terlapor-TOTAL_FORMS": "3",
        "terlapor-INITIAL_FORMS": "0",
        "terlapor-0-name": "Budi Santoso",
        "terlapor-0-position": "Kepala Desa",
        "saksi-TOTAL_FORMS": "2",
        "saksi-INITIAL_FORMS": "0",
        "saksi-0-name": "Ani",
        "regime": "PILKADA",
        "title": "Kades ikut kampanye",
        "incident_place": "Balai desa",
        "wilayah_1": "64",
        "wilayah_2": "64.08",
        "wilayah_3": "64.08.04",
        "wilayah_4": DESA,
        "event_date": (today - dt.timedelta(days=2)).isoformat(),
        "known_date": (today - dt.timedelta(days=1)).isoformat(),
        "description": "Kepala desa berpidato mendukung paslon.",
        "statement": "on",
    }
    data.update(overrides)
    return data


def test_the_form_renders_every_b1_section(client: Client) -> None:
    body = client.get(URL).content.decode()
    for text in (
        "Identitas pelapor",
        "Terlapor",
        "Peristiwa yang dilaporkan",
        "Saksi",
        "Bukti",
        "Tanggal Anda mengetahui kejadian",
        "Uraian kejadian",
        "Rahasiakan identitas",
    ):
        assert text in body


def test_a_citizen_files_a_report_with_evidence_and_gets_receipt_and_pin(client: Client) -> None:
    response = client.post(URL, form_data(files=[png("../../etc/passwd.png")]))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == Status.DRAFT_PUBLIK
    assert case.reported_persons.get().name == "Budi Santoso"
    evidence = case.evidence.get()
    assert evidence.size == len(PNG)
    assert evidence.content_type == "image/png"
    assert ".." not in evidence.file.name
    assert "passwd" not in evidence.file.name
    assert evidence.original_name == "passwd.png"
    import hashlib

    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    receipt = client.get(reverse("cases:public_receipt")).content.decode()
    assert case.tracking_number in receipt
    cookie = client.cookies[RECEIPT_COOKIE]
    assert cookie["httponly"]
    assert cookie["path"] == "/lapor/"
    code, tracking_number, pin = (
        _receipt_cipher().decrypt(cookie.value.encode()).decode().split("|")
    )
    assert (code, tracking_number) == (str(case.code), case.tracking_number)
    assert pin in receipt
    assert pin not in case.pin_hash
    # the cookie holds neither the PIN nor the tracking number readably (issue 14, point 9)
    readable = cookie.value + base64.urlsafe_b64decode(cookie.value + "==").decode("latin-1")
    assert pin not in readable
    assert case.tracking_number not in readable
    # a tampered cookie shows nothing
    client.cookies[RECEIPT_COOKIE] = cookie.value[:-4] + "AAAA"
    assert client.get(reverse("cases:public_receipt")).status_code == 302


def test_a_double_submission_creates_one_report(client: Client) -> None:
    data = form_data()
    client.post(URL, data)
    client.post(URL, data)
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "ctype"),
    [("foto.jpg", PDF, "image/jpeg"), ("skrip.png", b"#!/bin/sh\nrm -rf /", "image/png")],
)
def test_a_file_whose_content_does_not_match_is_refused(
    client: Client, name: str, content: bytes, ctype: str
) -> None:
    response = client.post(URL, form_data(files=[SimpleUploadedFile(name, content, ctype)]))
    assert response.status_code == 400
    assert "tidak sesuai jenisnya" in response.content.decode()
    assert Case.objects.count() == 0
    assert Evidence.objects.count() == 0


@override_settings(NETRAL_MAX_UPLOAD_MB=1)
def test_an_oversized_file_is_refused(client: Client) -> None:
    big = SimpleUploadedFile("besar.png", PNG + b"\0" * (1024 * 1024 + 1), "image/png")
    response = client.post(URL, form_data(files=[big]))
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()
    assert Case.objects.count() == 0


def test_missing_region_names_the_field(client: Client) -> None:
    response = client.post(URL, form_data(wilayah_1="", wilayah_2="", wilayah_3="", wilayah_4=""))
    assert response.status_code == 400
    assert "wilayah tempat kejadian" in response.content.decode()


@override_settings(
    NETRAL_RATE_REPORT=(2, 3600),
    NETRAL_RATE_REPORT_HARD=(4, 3600),
    NETRAL_ALTCHA_COST=10,
    NETRAL_ALTCHA_MAX_NUMBER=50,
)
def test_a_flood_from_one_client_needs_the_challenge_then_is_refused(client: Client) -> None:
    import altcha
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        assert client.post(URL, form_data()).status_code == 302
    page = client.get(URL).content.decode()
    assert "<altcha-widget" in page
    # without the proof of work: refused, nothing stored
    assert client.post(URL, form_data()).status_code == 400
    assert Case.objects.count() == 2
    # with a solution of the server's signed challenge (what the widget computes): accepted
    challenge = altcha.Challenge.from_dict(json.loads(html.unescape(_challenge_of(page))))
    solution = altcha.solve_challenge(challenge)
    assert solution is not None
    payload = altcha.Payload(challenge, solution).to_base64()
    ok = client.post(URL, form_data(altcha=payload))
    assert ok.status_code == 302
    # past the hard cap: 429
    assert client.post(URL, form_data()).status_code == 429
    assert Case.objects.count() == 3
    cache.clear()


def _challenge_of(page: str) -> str:
    return re.search(r'<altcha-widget[^>]* challenge="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_registry_search_shows_only_public_safe_fields(client: Client) -> None:
    OfficialFactory(
        name="Budi Santoso",
        nip="198001012005011001",
        nik="6408040101800001",
        position="Kepala Desa",
    )
    body = client.get(reverse("cases:public_official_search"), {"q": "budi"}).content.decode()
    assert "Budi Santoso" in body
    assert "Kepala Desa" in body
    assert "198001012005011001" not in body
    assert "6408040101800001" not in body


def test_region_options_cascade(client: Client) -> None:
    body = client.get(reverse("cases:public_regions"), {"level": 4, "wilayah_3": "64.08.04"})
    assert DESA in body.content.decode()


def test_receipt_pdf_is_sealed_and_verifiable(client: Client) -> None:
    case = file_report().case
    response = client.get(reverse("cases:public_receipt_pdf", args=[case.code]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert case.tracking_number in text
    assert case.receipt_seal["digest"] in text.replace("\n", "")
    page = client.get(reverse("cases:public_verify", args=[case.code])).content.decode()
    assert "ASLI" in page
    # tampering with the stored record breaks the seal
    Case.objects.filter(pk=case.pk).update(title="Judul diubah")
    page = client.get(reverse("cases:public_verify", args=[case.code])).content.decode()
    assert "TIDAK SAH" in page


def _login(client: Client, case: Case, pin: str) -> Any:
    return client.post(
        reverse("cases:public_status"),
        {"action": "login", "tracking_number": case.tracking_number, "pin": pin},
    )


def test_status_page_with_pin_shows_progress_and_takes_the_completion(
    client: Client, panwascam: Any
) -> None:
    filed = file_report()
    case = case_receive(case=filed.case, actor=panwascam)
    case_kajian_awal_record(
        case=case,
        actor=panwascam,
        formal={"IDENTITAS_PELAPOR": True},
        material={},
        result="LENGKAPI",
        message="Mohon kirim foto kegiatan.",
    )
    assert _login(client, case, filed.pin).status_code == 302
    page = client.get(reverse("cases:public_status")).content.decode()
    assert "Menunggu kelengkapan" in page
    assert "Mohon kirim foto kegiatan." in page
    response = client.post(
        reverse("cases:public_status"),
        {"action": "answer", "answer": "Terlampir", "files": [png()]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.KAJIAN_AWAL
    assert case.evidence.count() == 2


@override_settings(NETRAL_RATE_PIN=(3, 900))
def test_wrong_pins_are_rate_limited(client: Client) -> None:
    from django.core.cache import cache

    cache.clear()
    filed = file_report()
    for _ in range(3):
        assert _login(client, filed.case, "00000000").status_code == 400
    # even the right PIN is refused while the limit holds
    assert _login(client, filed.case, filed.pin).status_code == 429
    cache.clear()
    assert _login(client, filed.case, filed.pin).status_code == 302


def test_a_status_session_cannot_see_another_report(client: Client) -> None:
    mine, other = file_report(), file_report(title="Laporan lain sekali")
    _login(client, mine.case, mine.pin)
    page = client.get(reverse("cases:public_status")).content.decode()
    assert mine.case.tracking_number in page
    assert other.case.tracking_number not in page


def test_the_form_is_translated_to_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    body = client.get(URL).content.decode()
    assert "Report a neutrality violation" in body
    assert "Keep my identity confidential" in body
