from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from netral.registry import selectors


@require_GET
def region_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    results = selectors.region_search(query=query, limit=30)
    partial = request.headers.get("HX-Request") == "true"
    template = "registry/_region_results.html" if partial else "registry/region_search.html"
    return render(request, template, {"query": query, "results": results})


@require_GET
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_get(code=code)
    if region is None:
        raise Http404
    return render(request, "registry/region_detail.html", {
        "item": selectors.region_with_ancestry(region=region),
        "children": selectors.region_children(region=region),
    })
