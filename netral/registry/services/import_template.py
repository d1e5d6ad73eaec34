"""The officials import template (issue 13 §13): the header and the valid values of every
coded column, as CSV and as XLSX (with drop-down lists). Labels are accepted as well as
codes by the import (import_format.subject_type_of), so the template offers the labels."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

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
    writer.writerows(valid_value_rows())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(*, allowed: set[str] | None) -> bytes:
    """Sheet 1 "pejabat": the header, required columns in bold, drop-down lists on the
    coded columns. Sheet 2: the valid values; sheet 3: the region codes of the user's
    jurisdiction (provinces and kabupaten/kota for a national user)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "pejabat"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        if cell.value in REQUIRED_COLUMNS:
            cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 18
    values = book.create_sheet(_("nilai_sah"))
    values.append([_("kolom"), _("kode"), _("label")])
    for row in valid_value_rows():
        values.append(list(row))
    types = [r for r in valid_value_rows() if r[0] == "jenis"]
    cats = [r for r in valid_value_rows() if r[0] == "kategori_jabatan"]
    for column, first, count in (
        ("jenis", 2, len(types)),
        ("kategori_jabatan", 2 + len(types), len(cats)),
    ):
        letter = sheet.cell(row=1, column=COLUMNS.index(column) + 1).column_letter
        rule = DataValidation(
            type="list",
            formula1=f"={values.title}!$C${first}:$C${first + count - 1}",
            allow_blank=column != "jenis",
            showErrorMessage=True,
            errorTitle=_("Nilai tidak sah"),
            error=_("Pilih salah satu nilai dari daftar."),
        )
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}10000")
    regions = book.create_sheet(_("kode_wilayah"))
    regions.append([_("kode"), _("nama"), _("tingkat")])
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
    for code, name, level in qs.values_list("code", "name", "level")[:MAX_REGIONS]:
        regions.append([code, name, str(levels.get(level, level))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
