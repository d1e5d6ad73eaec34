"""Issue 18 point 2 in Debian's chromium: a report without attachments goes out url-encoded
(report.js; the server parses it in a tenth of a multipart body's CPU), one with a file as
multipart, and both are filed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.conftest import DESA, PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(page: Any, title: str) -> None:
    today = timezone.localdate()
    page.get_by_label("Nama lengkap").fill("Rina Warga")
    page.get_by_label("Alamat").first.fill("Jl. Mawar 1, Sangatta")
    page.get_by_label("Nomor telepon/HP").first.fill("081234567890")
    page.locator("#id_terlapor-0-name").fill("Kepala Desa Sangatta Utara")
    page.get_by_label("Pilkada (UU 1/2015 jo. UU 10/2016)").check()
    page.get_by_label("Peristiwa yang dilaporkan").fill(title)
    place = page.get_by_role("combobox", name="Wilayah kejadian")
    place.press_sequentially("sangatta utara", delay=20)
    village = page.locator(f".region-picker-list [role=option][data-code='{DESA}']")
    village.wait_for()
    village.click()
    page.get_by_label("Tempat kejadian").fill("Balai desa")
    page.get_by_label("Tanggal kejadian").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Tanggal Anda mengetahui kejadian").fill(
        (today - dt.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Uraian kejadian").fill("Kepala desa berpidato mendukung paslon 2.")
    page.get_by_label("Saya menyatakan laporan ini benar").check()


def test_a_report_without_files_is_url_encoded_and_one_with_a_file_multipart(
    live_server: Any, browser: Any
) -> None:
    from netral.accounts.models import Role
    from netral.cases.models import Case
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sent: dict[str, str] = {}
    for title, attach in (("Tanpa lampiran", False), ("Dengan foto", True)):
        page.goto(f"{live_server.url}/lapor/")
        page.wait_for_load_state()
        _fill(page, title)
        if attach:
            page.locator("input[type=file][name=files]").set_input_files(
                {"name": "foto.png", "mimeType": "image/png", "buffer": PNG}
            )
        with page.expect_request(lambda r: r.method == "POST" and "/lapor/" in r.url) as posted:
            page.get_by_test_id("submit-report").click()
        sent[title] = posted.value.headers.get("content-type", "")
        page.get_by_test_id("tracking-number").wait_for()
    assert sent["Tanpa lampiran"].startswith("application/x-www-form-urlencoded")
    assert sent["Dengan foto"].startswith("multipart/form-data")
    assert Case.objects.get(title="Tanpa lampiran").tracking_number
    assert Case.objects.get(title="Dengan foto").evidence.exclude(sha256="").count() == 1
    context.close()
