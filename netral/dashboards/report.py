"""The rakor evaluation report: PDF (WeasyPrint, charts and map as SVG) and XLSX (openpyxl,
one sheet per table), both formatted from the same `Dashboard` the page shows."""

from __future__ import annotations

import io
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from netral.accounts.models import User
from netral.core.spreadsheets import xlsx_workbook, xlsx_write_rows

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


def report_html(*, dashboard: Dashboard, metric: str, signer: User | None = None) -> str:
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
            **_letterhead(dashboard, signer),
        },
    )


def _letterhead(dashboard: Dashboard, signer: User | None) -> dict[str, object]:
    """The same letterhead and signature block as the case letters (issue 12 point 18): the
    unit of the report's region, its configured address and logo, the signing officer."""
    from django.utils import timezone

    from netral.cases.documents import letterhead_for, unit_name_for
    from netral.core.zones import zone_for_code
    from netral.registry.models import Region

    region = (
        Region.objects.filter(pk=dashboard.scope_code).first() if dashboard.scope_code else None
    )
    return {
        "unit": unit_name_for(region),
        "letterhead": letterhead_for(region),
        # today in the report's zone, as its "Dibuat" time (Dashboard.zone_code)
        "sign_date": timezone.now().astimezone(zone_for_code(dashboard.zone_code).tz).date(),
        "signer_name": (signer.full_name or signer.get_username()) if signer else "",
        "signer_position": signer.position if signer else "",
    }


def report_pdf(*, dashboard: Dashboard, metric: str, signer: User | None = None) -> bytes:
    from weasyprint import HTML

    html = report_html(dashboard=dashboard, metric=metric, signer=signer)
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
    """The report's figures and tables, one sheet each; text is never a formula
    (netral/core/spreadsheets.py)."""
    buffer = io.BytesIO()
    book = xlsx_workbook(buffer)
    bold = book.add_format({"bold": True})
    used: set[str] = set()
    summary = book.add_worksheet(_sheet_title(str(_("Ringkasan")), used))
    rows: list[list[Any]] = [
        [_("Laporan evaluasi netralitas")],
        [_("Wilayah"), dashboard.scope_name, dashboard.scope_code or ""],
        [_("Pemilihan"), dashboard.event_name],
        [_("Periode"), _period(dashboard)],
        [_("Dibuat"), dashboard.generated_label],
        [],
        *([figure.label, figure.value, figure.suffix] for figure in dashboard.figures),
        *([gap] for gap in dashboard.gaps),
    ]
    xlsx_write_rows(summary, ([str(c) if isinstance(c, Promise) else c for c in r] for r in rows))
    summary.write_string(0, 0, str(_("Laporan evaluasi netralitas")), bold)
    for table in dashboard.tables:
        sheet = book.add_worksheet(_sheet_title(table.title, used))
        sheet.write_row(0, 0, [str(c) for c in table.columns], bold)
        next_row = xlsx_write_rows(sheet, table.rows, first_row=1)
        if table.note:
            sheet.write_string(next_row + 1, 0, str(table.note))
    book.close()
    return buffer.getvalue()


def _period(dashboard: Dashboard) -> str:
    start = dashboard.date_from.isoformat() if dashboard.date_from else "…"
    end = dashboard.date_to.isoformat() if dashboard.date_to else "…"
    return f"{start} \N{EN DASH} {end}"
