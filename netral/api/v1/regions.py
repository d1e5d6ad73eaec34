from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from netral.registry import selectors

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    label: str


def _out(item: selectors.RegionWithAncestry) -> RegionOut:
    r = item.region
    return RegionOut(
        code=r.code, name=r.name, level=r.level, parent_code=r.parent_id, label=item.label
    )


@router.get("/", response=list[RegionOut], summary="Search regions by name or code")
def region_search_api(request: HttpRequest, q: str, limit: int = 20) -> list[RegionOut]:
    return [_out(i) for i in selectors.region_search(query=q, limit=min(max(limit, 1), 100))]


@router.get("/{code}", response=RegionOut, summary="Look up one region by Kemendagri code")
def region_detail_api(request: HttpRequest, code: str) -> RegionOut:
    region = selectors.region_get(code=code)
    if region is None:
        raise Http404
    return _out(selectors.region_with_ancestry(region=region))
