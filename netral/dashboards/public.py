"""The public transparency page (/transparansi/): national aggregates per election event.

Built from the same `dashboard_build` as the officer dashboard, through the read-only
national reader that accounts/access.py grants for this page, then reduced to aggregate
tables only (no agency names, no rows about persons) with small cells suppressed: a count
between 1 and NETRAL_TRANSPARENCY_MIN_COUNT - 1 is shown as "< k", and every rate computed
from a suppressed count is withheld too, so it cannot be recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from netral.accounts import access
from netral.elections.models import ElectionEvent

from .forms import MAP_METRICS
from .selectors import DashboardFilters, dashboard_build
from .tables import Cell, Dashboard, Figure, Table, UnitRow

# Tables that carry only aggregate counts (never names) and may be published.
PUBLIC_TABLES = (
    "by_region",
    "by_subject_type",
    "by_position_category",
    "signatures_by_month",
    "cases_by_origin",
    "cases_by_status",
    "cases_by_violation",
    "cases_by_skb_code",
    "sanctions_by_type",
)
# Map metrics of the public page: rates only (public_map_units suppresses their numerators);
# the raw count of officials per unit is an officer figure.
PUBLIC_METRICS = [m for m in MAP_METRICS if m[0] != "officials"]
# Columns holding a rate, and the count columns it is computed from (by table).
_RATE_SOURCES: dict[str, dict[int, tuple[int, ...]]] = {
    "by_region": {4: (2, 3), 6: (2, 5)},
    "cases_by_origin": {3: (1, 2)},
    "cases_by_violation": {2: (1,)},
    "cases_by_skb_code": {2: (1,)},
    "recommendations_by_status": {2: (1,)},
    "sanctions_by_type": {3: (2,)},
    "by_subject_type": {3: (1, 2), 5: (1, 4)},
    "by_position_category": {3: (1, 2), 5: (1, 4)},
}
# Columns that are not counts (labels, codes, rates) and are never suppressed as counts.
_LABEL_COLUMNS = {"by_region": {0, 1}, "sanctions_by_type": {0, 1}}


def min_count() -> int:
    return int(settings.NETRAL_TRANSPARENCY_MIN_COUNT)


def suppress(value: Cell, k: int) -> Cell:
    """A count that could point at a person (1 .. k-1) becomes "< k"; 0 and >= k stay."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < k:
        return f"< {k}"
    return value


def _suppressed(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith("<")


def suppress_table(table: Table, k: int) -> Table:
    rates = _RATE_SOURCES.get(table.key, {})
    labels = _LABEL_COLUMNS.get(table.key, {0})
    rows: list[list[Cell]] = []
    for row in table.rows:
        new = [c if i in labels or i in rates else suppress(c, k) for i, c in enumerate(row)]
        for col, sources in rates.items():
            if any(_suppressed(new[s]) for s in sources):
                new[col] = None  # withheld: it would reveal the suppressed count
        rows.append(new)
    return replace(
        table,
        rows=rows,
        note=_(
            'Angka 1 sampai %(k1)s ditampilkan sebagai "< %(k)s" agar tidak menunjuk orang '
            "tertentu; rasio dari angka itu tidak ditampilkan."
        )
        % {"k": k, "k1": k - 1},
    )


def _suppress_figure(figure: Figure, k: int) -> Figure:
    """A count below k becomes "< k"; a rate whose numerator or denominator is below k
    is withheld (None), as it would give the small count away."""
    if figure.basis is not None:
        small = any(0 < n < k for n in figure.basis)
        return replace(figure, value=None if small else figure.value)
    return replace(figure, value=suppress(figure.value, k))


@dataclass
class PublicPage:
    event: ElectionEvent | None
    dashboard: Dashboard
    min_count: int
    map_units: list[UnitRow] = field(default_factory=list)


def transparency_build(
    *, event: ElectionEvent | None, region_code: str | None = None
) -> PublicPage:
    """National figures (or one province's kabupaten/kota) for `event`, suppressed.

    The page is public and the national aggregation is the most expensive one, so the
    result is kept NETRAL_TRANSPARENCY_CACHE_SECONDS (default 300): anonymous traffic
    cannot make the database recompute it on every request.
    """
    if region_code is not None and len(region_code) != 2:
        region_code = None  # the public page stops at kabupaten/kota
    k = min_count()
    seconds = int(settings.NETRAL_TRANSPARENCY_CACHE_SECONDS)
    key = f"netral:transparency:v1:{event.pk if event else ''}:{region_code or ''}:{k}:" + (
        get_language() or ""
    )
    cached: PublicPage | None = cache.get(key) if seconds > 0 else None
    if cached is None:
        cached = _transparency_compute(event=event, region_code=region_code, k=k)
        if seconds > 0:
            cache.set(key, cached, seconds)
    return cached


def _transparency_compute(
    *, event: ElectionEvent | None, region_code: str | None, k: int
) -> PublicPage:
    dash = dashboard_build(
        user=access.public_statistics_reader(),
        filters=DashboardFilters(event=event, region_code=region_code),
    )
    public = replace(
        dash,
        figures=[_suppress_figure(f, k) for f in dash.figures],
        tables=[suppress_table(t, k) for t in dash.tables if t.key in PUBLIC_TABLES],
        breadcrumbs=[],
        gaps=[],
    )
    return PublicPage(
        event=event,
        dashboard=public,
        min_count=k,
        map_units=[u for u in dash.units if u.code != dash.scope_code],
    )


def public_map_units(page: PublicPage, metric: str) -> list[UnitRow]:
    """Map units for `metric`; a unit whose numerator is suppressed gets no colour (its
    rate is withheld: the denominator is blanked so the rate reads "no data")."""
    k = page.min_count
    numerator = {"pledge_coverage": "pledged", "cases_per_1000": "cases"}[metric]
    return [replace(u, officials=0) if 0 < getattr(u, numerator) < k else u for u in page.map_units]
