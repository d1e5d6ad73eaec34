"""Done means (issue 5): a citizen files a report with evidence in a real browser, the right
Panwascam officer finds it in their queue and takes it through kajian awal, registration,
clarification, assessment and forwarding to the regent, records the regent's sanction, and
the citizen sees each step on the status page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from netral.accounts.models import Role
from netral.cases.models import Case, FollowUp, Status
from tests.cases.conftest import DESA, PNG, seed_deadline_rules
from tests.conftest import client_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _file_report_in_browser(page: Any, url: str) -> tuple[str, str]:
    today = timezone.localdate()
    page.goto(f"{url}/lapor/")
    page.get_by_label("Nama lengkap").fill("Rina Warga")
    page.get_by_label("Alamat").first.fill("Jl. Mawar 1, Sangatta")
    page.get_by_label("Nomor telepon/HP").first.fill("081234567890")
    page.get_by_label("E-mail (tidak wajib)").fill("rina@example.test")
    # the reported person, picked from the registry (htmx search)
    page.locator("#id_terlapor-0-name").press_sequentially("Budi San", delay=20)
    pick = page.locator(".pick-official").first
    pick.wait_for()
    pick.click()
    assert page.locator("#id_terlapor-0-official_id").input_value() != ""
    page.get_by_label("Pilkada (UU 1/2015 jo. UU 10/2016)").check()
    page.get_by_label("Peristiwa yang dilaporkan").fill("Kepala desa ikut kampanye paslon")
    # the place: the village picked by name (region picker)
    place = page.get_by_role("combobox", name="Wilayah kejadian")
    place.press_sequentially("sangatta utara", delay=20)
    village = page.locator(f".region-picker-list [role=option][data-code='{DESA}']")
    village.wait_for()
    village.click()
    page.get_by_label("Tempat kejadian").fill("Lapangan desa")
    page.get_by_label("Tanggal kejadian").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Tanggal Anda mengetahui kejadian").fill(
        (today - dt.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Uraian kejadian").fill("Kepala desa berpidato mengajak memilih paslon 2.")
    page.locator("input[name=files]").set_input_files(
        files=[{"name": "foto.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_label("Saya menyatakan laporan ini benar").check()
    page.get_by_test_id("submit-report").click()
    tracking = page.get_by_test_id("tracking-number").inner_text()
    pin = page.get_by_test_id("pin").inner_text()
    return tracking, pin


def test_citizen_to_sanction_end_to_end(live_server: Any, page: Any) -> None:
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import OfficialFactory, UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    seed_deadline_rules()
    officer = UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
    UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    OfficialFactory(
        name="Budi Santoso", subject_type="KEPALA_DESA", position="Kepala Desa", region_id=DESA
    )

    # a citizen files in the browser
    tracking, pin = _file_report_in_browser(page, live_server.url)
    case = Case.objects.get(tracking_number=tracking)
    assert case.evidence.filter(sha256__gt="").count() == 1
    assert case.reported_persons.get().official is not None

    # the Panwascam of the place sees it in the work queue
    client = client_for(officer)
    assert tracking in client.get(reverse("cases:queue")).content.decode()

    def act(action: str, **data: Any) -> None:
        response = client.post(reverse("cases:action", args=[case.pk, action]), data, follow=True)
        body = response.content.decode()
        assert "Tersimpan." in body, body[body.find("message") :][:400]

    act("receive")
    act(
        "kajian-awal",
        formal=["IDENTITAS_PELAPOR", "NAMA_ALAMAT_PELAPOR_DAN_TERLAPOR", "DALAM_BATAS_WAKTU"],
        material=["WAKTU_DAN_TEMPAT_KEJADIAN", "URAIAN_KEJADIAN", "BUKTI"],
        result="PERUU_LAIN",
        note="Memenuhi syarat formal dan materiil",
    )
    when = timezone.localtime() + dt.timedelta(days=3)
    act(
        "clarification",
        party="TERLAPOR",
        party_name="Budi Santoso",
        scheduled_at=when.strftime("%Y-%m-%dT10:00"),
        mode="TATAP_MUKA",
        location="Sekretariat Panwaslu Kecamatan Sangatta Utara",
    )
    session = case.clarifications.get()
    act("clarification-record", session=session.pk, attended="on", minutes="Terlapor mengakui.")
    act("transition", to="KAJIAN", note="")
    person = case.reported_persons.get()
    act(
        "decide-person",
        person=person.pk,
        finding="TERBUKTI",
        violation_types=["PERUU_LAINNYA"],
        articles="UU 6/2014 Ps. 29 huruf j\nUU 10/2016 Ps. 71(1)",
        reasoning="Terbukti",
    )
    act("transition", to="DIPUTUS", note="")
    act(
        "recommend",
        reported_person=person.pk,
        recipient="BUPATI_WALIKOTA",
        recipient_name="Bupati Kutai Timur",
        letter_number="015/PP.01.02/K.KT-04/11/2024",
        letter_date=timezone.localdate().isoformat(),
    )
    rec = case.recommendations.get()
    act(
        "sanction",
        recommendation=rec.pk,
        reported_person=person.pk,
        level="RINGAN",
        type="DESA_TEGURAN_TERTULIS",
        decree_number="800/123/DPMD/2024",
        decree_date=timezone.localdate().isoformat(),
        imposed_by="Bupati Kutai Timur",
    )
    case.refresh_from_db()
    rec.refresh_from_db()
    assert case.status == Status.SELESAI
    assert rec.status == FollowUp.SANKSI_DIJATUHKAN
    assert set(case.documents.values_list("kind", flat=True)) >= {"INVITATION", "FORWARDING_LETTER"}

    # the citizen follows every step on the status page
    page.goto(f"{live_server.url}/lapor/status/")
    page.get_by_label("Nomor pelacakan").fill(tracking)
    page.get_by_label("PIN").fill(pin)
    page.get_by_role("button", name="Lihat status").click()
    assert page.get_by_test_id("case-status").inner_text() == "Selesai"
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in (
        "Laporan diajukan",
        "Diterima",
        "Kajian awal",
        "Diregistrasi",
        "Klarifikasi",
        "Kajian",
        "Diputus",
        "Diteruskan",
        "Sanksi dicatat",
        "Selesai",
    ):
        assert step in timeline, step
