"""Issue 13 point 16 in Debian's chromium: after a validation error /lapor/ keeps every value
(the village, the election, the statement checkbox, the texts) and shows all errors at the
top, each linked to its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.conftest import DESA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_with_errors_keeps_every_value_and_lists_the_errors(
    live_server: Any, page: Any
) -> None:
    # given
    from netral.cases.models import Case
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.declarations.helpers import pilkada

    regions_load(path=SAMPLE_REGIONS, edition="sample")  # transactional tests start empty
    election = pilkada()
    today = timezone.localdate()
    page.goto(f"{live_server.url}/lapor/")
    page.wait_for_load_state()
    # when a citizen fills most of the form but forgets their name and the description
    page.get_by_label("Alamat").first.fill("Jl. Mawar 1, Sangatta")
    page.get_by_label("Nomor telepon/HP").first.fill("081234567890")
    page.locator("#id_terlapor-0-name").fill("Budi Santoso")
    page.get_by_label("Pilkada (UU 1/2015 jo. UU 10/2016)").check()
    page.locator("select[name=election_event]").select_option(str(election.pk))
    page.get_by_label("Peristiwa yang dilaporkan").fill("Kepala desa ikut kampanye paslon")
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
    page.get_by_label("Saya menyatakan laporan ini benar").check()
    page.get_by_test_id("submit-report").click()
    # then every error is listed at the top, and the summary has the focus
    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = summary.get_by_role("link")
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    assert any(t.startswith("Nama lengkap") for t in texts), texts
    assert any(t.startswith("Uraian kejadian") for t in texts), texts
    # and every value is still there
    place = page.get_by_role("combobox", name="Wilayah kejadian")
    assert place.input_value().startswith("Desa Sangatta Utara, Kec. Sangatta Utara")
    assert page.locator("input[type=hidden][name=wilayah]").input_value() == DESA
    assert page.locator("select[name=election_event]").input_value() == str(election.pk)
    assert page.get_by_label("Saya menyatakan laporan ini benar").is_checked()
    assert page.get_by_label("Pilkada (UU 1/2015 jo. UU 10/2016)").is_checked()
    assert page.get_by_label("Peristiwa yang dilaporkan").input_value() == (
        "Kepala desa ikut kampanye paslon"
    )
    assert page.locator("#id_terlapor-0-name").input_value() == "Budi Santoso"
    # and a link of the summary takes the keyboard to its field
    summary.get_by_role("link", name="Uraian kejadian").first.click()
    assert page.evaluate("document.activeElement.id") == "id_description"
    assert Case.objects.count() == 0
