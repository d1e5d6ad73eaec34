"""Officer and public pages through the HTTP client: status codes, scoping, DB state."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from netral.declarations import services
from netral.declarations.models import Event, PledgeTemplate, Signature
from netral.registry.models import Region
from tests.conftest import client_for
from tests.declarations.helpers import PDF_BYTES, event, official, pilkada, standard
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def kutim_event(alice: Any) -> Event:
    ev = event(pledges=[standard(), standard("deklarasi-pemilu-damai")], actor=alice)
    official(
        region="64.08.04.2001",
        email="kades@example.test",
        nip="197001011990011001",
        name="Kades Sangatta Utara",
    )
    services.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["KEPALA_DESA"],
    )
    return ev


@pytest.fixture
def bogor_event(charlie: Any) -> Event:
    return event(region="32.01", actor=charlie, title="Sosialisasi Bogor")


# --- cross-region: alice gets 404 on charlie's objects ---------------------------------


def test_alice_gets_404_on_every_page_of_a_bogor_event(
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
    doc = services.event_document_upload(
        event=bogor_event, actor=charlie, kind="DOCUMENT", data=PDF_BYTES
    )
    pk = bogor_event.pk
    for url in [
        reverse("declarations:event_detail", args=[pk]),
        reverse("declarations:event_checklist", args=[pk]),
        reverse("declarations:event_qr", args=[pk]),
        reverse("declarations:event_certificates_pdf", args=[pk]),
        reverse("declarations:event_certificates_zip", args=[pk]),
        reverse("declarations:signature_certificate", args=[sig.pk]),
        reverse("declarations:event_document", args=[doc.pk]),
    ]:
        assert alice_client.get(url).status_code == 404, url
    for url in [
        reverse("declarations:event_speaker_add", args=[pk]),
        reverse("declarations:event_institutional", args=[pk]),
        reverse("declarations:signature_revoke", args=[sig.pk]),
        reverse("declarations:event_invitations_send", args=[pk]),
    ]:
        assert (
            alice_client.post(
                url,
                {
                    "reason": "x",
                    "name": "x",
                    "institution": "y",
                    "title": "z",
                    "template": standard().pk,
                },
            ).status_code
            == 404
        ), url
    sig.refresh_from_db()
    assert sig.revoked_at is None
    assert bogor_event.speakers.count() == 0
    assert (
        alice_client.get(reverse("declarations:coverage"), {"region": "32.01"}).status_code == 404
    )


def test_the_event_list_shows_only_the_officers_region(
    alice_client: Client, kutim_event: Event, bogor_event: Event
) -> None:
    page = alice_client.get(reverse("declarations:event_list")).content.decode()
    assert kutim_event.title in page
    assert "Sosialisasi Bogor" not in page


def test_a_read_only_auditor_sees_but_cannot_write(bob: Any, kutim_event: Event) -> None:
    client = client_for(bob)
    assert (
        client.get(reverse("declarations:event_detail", args=[kutim_event.pk])).status_code == 200
    )
    response = client.post(
        reverse("declarations:event_institutional", args=[kutim_event.pk]),
        {"template": standard().pk, "name": "X", "title": "Y", "institution": "Z"},
    )
    assert response.status_code == 404
    assert Signature.objects.count() == 0
    assert client.get(reverse("declarations:event_create")).status_code == 404


def test_anonymous_officer_pages_redirect_to_login(client: Client, kutim_event: Event) -> None:
    response = client.get(reverse("declarations:event_detail", args=[kutim_event.pk]))
    assert response.status_code == 302


# --- recording an event and signing through the UI --------------------------------------


def speaker_rows(rows: list[tuple[str, str, str, str]]) -> dict[str, str]:
    data = {
        "speakers-TOTAL_FORMS": str(max(len(rows), 1)),
        "speakers-INITIAL_FORMS": "0",
        "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "30",
    }
    for i, (name, position, institution, topic) in enumerate(rows):
        data |= {
            f"speakers-{i}-name": name,
            f"speakers-{i}-position": position,
            f"speakers-{i}-institution": institution,
            f"speakers-{i}-topic": topic,
        }
    return data


def test_an_officer_records_an_event_through_the_form(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("declarations:event_create"),
        {
            "title": "Apel Bersama Netralitas",
            "kinds": ["APEL", "DEKLARASI"],
            "date": "2024-11-20",
            "region": "64.08",
            "venue": "Halaman Kantor Bupati",
            "organiser": "Pemkab Kutai Timur",
            "election_event": pilkada().pk,
            "pledges": [standard("deklarasi-pemilu-damai").pk],
            "theme": "Netralitas aparatur dalam Pilkada",
            "opened_by": "Penjabat Bupati Kutai Timur",
            "attendance_total": "612",
            "villages_represented": "139",
            "start_time": "08:00",
            **speaker_rows(
                [
                    ("Kapolres Kutai Timur", "Kapolres", "Polres Kutai Timur", "Pengamanan"),
                    ("", "", "", ""),
                    ("Ketua KPU", "Ketua", "KPU Kabupaten Kutai Timur", "Tahapan"),
                ]
            ),
        },
    )
    assert response.status_code == 302
    ev = Event.objects.get(title="Apel Bersama Netralitas")
    assert ev.kinds == ["DEKLARASI", "APEL"]
    # issue 13 §6: speakers are rows (an empty row is ignored) and the facts are kept
    assert [(s.name, s.position, s.institution) for s in ev.speakers.all()] == [
        ("Kapolres Kutai Timur", "Kapolres", "Polres Kutai Timur"),
        ("Ketua KPU", "Ketua", "KPU Kabupaten Kutai Timur"),
    ]
    assert (ev.attendance_total, ev.villages_represented) == (612, 139)
    assert (ev.theme, ev.opened_by) == (
        "Netralitas aparatur dalam Pilkada",
        "Penjabat Bupati Kutai Timur",
    )
    assert ev.start_time == dt.time(8, 0)
    page = alice_client.get(reverse("declarations:event_detail", args=[ev.pk])).content.decode()
    assert "Penjabat Bupati Kutai Timur" in page
    assert "612" in page
    assert "Kapolres" in page


def test_an_event_outside_the_jurisdiction_is_a_form_error(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("declarations:event_create"),
        {
            "title": "X",
            "kinds": ["APEL"],
            "date": "2024-11-20",
            "region": "32.01",
            "organiser": "Y",
            **speaker_rows([]),
        },
    )
    assert response.status_code == 200
    assert "yurisdiksi" in response.content.decode()
    assert not Event.objects.exists()


def test_a_speaker_row_without_institution_is_refused(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("declarations:event_create"),
        {
            "title": "X",
            "kinds": ["APEL"],
            "date": "2024-11-20",
            "region": "64.08",
            "organiser": "Y",
            **speaker_rows([("Budi", "", "Polres", ""), ("Tanpa instansi", "", "", "")]),
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Event.objects.exists()


def test_the_checklist_checkbox_records_a_signature(
    alice_client: Client, kutim_event: Event
) -> None:
    person = kutim_event.participants.get().official
    page = alice_client.get(reverse("declarations:event_checklist", args=[kutim_event.pk]))
    assert f'data-testid="sign-{person.pk}-{standard().pk}"' in page.content.decode()
    url = reverse("declarations:checklist_sign", args=[kutim_event.pk, person.pk, standard().pk])
    response = alice_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'data-testid="signed-{person.pk}-{standard().pk}"' in response.content.decode()
    again = alice_client.post(url, HTTP_HX_REQUEST="true")
    assert again.status_code == 400
    assert "sudah menandatangani" in again.content.decode()
    assert Signature.objects.count() == 1


def test_the_participant_rule_form_fills_the_checklist(alice_client: Client, alice: Any) -> None:
    ev = event(actor=alice)
    official(region="64.08.01.2001")
    response = alice_client.post(
        reverse("declarations:event_checklist", args=[ev.pk]),
        {"region": "64.08", "subject_types": ["KEPALA_DESA"]},
    )
    assert response.status_code == 302
    assert ev.participants.count() == 1


def test_uploading_a_non_pdf_sheet_is_refused_with_a_message(
    alice_client: Client, kutim_event: Event
) -> None:
    upload = SimpleUploadedFile("lembar.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = alice_client.post(
        reverse("declarations:event_document_upload", args=[kutim_event.pk]),
        {"kind": "SIGNED_SHEET", "file": upload},
        follow=True,
    )
    assert "bukan" in response.content.decode()
    assert kutim_event.documents.count() == 0


def test_revoking_through_the_page_keeps_the_row(
    alice_client: Client, alice: Any, kutim_event: Event
) -> None:
    sig = services.signature_institutional(
        event=kutim_event,
        template=standard(),
        actor=alice,
        name="Bupati",
        title="Bupati",
        institution="Pemkab",
    )
    alice_client.post(
        reverse("declarations:signature_revoke", args=[sig.pk]), {"reason": "Salah naskah"}
    )
    sig.refresh_from_db()
    assert sig.revocation_reason == "Salah naskah"
    verify = alice_client.get(reverse("declarations:verify", args=[sig.code])).content.decode()
    assert "REVOKED" in verify


# --- certificates ---------------------------------------------------------------------


def test_certificates_download_singly_merged_and_zipped(
    alice_client: Client, alice: Any, kutim_event: Event
) -> None:
    sigs = [
        services.signature_institutional(
            event=kutim_event,
            template=tpl,
            actor=alice,
            name=f"Pejabat {i}",
            title="Kepala",
            institution="Instansi",
        )
        for i, tpl in enumerate([standard(), standard("deklarasi-pemilu-damai")])
    ]
    single = alice_client.get(reverse("declarations:signature_certificate", args=[sigs[0].pk]))
    assert single["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(single.content)).pages[0].extract_text()
    assert "Pejabat 0" in text
    assert f"/verifikasi/{sigs[0].code}/" in text
    merged = _certificates_batch(alice_client, "declarations:event_certificates_pdf", kutim_event)
    reader = PdfReader(io.BytesIO(merged))
    assert len(reader.pages) == 2
    assert "Deklarasi Pemilihan Damai" in reader.pages[1].extract_text()
    zipped = _certificates_batch(alice_client, "declarations:event_certificates_zip", kutim_event)
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        assert len(archive.namelist()) == 2


def _certificates_batch(client: Client, name: str, event: Event) -> bytes:
    """Start the batch, let the worker make it, download it (declarations/jobs.py)."""
    from netral.jobs.worker import worker_run

    url = reverse(name, args=[event.pk])
    page = client.get(url)
    assert 'data-testid="certificates-start"' in page.content.decode()
    assert client.post(url).status_code == 302
    assert 'data-testid="certificates-progress"' in client.get(url).content.decode()
    worker_run(batch=True)
    assert (
        'data-testid="certificates-download"'
        in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    )
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- public pages ---------------------------------------------------------------------


def test_the_verification_page_shows_valid_without_identifiers(
    client: Client, alice: Any, kutim_event: Event
) -> None:
    person = kutim_event.participants.get().official
    sig = services.signature_record(
        event=kutim_event, template=standard(), official=person, actor=alice
    )
    page = client.get(reverse("declarations:verify", args=[sig.code])).content.decode()
    assert "VALID" in page
    assert "Kades Sangatta Utara" in page
    assert "197001011990011001" not in page


def test_the_verification_page_says_invalid_for_a_tampered_record(
    client: Client, alice: Any, kutim_event: Event
) -> None:
    sig = services.signature_institutional(
        event=kutim_event,
        template=standard(),
        actor=alice,
        name="Bupati",
        title="Bupati",
        institution="Pemkab",
    )
    Signature.objects.filter(pk=sig.pk).update(
        pledge_snapshot={**sig.pledge_snapshot, "points": ["Boleh berkampanye."]}
    )
    page = client.get(reverse("declarations:verify", args=[sig.code])).content.decode()
    assert "INVALID" in page
    assert "Boleh berkampanye." not in page


def test_an_unknown_verification_code_is_404(client: Client) -> None:
    response = client.get(
        reverse("declarations:verify", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404


def test_online_signing_through_the_qr_page(
    client: Client, kutim_event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    # given the event QR page
    qr_url = reverse("declarations:sign_qr", args=[kutim_event.code])
    # when the official identifies by NIP
    response = client.post(qr_url, {"identifier": "197001011990011001"})
    assert response.status_code == 302
    sign_url = response["Location"]
    # and asks for a code
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(sign_url, {"action": "send"}).content.decode()
    assert "k***@example.test" in page
    run_jobs()  # the code leaves from the worker
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    # a wrong code first
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = client.post(
        sign_url, {"action": "sign", "code": wrong, "agree": "on", "templates": [standard().pk]}
    ).content.decode()
    assert "Sisa percobaan: 4" in page
    # then the right one
    page = client.post(
        sign_url, {"action": "sign", "code": code, "agree": "on", "templates": [standard().pk]}
    ).content.decode()
    assert 'data-testid="signed"' in page
    assert Signature.objects.get().method == "ONLINE_OTP"
    # the code cannot be reused
    page = client.post(
        sign_url,
        {
            "action": "sign",
            "code": code,
            "agree": "on",
            "templates": [standard("deklarasi-pemilu-damai").pk],
        },
    ).content.decode()
    assert "sudah digunakan" in page
    assert Signature.objects.count() == 1


def test_an_unknown_signing_link_is_404_with_a_message(client: Client) -> None:
    response = client.get(reverse("declarations:sign", args=["no-such-token"]))
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()


def test_the_qr_page_rejects_an_unknown_identifier(client: Client, kutim_event: Event) -> None:
    response = client.post(
        reverse("declarations:sign_qr", args=[kutim_event.code]), {"identifier": "123"}
    )
    assert response.status_code == 200
    assert "tidak ditemukan" in response.content.decode()


# --- texts and coverage -----------------------------------------------------------------


def test_copying_a_standard_text_then_editing_it(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("declarations:template_detail", args=[standard().pk]), {"region": "64.08"}
    )
    copy = PledgeTemplate.objects.get(region_id="64.08")
    assert response["Location"] == reverse("declarations:template_edit", args=[copy.pk])
    alice_client.post(
        reverse("declarations:template_edit", args=[copy.pk]),
        {"kind": copy.kind, "title": "Ikrar Kutim", "points": "Satu\nDua\n"},
    )
    copy.refresh_from_db()
    assert copy.points == ["Satu", "Dua"]


def test_charlie_cannot_edit_alices_text(charlie_client: Client, alice: Any) -> None:
    copy = services.pledge_template_copy(
        template=standard(), region=Region.objects.get(code="64.08"), actor=alice
    )
    assert (
        charlie_client.get(reverse("declarations:template_detail", args=[copy.pk])).status_code
        == 404
    )
    assert (
        charlie_client.post(
            reverse("declarations:template_edit", args=[copy.pk]),
            {"kind": copy.kind, "title": "Hacked", "points": "x"},
        ).status_code
        == 404
    )


def test_coverage_page_and_exports(alice_client: Client, alice: Any, kutim_event: Event) -> None:
    person = kutim_event.participants.get().official
    services.signature_record(event=kutim_event, template=standard(), official=person, actor=alice)
    page = alice_client.get(
        reverse("declarations:coverage"), {"region": "64.08", "election_event": pilkada().pk}
    ).content.decode()
    assert "1 dari 139 desa" in page
    exported = alice_client.get(
        reverse("declarations:coverage_export", args=["csv"]),
        {"region": "64.08", "election_event": pilkada().pk},
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][0] == "bagian"
    assert rows[[r[1] for r in rows].index("64.08.04")][:2] == ["cakupan_desa", "64.08.04"]
    xlsx = alice_client.get(
        reverse("declarations:coverage_export", args=["xlsx"]), {"region": "64.08"}
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    first = next(sheet.iter_rows(values_only=True))
    assert first[:3] == ("bagian", "kode_wilayah", "nama_wilayah")


def test_an_officer_downloads_a_document_of_her_event(
    alice_client: Client, alice: Any, kutim_event: Event
) -> None:
    doc = services.event_document_upload(
        event=kutim_event, actor=alice, kind="DOCUMENT", data=PDF_BYTES
    )
    response = alice_client.get(reverse("declarations:event_document", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_coverage_export_refuses_an_unknown_format(alice_client: Client) -> None:
    url = reverse("declarations:coverage_export", args=["pdf"])
    assert alice_client.get(url, {"region": "64.08"}).status_code == 404


def test_the_official_profile_partial_lists_pledges(alice: Any, kutim_event: Event) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from tests.factories import UserFactory

    person = kutim_event.participants.get().official
    services.signature_record(event=kutim_event, template=standard(), official=person, actor=alice)
    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string(
        "declarations/_official_pledges.html", {"official": person, "request": request}
    )
    assert "Ikrar Netralitas Aparatur Sipil Negara" in html
    assert kutim_event.title in html
    request.user = UserFactory(username="bogor", role="BAWASLU_KABKOTA", region="32.01")
    html = render_to_string(
        "declarations/_official_pledges.html", {"official": person, "request": request}
    )
    assert kutim_event.title not in html


def test_texts_can_be_chosen_after_the_event_is_recorded(
    alice_client: Client, kutim_event: Event, charlie_client: Client
) -> None:
    url = reverse("declarations:event_pledges", args=[kutim_event.pk])
    pilkada_text = standard("ikrar-netralitas-pilkada")
    assert charlie_client.post(url, {"pledges": [pilkada_text.pk]}).status_code == 404
    alice_client.post(url, {"pledges": [standard().pk, pilkada_text.pk]})
    assert set(kutim_event.pledges.values_list("pk", flat=True)) == {standard().pk, pilkada_text.pk}


def test_the_public_certificate_is_served_only_for_an_intact_record(
    client: Client, alice: Any, kutim_event: Event
) -> None:
    sig = services.signature_institutional(
        event=kutim_event,
        template=standard(),
        actor=alice,
        name="Bupati",
        title="Bupati",
        institution="Pemkab",
    )
    url = reverse("declarations:verify_certificate", args=[sig.code])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "Bupati" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    Signature.objects.filter(pk=sig.pk).update(signer_name="Palsu")
    assert client.get(url).status_code == 404
