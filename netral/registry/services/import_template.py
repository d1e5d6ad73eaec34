"""The officials import template (issue 13 §13): the header and the valid values of every
coded column, as CSV and as XLSX (with drop-down lists). Labels are accepted as well as
codes by the import (import_format.subject_type_of), so the template offers the labels."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from netral.core.spreadsheets import formula_safe, xlsx_workbook, xlsx_write_rows
from netral.registry.models import PositionCategory, Region, RegionLevel, SubjectType
from netral.registry.selectors import region_subtree_q
from netral.registry.services.import_format import COLUMNS, REQUIRED_COLUMNS

MAX_REGIONS = 20_000  # region rows listed in the XLSX template (a kabupaten has ~300)


def valid_value_rows() -> list[tuple[str, str, str]]:
    """(column, code, label) for every coded column."""
    rows = [("jenis", str(c.value), str(c.label)) for c in SubjectType]
    rows += [("kategori_jabatan", str(c.value), str(c.label)) for c in PositionCategory]
    return rows


def template_csv() -> bytes:
    """The header only (UTF-8 with BOM, so spreadsheet programs open it as UTF-8): an
    example row left in by mistake would be imported. The valid values come beside it
    (valid_values_csv) and on the import page."""
    out = io.StringIO()
    csv.writer(out).writerow(COLUMNS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def valid_values_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("kolom"), _("kode"), _("label")])
    writer.writerows([formula_safe(v) for v in row] for row in valid_value_rows())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(*, allowed: set[str] | None) -> bytes:
    """Sheet 1 "pejabat": the header, required columns in bold, drop-down lists on the
    coded columns. Sheet 2: the valid values; sheet 3: the region codes of the user's
    jurisdiction (provinces and kabupaten/kota for a national user). Written through
    netral/core/spreadsheets.py (text is never a formula)."""
    out = io.BytesIO()
    book = xlsx_workbook(out)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("pejabat")
    values_title = _("nilai_sah")
    values = book.add_worksheet(values_title)
    regions = book.add_worksheet(_("kode_wilayah"))
    for col, name in enumerate(COLUMNS):
        sheet.write_string(0, col, name, bold if name in REQUIRED_COLUMNS else None)
    sheet.set_column(0, len(COLUMNS) - 1, 18)
    rows = valid_value_rows()
    types = [r for r in rows if r[0] == "jenis"]
    cats = [r for r in rows if r[0] == "kategori_jabatan"]
    for column, first, count in (
        ("jenis", 2, len(types)),
        ("kategori_jabatan", 2 + len(types), len(cats)),
    ):
        col = COLUMNS.index(column)
        sheet.data_validation(
            1,
            col,
            9999,
            col,
            {
                "validate": "list",
                "source": f"='{values_title}'!$C${first}:$C${first + count - 1}",
                "ignore_blank": column != "jenis",
                "error_title": _("Nilai tidak sah"),
                "error_message": _("Pilih salah satu nilai dari daftar."),
            },
        )
    xlsx_write_rows(values, [[_("kolom"), _("kode"), _("label")], *rows])
    qs = Region.objects.order_by("code")
    if allowed is None:
        qs = qs.filter(level__in=[RegionLevel.PROVINSI, RegionLevel.KABKOTA])
    else:
        condition = None
        for code in sorted(allowed):
            q = region_subtree_q(code, "code")
            condition = q if condition is None else condition | q
        qs = qs.filter(condition) if condition is not None else qs.none()
    levels = dict(RegionLevel.choices)
    xlsx_write_rows(
        regions,
        [
            [_("kode"), _("nama"), _("tingkat")],
            *(
                [code, name, str(levels.get(level, level))]
                for code, name, level in qs.values_list("code", "name", "level")[:MAX_REGIONS]
            ),
        ],
    )
    book.close()
    return out.getvalue()
