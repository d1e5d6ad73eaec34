"""Every spreadsheet Netral writes is formula-safe (issue 14 point 8)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from netral.core.spreadsheets import formula_safe, xlsx_workbook, xlsx_write_rows

PAYLOADS = ['=HYPERLINK("http://x.example","klik")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_the_xlsx_workbook_writes_formula_text_as_strings() -> None:
    # given
    out = io.BytesIO()
    book = xlsx_workbook(out)
    xlsx_write_rows(book.add_worksheet("x"), [PAYLOADS, ["123", "http://a.example"]])
    book.close()
    # when read back
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    # then every cell is a string, none a formula, a number or a link
    assert [c.value for c in cells[:5]] == PAYLOADS[:5]  # (a carriage return is escaped in XML)
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.hyperlink is None for c in cells)


def test_the_import_error_file_neutralises_the_files_own_text(tmp_path) -> None:
    from netral.registry.services.import_format import ErrorCollector

    errors = ErrorCollector(tmp_path)
    errors.add(2, "=kolom", "@pesan")
    errors.close()
    text = errors.path.read_text(encoding="utf-8-sig")
    assert "'=kolom" in text
    assert "'@pesan" in text


def test_formula_safe_leaves_plain_text_and_numbers() -> None:
    assert [formula_safe(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert formula_safe("Budi") == "Budi"
    assert formula_safe(-5) == -5
