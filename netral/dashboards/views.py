"""Dashboard, evaluation report, exports and the public transparency page.

Each view parses its input, calls one selector (which scopes through accounts/access.py)
and renders; the report and the page format the same `Dashboard` object.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from netral.core.http import AuthenticatedHttpRequest
from netral.elections.selectors import election_list
from netral.registry.widgets import RegionPicker

from . import exports, maps, public, report, selectors
from .forms import MAP_METRICS, DashboardFilterForm
from .tables import Dashboard


def _filters(request: HttpRequest) -> DashboardFilterForm:
    form = DashboardFilterForm(request.GET)  # every filter is optional: empty is valid
    form.is_valid()
    return form


def _query(form: DashboardFilterForm, **overrides: str) -> str:
    params = {k: v for k, v in form.data.items() if v}
    params.update(overrides)
    return urlencode({k: v for k, v in params.items() if v})


def _page_context(form: DashboardFilterForm, dash: Dashboard, metric: str) -> dict[str, object]:
    base = reverse("dashboards:dashboard")

    def href(code: str) -> str:
        return f"{base}?{_query(form, region=code)}"

    metric_label = dict(MAP_METRICS)[metric]
    the_map = maps.dashboard_map(
        dash,
        metric=metric,
        title=f"{metric_label} · {dash.scope_name}",
        href=href,
    )
    return {
        "form": form,
        "dash": dash,
        "map": the_map,
        "map_svg": mark_safe(the_map.svg),  # noqa: S308  built by maps.py, every value escaped
        "metric": metric,
        "metric_label": metric_label,
        "metrics": MAP_METRICS,
        "attribution": maps.ATTRIBUTION,
        "query": _query(form),
        "drill": {u.code: href(u.code) for u in dash.units if u.code != dash.scope_code},
        "crumb_href": {c: href(c or "") for c, _n in dash.breadcrumbs},
        "region_picker": _region_picker(dash.scope_code or ""),
    }


def _region_picker(code: str) -> str:
    """The region filter, rendered again after a drill-down so it names the new region."""
    return RegionPicker(scope="mine", attrs={"id": "dash-region"}).render("region", code)


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _filters(request)
    if not form.is_valid():
        return render(
            request,
            "dashboards/dashboard.html",
            {"form": form, "dash": None, "region_picker": _region_picker("")},
            status=400,
        )
    dash = selectors.dashboard_build(user=request.user, filters=form.filters())
    context = _page_context(form, dash, form.map_metric())
    partial = request.headers.get("HX-Request") == "true"
    template = "dashboards/_body.html" if partial else "dashboards/dashboard.html"
    return render(request, template, {**context, "partial": partial})


@login_required
@require_GET
def report_download(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    form = _filters(request)
    if not form.is_valid():
        raise Http404
    dash = selectors.dashboard_build(user=request.user, filters=form.filters())
    name = report.filename(dash)
    if fmt == "pdf":
        body = report.report_pdf(dashboard=dash, metric=form.map_metric(), signer=request.user)
        response = HttpResponse(body, content_type="application/pdf")
    elif fmt == "xlsx":
        body = report.report_xlsx(dashboard=dash)
        response = HttpResponse(body, content_type=report.XLSX_CONTENT_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def export_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")[:13] or None
    scope = selectors.scope_resolve(user=request.user, region_code=region)
    items = [
        {"dataset": d, "count": d.rows_for(request.user, scope).count()}
        for d in exports.DATASETS.values()
    ]
    return render(
        request,
        "dashboards/exports.html",
        {
            "scope": scope,
            "items": items,
            "region": region or "",
        },
    )


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, key: str, fmt: str) -> HttpResponseBase:
    dataset = exports.DATASETS.get(key)
    if dataset is None or fmt not in ("csv", "xlsx"):
        raise Http404
    region = request.GET.get("region", "")[:13] or None
    scope = selectors.scope_resolve(user=request.user, region_code=region)
    total = dataset.rows_for(request.user, scope).count()
    name = f"netral-{dataset.key}-{(scope.code or 'nasional').replace('.', '-')}"
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(dataset.headers(), dataset.chunks(request.user, scope, "csv")),
            content_type="text/csv; charset=utf-8",
        )
    else:
        handle = exports.xlsx_write(
            dataset.headers(), dataset.chunks(request.user, scope, "xlsx"), str(dataset.title)
        )
        response = FileResponse(handle, content_type=report.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Netral-Rows"] = str(total)  # lets the page show progress while streaming
    return response


@require_GET
def transparency(request: HttpRequest) -> HttpResponse:
    """Public, no login: aggregates per election event, small counts suppressed."""
    events = list(election_list())
    event = None
    if request.GET.get("pemilihan", "").isdigit():
        event = next((e for e in events if e.pk == int(request.GET["pemilihan"])), None)
        if event is None:
            raise Http404
    province = request.GET.get("wilayah", "")
    if province and not (len(province) == 2 and province.isdigit()):
        raise Http404
    metric = request.GET.get("peta", public.PUBLIC_METRICS[0][0])
    if metric not in dict(public.PUBLIC_METRICS):
        metric = public.PUBLIC_METRICS[0][0]
    page = public.transparency_build(event=event, region_code=province or None)
    dash = page.dashboard
    metric_label = dict(MAP_METRICS)[metric]
    base = reverse("dashboards:transparency")

    def href(code: str) -> str:
        params = {"pemilihan": event.pk if event else "", "wilayah": code, "peta": metric}
        return f"{base}?{urlencode({k: v for k, v in params.items() if v})}"

    the_map = maps.dashboard_map(
        dash,
        units=public.public_map_units(page, metric),
        metric=metric,
        title=f"{metric_label} · {dash.scope_name}",
        href=href if dash.child_level == "PROVINSI" else None,
    )
    return render(
        request,
        "dashboards/transparency.html",
        {
            "page": page,
            "dash": dash,
            "events": events,
            "event": event,
            "map": the_map,
            "map_svg": mark_safe(the_map.svg),  # noqa: S308  built by maps.py, values escaped
            "metric": metric,
            "metric_label": metric_label,
            "metrics": public.PUBLIC_METRICS,
            "attribution": maps.ATTRIBUTION,
            "province": province,
        },
    )
