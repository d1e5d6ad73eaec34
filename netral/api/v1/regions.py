from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.params.functions import Path, Query

from netral.api.v1.params import CODE_MAX, QUERY_MAX
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
def region_search_api(
    request: HttpRequest,
    q: str = Query(..., max_length=QUERY_MAX),
    limit: int = Query(20, ge=1, le=100),
) -> list[RegionOut]:
    return [_out(i) for i in selectors.region_search(query=q, limit=limit)]


@router.get("/{code}", response=RegionOut, summary="Look up one region by Kemendagri code")
def region_detail_api(
    request: HttpRequest, code: str = Path(..., max_length=CODE_MAX)
) -> RegionOut:
    region = selectors.region_get(code=code)
    if region is None:
        raise Http404
    return _out(selectors.region_with_ancestry(region=region))
