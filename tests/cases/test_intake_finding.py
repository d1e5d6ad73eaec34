"""Issue 13 point 15: a temuan recorded by an officer asks for no reporter."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from netral.cases.models import Case, Reporter
from tests.cases.conftest import DESA
from tests.cases.test_public_views import form_data

pytestmark = pytest.mark.django_db


def test_the_browser_is_not_told_to_demand_a_reporter(alice_client: Client) -> None:
    body = alice_client.get(reverse("cases:intake") + "?origin=TEMUAN").content.decode()
    reporter_inputs = re.findall(r"<(?:input|textarea|select)[^>]*name=\"pelapor-[^>]*>", body)
    assert reporter_inputs
    assert not [tag for tag in reporter_inputs if " required" in tag]
    # the reporter's part shows only for an office report (static/js/show-when.js)
    assert 'data-show-when="origin" data-show-values="LAPORAN"' in body


def test_a_finding_without_any_reporter_field_is_recorded(alice_client: Client) -> None:
    # given a temuan with no reporter field at all
    data = {
        k: v
        for k, v in form_data(origin="TEMUAN", incident_region=DESA).items()
        if not k.startswith("pelapor-")
    }
    # when
    response = alice_client.post(reverse("cases:intake"), data)
    # then
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.origin == "TEMUAN"
    assert not Reporter.objects.filter(case=case).exists()


def test_an_office_report_still_needs_its_reporter(alice_client: Client) -> None:
    data = {
        k: v
        for k, v in form_data(origin="LAPORAN", incident_region=DESA).items()
        if not k.startswith("pelapor-")
    }
    response = alice_client.post(reverse("cases:intake"), data)
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_the_intake_lists_every_error_at_the_top(alice_client: Client) -> None:
    data = form_data(origin="TEMUAN", incident_region="", title="")
    body = alice_client.post(reverse("cases:intake"), data).content.decode()
    summary = body[body.index('data-testid="error-summary"') :]
    assert 'href="#id_incident_region"' in summary
    assert 'href="#id_title"' in summary
    assert 'href="#id_pelapor-' not in summary  # a temuan has no reporter to complain about


def test_a_finding_can_be_placed_at_a_kecamatan(alice_client: Client) -> None:
    data = form_data(origin="TEMUAN", incident_region="64.08.04")
    assert alice_client.post(reverse("cases:intake"), data).status_code == 302
    assert Case.objects.get().incident_region_id == "64.08.04"
