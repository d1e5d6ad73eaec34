"""Pelimpahan in a real browser: the Panwascam officer forwards a report to the Bawaslu
Kab/Kota with the destination picker, and the citizen's status page follows it."""

from __future__ import annotations

import os
from typing import Any

import pytest

from netral.accounts.models import Role
from netral.cases.models import Case, CaseLinkType, Status
from netral.cases.services import case_receive
from tests.cases.conftest import file_report, seed_deadline_rules
from tests.conftest import browser_sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_forwards_and_the_citizen_follows(live_server: Any, page: Any) -> None:
    from netral.registry.services.regions_load import regions_load
    from tests.conftest import SAMPLE_REGIONS
    from tests.factories import UserFactory

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    seed_deadline_rules()
    siti = UserFactory(username="siti", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
    UserFactory(username="alice", role=Role.BAWASLU_KABKOTA, region="64.08")
    filed = file_report()
    case = case_receive(case=filed.case, actor=siti)

    browser_sign_in(page, live_server.url, "siti", f"/perkara/{case.pk}/")
    page.get_by_test_id("forward").locator("summary").click()
    page.locator("select[name=destination]").select_option("64.08")
    page.get_by_label("Alasan pelimpahan").fill("Terlapor ASN kabupaten: kewenangan Bawaslu Kab.")
    page.get_by_test_id("forward-submit").click()
    page.get_by_test_id("forwarded-to").wait_for()
    if os.environ.get("NETRAL_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['NETRAL_SCREENSHOTS']}/officer.png", full_page=True)
    target = Case.objects.get(links_out__to_case=case, links_out__type=CaseLinkType.PELIMPAHAN)
    assert target.status == Status.DITERIMA
    assert target.handling_region_id == "64.08"
    assert Case.objects.get(pk=case.pk).status == Status.DILIMPAHKAN

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/lapor/status/")
    page.get_by_label("Nomor pelacakan").fill(case.tracking_number or "")
    page.get_by_label("PIN").fill(filed.pin)
    page.locator("button[type=submit]").first.click()
    page.get_by_test_id("forwarded").wait_for()
    assert page.get_by_test_id("case-status").inner_text() == "Diterima"
    assert "Diterima oleh unit tujuan pelimpahan" in page.get_by_test_id("timeline").inner_text()
    if os.environ.get("NETRAL_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['NETRAL_SCREENSHOTS']}/status.png", full_page=True)
