from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from netral.accounts import access
from netral.core.http import AuthenticatedHttpRequest
from netral.registry import forms, selectors
from netral.registry.models import REGION_CODE_RE, RegionLevel, SubjectType
from netral.registry.services import officials_import


@require_GET
def region_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    results = selectors.region_search(query=query, limit=30)
    partial = request.headers.get("HX-Request") == "true"
    template = "registry/_region_results.html" if partial else "registry/region_search.html"
    return render(request, template, {"query": query, "results": results})


def _subtree_intersection(codes: set[str] | None, parent: str) -> set[str]:
    """The part of `codes`' subtrees (None: everywhere) that lies under `parent`."""
    if codes is None or any(parent == c or parent.startswith(c + ".") for c in codes):
        return {parent}
    return {c for c in codes if c.startswith(parent + ".")}


@require_GET
def region_pick(request: HttpRequest) -> JsonResponse:
    """The region picker's search (registry/widgets.py): JSON, at most 12 candidates.

    Regions are public reference data; `scope=mine` narrows to the signed-in user's
    jurisdiction (everywhere for national users), `within` to one region's subtree and
    `levels` to some levels."""
    query = request.GET.get("q", "")[:100]
    within: set[str] | None = None
    if request.GET.get("scope") == "mine" and request.user.is_authenticated:
        within = access.jurisdiction_codes(request.user)
    parent = request.GET.get("within", "")
    if REGION_CODE_RE.match(parent):
        within = _subtree_intersection(within, parent)
    levels = {v for v in request.GET.get("levels", "").split(",") if v in RegionLevel.values}
    results = selectors.region_pick(query=query, within=within, levels=levels or None)
    return JsonResponse(
        {
            "results": [
                {
                    "code": item.region.code,
                    "name": item.region.short_name,
                    "context": ", ".join(a.short_name for a in reversed(item.ancestors)),
                    "label": item.label,
                    "level": str(RegionLevel(item.region.level).label),
                }
                for item in results
            ]
        }
    )


@require_GET
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_get(code=code)
    if region is None:
        raise Http404
    return render(
        request,
        "registry/region_detail.html",
        {
            "item": selectors.region_with_ancestry(region=region),
            "children": selectors.region_children(region=region),
        },
    )


# --- officials ---------------------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def official_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_perm(request.user, access.Perm.VIEW)
    form = forms.OfficialSearchForm(request.GET)
    filters = form.filters()
    page = selectors.official_search(
        queryset=access.officials_visible_to(request.user), filters=filters, page=form.page_number()
    )
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "querystring": form.querystring(),
        "can_import": access.has_perm(request.user, access.Perm.MANAGE_OFFICIALS),
    }
    template = (
        "registry/_official_results.html" if _is_htmx(request) else ("registry/official_list.html")
    )
    return render(request, template, context)


@login_required
@require_GET
def official_detail(request: AuthenticatedHttpRequest, official_id: int) -> HttpResponse:
    official = access.access_official(request.user, official_id)
    context = selectors.official_profile(official=official)
    chain_key = f"registry.official:{official.pk}"
    context["chain_key"] = chain_key
    # Bulk imports audit their ImportJob, not each person: link only to a trail that exists.
    context["can_view_audit"] = (
        access.audit_entries_visible_to(request.user).filter(chain_key=chain_key).exists()
    )
    return render(request, "registry/official_detail.html", context)


@login_required
@require_GET
def official_coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    code = request.GET.get("wilayah", "").strip()[:13]
    region = access.access_coverage_region(request.user, code)
    report = selectors.coverage_for_region(
        region=region, officials=access.officials_visible_to(request.user)
    )
    labels = dict(SubjectType.choices)
    return render(
        request,
        "registry/coverage.html",
        {
            "report": report,
            "type_labels": [(t, labels[t]) for t in report.types],
            "ancestry": selectors.region_with_ancestry(region=region) if region else None,
        },
    )


# --- import ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def official_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowed = access.official_import_regions(request.user)
    form = forms.OfficialImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = officials_import.import_job_create(
            actor=request.user,
            file=upload,
            original_name=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            region_code=sorted(allowed)[0] if allowed else None,
        )
        officials_import.import_job_start(job=job, allowed_regions=allowed)
        return redirect("registry:import_job", job_id=job.pk)
    jobs = access.import_jobs_visible_to(request.user)[:10]
    return render(
        request,
        "registry/official_import.html",
        {
            "form": form,
            "jobs": jobs,
            "columns": officials_import.COLUMNS,
            "required": officials_import.REQUIRED_COLUMNS,
        },
    )


@login_required
@require_GET
def import_job_detail(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = access.access_import_job(request.user, job_id)
    template = (
        "registry/_import_job_status.html" if _is_htmx(request) else ("registry/import_job.html")
    )
    return render(request, template, {"job": job})


@login_required
@require_GET
def import_job_errors(request: AuthenticatedHttpRequest, job_id: int) -> FileResponse:
    job = access.access_import_job(request.user, job_id)
    if not job.error_file:
        raise Http404
    return FileResponse(
        job.error_file.open("rb"),
        as_attachment=True,
        filename=f"kesalahan-impor-{job.pk}.csv",
        content_type="text/csv",
    )
