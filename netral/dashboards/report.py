"""The rakor evaluation report: PDF (WeasyPrint, charts and map as SVG) and XLSX (openpyxl,
one sheet per table), both formatted from the same `Dashboard` the page shows."""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from netral.core.spreadsheet import xlsx_row

from . import charts, maps
from .forms import MAP_METRICS
from .tables import Dashboard

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(dashboard: Dashboard) -> str:
    parts = ["evaluasi-netralitas", dashboard.scope_code or "nasional", dashboard.event_name]
    if dashboard.date_from:
        parts.append(dashboard.date_from.isoformat())
    if dashboard.date_to:
        parts.append(dashboard.date_to.isoformat())
    return slugify("-".join(parts).replace(".", "-"))


def report_html(*, dashboard: Dashboard, metric: str) -> str:
    metric_label = dict(MAP_METRICS)[metric]
    the_map = maps.dashboard_map(
        dashboard,
        metric=metric,
        title=f"{metric_label} · {dashboard.scope_name}",
    )
    sections = []
    for table in dashboard.tables:
        data = table.chart_data()
        sections.append(
            {
                "table": table,
                "chart": mark_safe(charts.chart_svg(data)) if data else "",  # noqa: S308
            }
        )
    return render_to_string(
        "dashboards/report.html",
        {
            "dash": dashboard,
            "sections": sections,
            "map": the_map,
            "map_svg": mark_safe(the_map.svg),  # noqa: S308  built by maps.py, values escaped
            "metric_label": metric_label,
            "attribution": maps.ATTRIBUTION,
        },
    )


def report_pdf(*, dashboard: Dashboard, metric: str) -> bytes:
    from weasyprint import HTML

    html = report_html(dashboard=dashboard, metric=metric)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Tabel"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]} {n}"
        n += 1
    used.add(name.lower())
    return name


def report_xlsx(*, dashboard: Dashboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = _("Ringkasan")
    used = {summary.title.lower()}
    bold = Font(bold=True)
    summary.append([_("Laporan evaluasi netralitas")])
    summary["A1"].font = bold
    summary.append(
        xlsx_row(summary, [_("Wilayah"), dashboard.scope_name, dashboard.scope_code or ""])
    )
    summary.append(xlsx_row(summary, [_("Pemilihan"), dashboard.event_name]))
    summary.append([_("Periode"), _period(dashboard)])
    summary.append([_("Dibuat"), dashboard.generated_at.strftime("%Y-%m-%d %H:%M %Z")])
    summary.append([])
    for figure in dashboard.figures:
        summary.append(xlsx_row(summary, [figure.label, figure.value, figure.suffix]))
    for gap in dashboard.gaps:
        summary.append(xlsx_row(summary, [gap]))
    for table in dashboard.tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append(xlsx_row(sheet, table.columns))
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append(xlsx_row(sheet, row))
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _period(dashboard: Dashboard) -> str:
    start = dashboard.date_from.isoformat() if dashboard.date_from else "…"
    end = dashboard.date_to.isoformat() if dashboard.date_to else "…"
    return f"{start} \N{EN DASH} {end}"
