"""Issue 13 point 17 in Debian's chromium: a citizen adds the Facebook post they saw to the
report, and the officer opens the case file and finds it as a link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from tests.cases.conftest import DESA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST_URL = "https://www.facebook.com/kades.sangatta/posts/123456"


def test_a_reported_post_becomes_a_link_in_the_case_file(live_server: Any, browser: Any) -> None:
    # given
    from netral.accounts.models import Role
    from netral.cases.models import Case
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS, client_for
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    officer = UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    today = timezone.localdate()
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    # when a citizen reports, with the post they saw
    page.goto(f"{live_server.url}/lapor/")
    page.wait_for_load_state()
    page.get_by_label("Nama lengkap").fill("Rina Warga")
    page.get_by_label("Alamat").first.fill("Jl. Mawar 1, Sangatta")
    page.get_by_label("Nomor telepon/HP").first.fill("081234567890")
    page.locator("#id_terlapor-0-name").fill("Kepala Desa Sangatta Utara")
    page.get_by_label("Pilkada (UU 1/2015 jo. UU 10/2016)").check()
    page.get_by_label("Peristiwa yang dilaporkan").fill("Kepala desa berkampanye di Facebook")
    place = page.get_by_role("combobox", name="Wilayah kejadian")
    place.press_sequentially("sangatta utara", delay=20)
    village = page.locator(f".region-picker-list [role=option][data-code='{DESA}']")
    village.wait_for()
    village.click()
    page.get_by_label("Tempat kejadian").fill("Akun Facebook kepala desa")
    page.get_by_label("Tanggal kejadian").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Tanggal Anda mengetahui kejadian").fill(
        (today - dt.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Uraian kejadian").fill("Kepala desa mengunggah ajakan memilih paslon 2.")
    row = page.get_by_test_id("online-evidence-0")
    row.get_by_label("Platform").select_option("FACEBOOK")
    row.get_by_label("Akun").fill("Kades Sangatta Utara")
    row.get_by_label("Alamat (URL) unggahan").fill(POST_URL)
    row.get_by_label("Waktu dilihat").fill((today - dt.timedelta(days=1)).isoformat() + "T20:15")
    page.get_by_label("Saya menyatakan laporan ini benar").check()
    page.get_by_test_id("submit-report").click()
    page.get_by_test_id("tracking-number").wait_for()
    case = Case.objects.get()
    # then the officer's case file has the post as a link
    client = client_for(officer)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/perkara/{case.pk}/")
    link = page.get_by_test_id("online-evidence")
    assert link.get_attribute("href") == POST_URL
    assert link.get_attribute("rel") == "nofollow noopener noreferrer"
    assert link.inner_text() == "Facebook · Kades Sangatta Utara"
    assert "dilihat" in page.get_by_test_id("case-file").inner_text()
    context.close()
