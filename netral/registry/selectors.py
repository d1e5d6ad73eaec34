"""Reads of the registry. Regions are public reference data, so they need no scoping."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr

from netral.core.encryption import blind_index
from netral.registry import fts
from netral.registry.models import REGION_CODE_RE, Official, Region, ancestor_codes
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


def region_pick(
    *,
    query: str,
    within: set[str] | None = None,
    levels: set[str] | None = None,
    limit: int = 12,
) -> list[RegionWithAncestry]:
    """Candidates for the region picker: by name (folded, partial) or code prefix.

    `within` keeps only those codes and their descendants (an officer's jurisdiction, or a
    parent the form fixes); `levels` keeps only some levels (a village field offers villages).
    Names that start with the query come before names that merely contain it, and higher
    levels before lower ones ("Bogor" offers Kab. and Kota Bogor before villages).
    """
    query = query.strip()
    if not query:
        return []
    qs: QuerySet[Region] = Region.objects.all()
    folded = fold(query)
    if query[0].isdigit():
        qs = qs.filter(code__startswith=query)
        starts: Q = Q(code=query)
    else:
        qs = qs.filter(name_folded__contains=folded)
        starts = Q(name_folded__startswith=folded)
    if within is not None:
        if not within:
            return []
        scope = Q()
        for code in within:
            scope |= region_subtree_q(code, "code")
        qs = qs.filter(scope)
    if levels:
        qs = qs.filter(level__in=levels)
    ranked = qs.annotate(
        starts=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    regions: list[Region] = list(ranked.order_by("starts", Length("code"), "name", "code")[:limit])
    return regions_with_ancestry(regions=regions)


def region_children(*, region: Region | None) -> QuerySet[Region]:
    if region is None:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(parent=region)


# --- officials --------------------------------------------------------------------------------
# Scoping is not decided here: callers pass `officials_visible_to(user)` (accounts/access.py)
# as the queryset, and these selectors only narrow it.

OFFICIALS_PER_PAGE = 25
_IDENTIFIER_RE = re.compile(r"^[0-9A-Za-z./-]{4,30}$")


@dataclass(frozen=True)
class OfficialFilters:
    q: str = ""  # a name (partial, accent/case-insensitive) or an identifier (exact)
    subject_type: str = ""
    region: str = ""  # a Kemendagri code: that region and everything under it
    agency_id: int | None = None


@dataclass(frozen=True)
class OfficialPage:
    """A page without a total count: counting 1M rows costs more than the page itself."""

    items: list[Official]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def region_subtree_q(code: str, field: str = "region_id") -> Q:
    """`code` and its descendants as an index range ('64.08' <= x < '64.08/'), not LIKE."""
    return Q(**{field: code}) | Q(**{f"{field}__gt": code + ".", f"{field}__lt": code + "/"})


REGENCY_CODE_LENGTH = len("64.08")
_GLOB_SPECIAL = re.compile(r"([*?\[])")


def _name_contains(qs: QuerySet[Official], word: str) -> QuerySet[Official]:
    """`word` anywhere in the folded name. PostgreSQL: LIKE, served by the pg_trgm index
    (migration 0004). SQLite: GLOB '*word*' over the covering index official_name (name_folded
    is already lower-case and accent-free, so GLOB's case-sensitivity is what we want), which
    adds almost nothing to the index scan, where instr() doubled it and LIKE ... ESCAPE costs
    more still (docs/registry.md)."""
    if connection.vendor == "sqlite":
        pattern = "*" + _GLOB_SPECIAL.sub(r"[\1]", word) + "*"
        glob = Func(
            F("name_folded"),
            Value(pattern),
            function="",
            arg_joiner=" GLOB ",
            output_field=BooleanField(),
        )
        return qs.filter(glob)
    return qs.filter(name_folded__contains=word)


def _uses_fts(words: list[str], region: str = "") -> bool:
    """SQLite answers words of three letters or more from the FTS5 trigram index, unless the
    search is inside a regency or smaller: its officials are few enough that testing each
    name of the region's index range is faster than collecting every match in the country
    (measured: 'putri' in a regency of a million officials, docs/benchmarks.md)."""
    if len(region) >= REGENCY_CODE_LENGTH:
        return False
    return fts.is_active() and any(len(w) >= fts.MIN_TRIGRAM_WORD for w in words)


def _name_contains_all(
    qs: QuerySet[Official], words: list[str], region: str = ""
) -> QuerySet[Official]:
    """Every word anywhere in the folded name. On SQLite the words of three letters or more
    go to the FTS5 trigram index in one MATCH (registry/fts.py); shorter ones, which have no
    trigram, are tested with GLOB on the rows it returns."""
    if _uses_fts(words, region):
        long = [w for w in words if len(w) >= fts.MIN_TRIGRAM_WORD]
        qs = qs.filter(
            id__in=RawSQL(  # noqa: S611  the words are a bound parameter
                f"SELECT rowid FROM {fts.TABLE} WHERE {fts.TABLE} MATCH %s",  # noqa: S608
                [fts.match_expression(long)],
            )
        )
        words = [w for w in words if len(w) < fts.MIN_TRIGRAM_WORD]
    for word in words:
        qs = _name_contains(qs, word)
    return qs


def officials_filter(
    *, queryset: QuerySet[Official], filters: OfficialFilters
) -> QuerySet[Official]:
    qs = queryset
    query = filters.q.strip()[:100]
    if query and any(ch.isdigit() for ch in query) and _IDENTIFIER_RE.match(query):
        # NIP, NI PPPK, NIK or NRP: exact match on the unique indexes.
        # The NIK is encrypted: its blind index finds it (issue 14 pt 15).
        nik = Q(nik_hash=blind_index(query))
        qs = qs.filter(Q(nip=query) | Q(ni_pppk=query) | nik | Q(nrp=query))
    elif query:
        region = filters.region if REGION_CODE_RE.match(filters.region or "") else ""
        qs = _name_contains_all(qs, [w for w in fold(query).split(" ")[:5] if w], region)
    if filters.subject_type:
        qs = qs.filter(subject_type=filters.subject_type)
    if filters.region and REGION_CODE_RE.match(filters.region):
        if query and len(filters.region) == 2 and connection.vendor == "sqlite":
            # A whole province holds too many officials to fetch through the region index
            # before testing the name; the same condition written as substr() makes SQLite
            # scan the covering name index instead (measured: 116 ms -> see docs).
            qs = qs.alias(_province=Substr("region_id", 1, 2)).filter(_province=filters.region)
        else:
            qs = qs.filter(region_subtree_q(filters.region))
    if filters.agency_id is not None:
        qs = qs.filter(agency_id=filters.agency_id)
    return qs


def official_search(
    *,
    queryset: QuerySet[Official],
    filters: OfficialFilters,
    page: int = 1,
    per_page: int = OFFICIALS_PER_PAGE,
) -> OfficialPage:
    """One page of officials, in two steps that stay fast on millions of rows.

    1. the ids of the page, from the indexes only; 2. those rows with their agency/region.
    Browsing (no name typed) is alphabetical: an index scan of official_name or the region
    range. A name search is in registration order (id): alphabetical order would make a
    common name ('seno') walk most of the name index before the first match on PostgreSQL;
    docs/registry.md gives the measurements.
    """
    page = max(1, min(page, 10_000))
    qs = officials_filter(queryset=queryset, filters=filters)
    name_search = bool(filters.q.strip()) and not any(ch.isdigit() for ch in filters.q)
    words = [w for w in fold(filters.q.strip()[:100]).split(" ")[:5] if w]
    if (
        name_search
        and connection.vendor == "sqlite"
        and not _uses_fts(words, filters.region or "")
        and (filters.region or any(len(w) >= fts.MIN_TRIGRAM_WORD for w in words))
    ):
        # id + 0: sort the matches of the covering index scan instead of walking the table.
        ordered = qs.order_by(F("id") + 0)
    elif name_search and connection.vendor == "sqlite":
        # Only words of one or two letters, which no trigram serves: nearly every name holds
        # such a run ('an'), so walking the table in id order meets a page of matches within
        # a few dozen rows, where sorting every match costs a whole scan (docs/benchmarks.md).
        ordered = qs.order_by("id")
    elif name_search:
        ordered = qs.order_by("id")
    else:
        ordered = qs.order_by("name_folded", "id")
    start = (page - 1) * per_page
    ids = list(ordered.values_list("id", flat=True)[start : start + per_page + 1])
    rows = {
        o.pk: o
        for o in Official.objects.filter(pk__in=ids[:per_page]).select_related("agency", "region")
    }
    items = [rows[i] for i in ids[:per_page] if i in rows]
    return OfficialPage(items=items, number=page, has_next=len(ids) > per_page)


def official_profile(*, official: Official) -> dict[str, object]:
    """Everything known about one official, for the profile page."""
    return {
        "official": official,
        "region": region_with_ancestry(region=official.region),
        "social_accounts": list(official.social_accounts.order_by("platform", "handle")),
        "history": list(official.history.select_related("region").order_by("-valid_until")),
    }


# --- coverage: who is registered where -------------------------------------------------------

# The head of each kind of village (DOMAIN.md §1.4): a desa has a kepala desa, a kelurahan a lurah.
VILLAGE_HEAD = {"DESA": "KEPALA_DESA", "KELURAHAN": "LURAH"}


@dataclass
class CoverageRow:
    region: Region
    by_type: dict[str, int]
    villages: int  # desa + kelurahan under this region
    villages_with_head: int  # of those, how many have a registered kepala desa / lurah

    @property
    def total(self) -> int:
        return sum(self.by_type.values())

    @property
    def villages_without_head(self) -> int:
        return self.villages - self.villages_with_head


@dataclass
class CoverageReport:
    region: Region | None  # None = the whole country
    summary: CoverageRow | None
    rows: list[CoverageRow]  # one per direct child region
    types: list[str]  # subject types present, in SubjectType order
    at_region: dict[str, int]  # officials registered at `region` itself, not below it


def coverage_for_region(*, region: Region | None, officials: QuerySet[Official]) -> CoverageReport:
    """Officials by type for `region` and each child region, and village-head coverage.

    `officials` is the caller's scoped queryset (`officials_visible_to(user)`), so counts never
    leak beyond a jurisdiction. Declarations and dashboards build on this.
    """
    from django.db.models import Count
    from django.db.models.functions import Substr

    from netral.registry.models import SubjectType

    children = list(region_children(region=region).order_by("code"))
    scoped = officials.filter(region_subtree_q(region.code)) if region else officials
    child_len = len(children[0].code) if children else 0
    by_child: dict[str, dict[str, int]] = {c.code: {} for c in children}
    totals: dict[str, int] = {}
    grouped = (
        scoped.annotate(child=Substr("region_id", 1, child_len))
        .values_list("child", "subject_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for child, subject_type, n in grouped:
        totals[subject_type] = totals.get(subject_type, 0) + n
        if child in by_child:
            by_child[child][subject_type] = by_child[child].get(subject_type, 0) + n
    # Villages, and villages whose head is registered (counted per child region).
    villages = Region.objects.filter(level__in=list(VILLAGE_HEAD))
    if region is not None:
        villages = villages.filter(region_subtree_q(region.code, "code"))
    village_counts: dict[str, int] = {}
    for child, n in (
        villages.annotate(child=Substr("code", 1, child_len))
        .values("child")
        .annotate(n=Count("code"))
        .values_list("child", "n")
        .order_by()
    ):
        village_counts[child] = n
    headed: dict[str, int] = {}
    head_q = Q()
    for level, head_type in VILLAGE_HEAD.items():
        head_q |= Q(subject_type=head_type, region__level=level)
    for child, n in (
        scoped.filter(head_q)
        .annotate(child=Substr("region_id", 1, child_len))
        .values("child")
        .annotate(n=Count("region_id", distinct=True))
        .values_list("child", "n")
        .order_by()
    ):
        headed[child] = n
    rows = [
        CoverageRow(c, by_child[c.code], village_counts.get(c.code, 0), headed.get(c.code, 0))
        for c in children
    ]
    summary = None
    if region is not None:
        summary = CoverageRow(region, totals, sum(village_counts.values()), sum(headed.values()))
        if not children:  # a village: it is its own row
            is_village = region.level in VILLAGE_HEAD
            has_head = scoped.filter(subject_type=VILLAGE_HEAD.get(region.level, "")).exists()
            summary.villages = int(is_village)
            summary.villages_with_head = int(is_village and has_head)
    types = [t.value for t in SubjectType if totals.get(t.value)]
    at_region = {t: n - sum(r.by_type.get(t, 0) for r in rows) for t, n in totals.items()}
    return CoverageReport(
        region=region,
        summary=summary,
        rows=rows,
        types=types,
        at_region={t: n for t, n in at_region.items() if n},
    )
