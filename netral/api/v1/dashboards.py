"""Evaluation dashboard API (issue 6): the same numbers as the page, the PDF and the XLSX."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params.functions import Query

from netral.api.auth import API_AUTH
from netral.api.v1.params import CODE_MAX, ID_MAX
from netral.core.errors import ApplicationError
from netral.dashboards.forms import DashboardFilterForm
from netral.dashboards.selectors import dashboard_build

router = Router(tags=["dashboards"], auth=API_AUTH)

Cell = str | int | float | None


class FigureOut(Schema):
    key: str
    label: str
    value: Cell
    suffix: str


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


class DashboardOut(Schema):
    scope_code: str | None
    scope_name: str
    event_id: int | None
    date_from: dt.date | None
    date_to: dt.date | None
    figures: list[FigureOut]
    tables: list[TableOut]


@router.get("/summary", response=DashboardOut)
def dashboard_summary(
    request: HttpRequest,
    region: str | None = Query(None, max_length=CODE_MAX),
    event: int | None = Query(None, ge=1, le=ID_MAX),
    # bounded by the filter form (1900-01-01 to 2999-12-31): past them a 400 naming the field
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> DashboardOut:
    """Figures and tables of the evaluation dashboard within the caller's jurisdiction
    (404 for a region outside it)."""
    form = DashboardFilterForm(
        {
            "region": region or "",
            "event": event or "",
            "date_from": date_from or "",
            "date_to": date_to or "",
        }
    )
    if not form.is_valid():  # the page's own validation and messages
        raise ApplicationError(
            "; ".join(
                f"{field}: {' '.join(str(e) for e in errors)}"
                for field, errors in form.errors.items()
            )
        )
    dash = dashboard_build(user=request.user, filters=form.filters())
    return DashboardOut(
        scope_code=dash.scope_code,
        scope_name=dash.scope_name,
        event_id=dash.event_id,
        date_from=dash.date_from,
        date_to=dash.date_to,
        figures=[
            FigureOut(key=f.key, label=str(f.label), value=f.value, suffix=f.suffix)
            for f in dash.figures
        ],
        tables=[
            TableOut(
                key=t.key, title=str(t.title), columns=[str(c) for c in t.columns], rows=t.rows
            )
            for t in dash.tables
        ],
    )
