"""Reads of the registry. Regions are public reference data, so they need no scoping."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Length

from netral.registry.models import REGION_CODE_RE, Region, ancestor_codes
from netral.registry.text import fold


@dataclass(frozen=True)
class RegionWithAncestry:
    region: Region
    ancestors: list[Region]  # province first

    @property
    def label(self) -> str:
        """'Desa Sangatta Utara, Kec. Sangatta Utara, Kab. Kutai Timur, Prov. Kalimantan Timur'."""
        chain = [self.region, *reversed(self.ancestors)]
        return ", ".join(r.short_name for r in chain)


def region_get(*, code: str) -> Region | None:
    if not REGION_CODE_RE.match(code):
        return None
    return Region.objects.filter(code=code).first()


def region_with_ancestry(*, region: Region) -> RegionWithAncestry:
    ancestors = list(Region.objects.filter(code__in=ancestor_codes(region.code)).order_by("code"))
    return RegionWithAncestry(region, ancestors)


def regions_with_ancestry(*, regions: list[Region]) -> list[RegionWithAncestry]:
    """Ancestry for many regions in one query."""
    wanted = {code for r in regions for code in ancestor_codes(r.code)}
    by_code = {r.code: r for r in Region.objects.filter(code__in=wanted)}
    return [
        RegionWithAncestry(r, [by_code[c] for c in ancestor_codes(r.code) if c in by_code])
        for r in regions
    ]


def region_search(
    *, query: str, limit: int = 20, within: str | None = None
) -> list[RegionWithAncestry]:
    """Regions by code (exact or prefix) or by name (case- and accent-insensitive, partial)."""
    query = query.strip()
    if not query:
        return []
    qs: QuerySet[Region]
    if query[0].isdigit():
        qs = Region.objects.filter(code__startswith=query)
    else:
        qs = Region.objects.filter(name_folded__contains=fold(query))
    if within:
        qs = qs.filter(code__startswith=within + ".")
    # Higher levels first: "Bogor" should offer Kab. and Kota Bogor before villages.
    regions = list(qs.order_by(Length("code"), "name", "code")[:limit])
    return regions_with_ancestry(regions=regions)


def region_children(*, region: Region | None) -> QuerySet[Region]:
    if region is None:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(parent=region)
