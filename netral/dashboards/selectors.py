"""Evaluation metrics for the rakor dashboard (DOMAIN.md §12, last paragraph).

Every number here is aggregated over the `*_visible_to(user)` list functions of
netral/accounts/access.py, never over `Model.objects.all()` (STYLE.md §1.5), and then
narrowed to the chosen scope (a region inside the user's jurisdiction), election event and
period. One call, `dashboard_build`, feeds the page, the report PDF and the XLSX.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from netral.accounts import access
from netral.core.zones import viewer_unit_code
from netral.elections.models import ElectionEvent
from netral.registry.models import (
    Official,
    PositionCategory,
    Region,
    RegionLevel,
    SubjectType,
)
from netral.registry.selectors import region_get, region_with_ancestry

from .case_metrics import (
    case_section,
    local_days_in,
    period_plan,
    reads_rollups,
    registry_tallies_apply,
    tallies_in_scope,
)
from .models import OfficialTally
from .prevention import prevention_section, signature_counts
from .tables import Cell, Chart, Dashboard, Figure, Table, UnitRow, rate

if TYPE_CHECKING:
    from netral.accounts.access import AnyUser
    from netral.declarations.models import Signature

# Code length of the units one level below a scope of the given code length (DOMAIN.md §10).
_CHILD_LEN = {0: 2, 2: 5, 5: 8, 8: 13}
_LEVEL_BY_LEN = {
    2: RegionLevel.PROVINSI,
    5: RegionLevel.KABKOTA,
    8: RegionLevel.KECAMATAN,
    13: "DESA_KELURAHAN",
}


@dataclass(frozen=True)
class DashboardFilters:
    region_code: str | None = None  # None: the user's own jurisdiction
    event: ElectionEvent | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class Scope:
    code: str | None  # None: national (or several roots)
    name: str
    units: list[Region]  # the child units, in code order
    unit_len: int  # code length of the units (2, 5, 8 or 13); 0 when mixed

    def q(self, field: str) -> Q:
        """Rows whose region code `field` lies inside the scope: the code itself and its
        descendants ("64.08.…"), as ONE index range '64.08' <= x < '64.08/'.

        Kemendagri codes hold only digits and dots, and '.' sorts right before '/' in
        byte order (C collation, SQLite BINARY), so the range holds exactly the subtree.
        One range (rather than `code = x OR x in the range`, registry's
        region_subtree_q) lets PostgreSQL answer from the covering indexes of migration
        dashboards 0001 (an index-only scan; an OR becomes a bitmap scan of the rows).
        """
        if self.code is None:
            return Q()
        return Q(**{f"{field}__gte": self.code, f"{field}__lt": self.code + "/"})


def scope_resolve(*, user: AnyUser, region_code: str | None) -> Scope:
    """The scope to aggregate: a region the user covers (404 otherwise) or the user's own roots."""
    if region_code:
        region = region_get(code=region_code)
        if region is None or not access.covers(user, region.code):
            raise Http404
        return _scope_of(region)
    if not access.has_perm(user, access.Perm.VIEW):
        raise Http404
    roots = list(access.regions_managed_by(user).order_by("code"))
    if access.jurisdiction_codes(user) is not access.NATIONAL and len(roots) == 1:
        return _scope_of(roots[0])
    lengths = {len(r.code) for r in roots}
    return Scope(
        code=None,
        name=_("Nasional")
        if access.jurisdiction_codes(user) is access.NATIONAL
        else _("Seluruh yurisdiksi"),
        units=roots,
        unit_len=lengths.pop() if len(lengths) == 1 else 0,
    )


def _scope_of(region: Region) -> Scope:
    unit_len = _CHILD_LEN.get(len(region.code), 0)
    units = list(Region.objects.filter(parent=region).order_by("code")) if unit_len else []
    if not units:  # a desa/kelurahan (or a leaf): the scope is its own single unit
        return Scope(
            code=region.code, name=region.short_name, units=[region], unit_len=len(region.code)
        )
    return Scope(code=region.code, name=region.short_name, units=units, unit_len=unit_len)


def unit_groups(
    qs: QuerySet[Any],
    scope: Scope,
    *fields: str,
    region_field: str = "region_id",
    **aggregates: Any,
) -> dict[tuple[Any, ...], list[int]]:
    """Aggregates per (child unit of `scope`, *fields) in ONE grouped scan of `qs`.

    `aggregates` default to a row count. Rows registered at the scope's own level (shorter
    codes) count under the scope's code; rows outside every unit are dropped. One scan
    instead of one per breakdown (docs/benchmarks.md has the timings).
    """
    aggregates = aggregates or {"n": Count("pk")}
    out: dict[tuple[Any, ...], list[int]] = {}
    lengths = {scope.unit_len} if scope.unit_len else {len(u.code) for u in scope.units}
    unit_codes = {u.code for u in scope.units}
    for length in sorted(lengths):
        rows = (
            qs.annotate(_unit=Substr(region_field, 1, length))
            .values_list("_unit", *fields)
            .annotate(**aggregates)
            .order_by()
        )
        width = 1 + len(fields)
        for row in rows:
            unit, keys, values = row[0], row[1:width], row[width:]
            if unit not in unit_codes:
                if scope.code is None or length != scope.unit_len:
                    continue
                unit = scope.code
            total = out.setdefault((unit, *keys), [0] * len(values))
            for i, value in enumerate(values):
                total[i] += value or 0
    return out


def _cube(
    qs: QuerySet[Any],
    scope: Scope,
    *fields: str,
    region_field: str = "region_id",
    **aggregates: Any,
) -> Counter[tuple[str, ...]]:
    """Row counts (or the one aggregate given) per (child unit of `scope`, *fields)."""
    groups = unit_groups(qs, scope, *fields, region_field=region_field, **aggregates)
    return Counter({key: values[0] for key, values in groups.items()})


def _marginal(cube: Counter[tuple[str, ...]], index: int) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, n in cube.items():
        out[key[index]] += n
    return out


def officials_in_scope(
    *, user: AnyUser, scope: Scope, active_only: bool = True
) -> QuerySet[Official]:
    qs = access.officials_visible_to(user, within=scope.code)
    return qs.filter(is_active=True) if active_only else qs


def signatures_in_scope(*, user: AnyUser, filters: DashboardFilters) -> QuerySet[Signature]:
    """Active (not revoked) signatures the user may see, of the chosen event and period."""
    sigs = access.signatures_visible_to(user).filter(revoked_at__isnull=True)
    if filters.event is not None:
        sigs = sigs.filter(event__election_event=filters.event)
    # the local days of the event's region (WIB, WITA or WIT), not the viewer's
    end = filters.date_to + dt.timedelta(days=1) if filters.date_to else None
    return local_days_in(sigs, "signed_at", "event__region_id", filters.date_from, end)


def dashboard_build(*, user: AnyUser, filters: DashboardFilters) -> Dashboard:
    """The dashboard of `filters` within the user's jurisdiction (404 outside it).

    With NETRAL_DASHBOARD_CACHE_SECONDS > 0 a computed dashboard is kept that long and
    shared by everyone with the same jurisdiction, filters and language; the page shows
    when it was computed. The scope check above the cache runs on every call.
    """
    scope = scope_resolve(user=user, region_code=filters.region_code)
    seconds = int(settings.NETRAL_DASHBOARD_CACHE_SECONDS)
    if seconds <= 0:
        return _dashboard_compute_tuned(user=user, filters=filters, scope=scope)
    key = _cache_key(user, filters, scope)
    cached: Dashboard | None = cache.get(key)
    if cached is None:
        cached = _dashboard_compute_tuned(user=user, filters=filters, scope=scope)
        cache.set(key, cached, seconds)
    return cached


def _dashboard_compute_tuned(
    *, user: AnyUser, filters: DashboardFilters, scope: Scope
) -> Dashboard:
    """`_dashboard_compute` in one read transaction; on PostgreSQL with the session's
    `work_mem` raised for that transaction only (NETRAL_DASHBOARD_WORK_MEM).

    The grouped queries over a million cases and reported persons hash-join and hash-group
    a million rows; under the default 4 MB PostgreSQL splits the hash joins into batches
    and sorts the groups on disk (EXPLAIN ANALYZE in docs/benchmarks.md, "dashboards").
    `set_config(..., true)` is SET LOCAL: it ends with the transaction, and it is set back
    right after the build in case a caller's transaction goes on (ATOMIC_REQUESTS).
    """
    work_mem = str(settings.NETRAL_DASHBOARD_WORK_MEM)
    with transaction.atomic():
        if connection.vendor != "postgresql" or not work_mem:
            return _dashboard_compute(user=user, filters=filters, scope=scope)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)",
                [work_mem],
            )
            previous = cursor.fetchone()[0]
        # On an error the atomic block's rollback undoes the SET LOCAL as well.
        dashboard = _dashboard_compute(user=user, filters=filters, scope=scope)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])
        return dashboard


def _cache_key(user: AnyUser, filters: DashboardFilters, scope: Scope) -> str:
    codes = access.jurisdiction_codes(user)
    parts = [
        "NATIONAL" if codes is access.NATIONAL else ",".join(sorted(codes)),
        scope.code or "",
        str(filters.event.pk if filters.event else ""),
        str(filters.date_from or ""),
        str(filters.date_to or ""),
        get_language() or "",
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"netral:dashboard:v1:{digest}"


def _zone_code(user: AnyUser, scope: Scope) -> str | None:
    """The region whose zone a dashboard's times are in: the chosen scope, else the viewer's
    own unit (their first jurisdiction root); national viewers: Bawaslu RI, WIB."""
    return scope.code or viewer_unit_code(user)


def _dashboard_compute(*, user: AnyUser, filters: DashboardFilters, scope: Scope) -> Dashboard:
    event = filters.event
    dashboard = Dashboard(
        scope_code=scope.code,
        scope_name=scope.name,
        child_level=_LEVEL_BY_LEN.get(scope.unit_len, ""),
        event_id=event.pk if event else None,
        event_name=event.name if event else _("Semua pemilihan"),
        date_from=filters.date_from,
        date_to=filters.date_to,
        generated_at=timezone.now(),
        breadcrumbs=_breadcrumbs(user, scope),
        zone_code=_zone_code(user, scope),
    )
    officials = officials_in_scope(user=user, scope=scope)
    signatures = signatures_in_scope(user=user, filters=filters)
    # A kabupaten/kota or larger: the registry's counts from the tallies, whatever the
    # period; the cases' of the period's whole months too, its partial months' from the rows
    # (case_metrics.period_plan).
    registry_tallied = registry_tallies_apply(scope=scope)
    plan = period_plan(filters=filters, tallies_apply=registry_tallied)
    dashboard.tallied = plan.only_tallies

    section = case_section(
        user=user,
        scope=scope,
        filters=filters,
        group_by_unit=lambda qs, *fields, **kw: unit_groups(qs, scope, *fields, **kw),
        plan=plan,
    )
    # Per child unit: officials are the denominator of every "per 1.000" rate.
    breakdown = ("subject_type", "position_category")
    if registry_tallied:
        official_tallies = tallies_in_scope(OfficialTally, user=user, scope=scope, filters=None)
        officials_cube = _cube(
            official_tallies, scope, *breakdown, region_field="unit", total=Sum("n")
        )
    else:
        officials_cube = _cube(officials, scope, *breakdown)
    # Pledge coverage: officials of the scope with at least one active signature the user
    # may see (DOMAIN.md §9: signing is practice, not a statutory duty; coverage is a
    # prevention indicator, not a compliance rate).
    # Counted from the signatures, each official once, with the condition on the signature's
    # own official: as `official__in=<the scope's officials>`, PostgreSQL read the regency's
    # 9,455 officials, scattered over 5,000,000 rows, to find the 937 who signed (issue 15).
    official_in_scope = access.officials_visible_q(
        user, within=scope.code, prefix="official__"
    ) & Q(official__is_active=True)
    pledged_cube = _cube(
        signatures.filter(official_in_scope),
        scope,
        *(f"official__{field}" for field in breakdown),
        region_field="official__region_id",
        n=Count("official_id", distinct=True),
    )
    signature_tally = signature_counts(signatures, scope)
    per_unit = _marginal(officials_cube, 0)
    pledged_unit = _marginal(pledged_cube, 0)
    units = [
        UnitRow(
            code=u.code,
            name=u.short_name,
            officials=per_unit.get(u.code, 0),
            pledged=pledged_unit.get(u.code, 0),
        )
        for u in scope.units
    ]
    at_scope_level = per_unit.get(scope.code or "") or section.per_unit.get(scope.code or "")
    if scope.code and scope.code not in {u.code for u in scope.units} and at_scope_level:
        units.append(
            UnitRow(
                code=scope.code,
                name=_("%(scope)s (tingkat ini)") % {"scope": scope.name},
                officials=per_unit[scope.code],
                pledged=pledged_unit.get(scope.code, 0),
            )
        )
    for unit in units:
        unit.cases = section.per_unit.get(unit.code, 0)
    dashboard.units = units
    total_officials = sum(u.officials for u in units)
    total_pledged = sum(u.pledged for u in units)
    total_cases = sum(u.cases for u in units)

    dashboard.figures += [
        Figure("officials", _("Pejabat terdaftar"), total_officials),
        Figure("pledged", _("Pejabat berikrar"), total_pledged),
        Figure(
            "pledge_coverage",
            _("Cakupan ikrar"),
            rate(total_pledged, total_officials),
            " %",
            (total_pledged, total_officials),
        ),
        *section.figures,
        Figure(
            "cases_per_1000",
            _("Perkara per 1.000 pejabat"),
            rate(total_cases, total_officials, per=1000),
            "",
            (total_cases, total_officials),
        ),
    ]
    type_officials = _marginal(officials_cube, 1)
    type_pledged = _marginal(pledged_cube, 1)
    cat_officials = _marginal(officials_cube, 2)
    cat_pledged = _marginal(pledged_cube, 2)
    dashboard.tables += [
        _region_table(units),
        _breakdown_table(
            "by_subject_type",
            _("Per jenis subjek"),
            _("Jenis subjek"),
            [(c.value, str(c.label)) for c in SubjectType],
            type_officials,
            type_pledged,
            section.by_subject_type,
        ),
        _breakdown_table(
            "by_position_category",
            _("Per kategori jabatan"),
            _("Kategori jabatan"),
            [*((c.value, str(c.label)) for c in PositionCategory), ("", _("Tanpa kategori"))],
            cat_officials,
            cat_pledged,
            section.by_position_category,
        ),
        *section.tables,
        _signatures_trend(signature_tally.by_month),
        _patrol_table(user, scope, filters, tallied=registry_tallied),
    ]
    # Prevention beside handling, so a rakor can be prepared from one report (issue 13 §19).
    prevention_figures, prevention_tables = prevention_section(
        user=user,
        scope=scope,
        filters=filters,
        official_in_scope=official_in_scope,
        signatures=signatures,
        counts=signature_tally,
        officials_by_type=type_officials,  # from the official tally where it applies
        signed_by_type=type_pledged,
    )
    dashboard.figures += prevention_figures
    dashboard.tables += prevention_tables
    return dashboard


def _patrol_table(
    user: AnyUser, scope: Scope, filters: DashboardFilters, *, tallied: bool = False
) -> Table:
    """Patroli siber coverage per unit (netral/patrol, issue 16 point 7). The accounts
    registered (every visible account, whatever the scope: the total row counts them all)
    come from the account tally when the dashboard reads the tallies: counting the
    registry's accounts per region took 3.7 s at 5,000,000 officials (issue 15)."""
    from netral.patrol.selectors import coverage_table

    from .models import AccountTally, AccountTallyNational

    root = region_get(code=scope.code) if scope.code else None
    registered = None
    if tallied:  # units of a kabupaten/kota or larger: a kecamatan code finds its unit
        national = reads_rollups(user=user, scope=scope)
        rows = access.tallies_visible_to(user, AccountTallyNational if national else AccountTally)
        if scope.code is not None:
            # the scope's kecamatan one by one, every other account in one sum (no unit:
            # the total row only), not the country's 7,800 kecamatan rows
            inside = Q(unit=scope.code) | Q(unit__startswith=scope.code + ".")
            rows = rows.annotate(
                unit_in=Case(When(inside, then=F("unit")), default=Value(None))
            ).values("unit_in")
            registered = list(rows.values_list("unit_in").annotate(n=Sum("n")).order_by())
        else:
            registered = list(rows.values_list("unit").annotate(n=Sum("n")).order_by())
    table: Table = coverage_table(
        root=root,
        accounts=access.social_accounts_visible_to(user),
        captures=access.captures_visible_to(user),
        start=filters.date_from,
        end=filters.date_to,
        registered=registered,
    )
    return table


def _breadcrumbs(user: AnyUser, scope: Scope) -> list[tuple[str | None, str]]:
    crumbs: list[tuple[str | None, str]] = [
        (
            None,
            _("Nasional")
            if access.jurisdiction_codes(user) is access.NATIONAL
            else _("Yurisdiksi saya"),
        )
    ]
    if scope.code:
        region = region_get(code=scope.code)
        if region is not None:
            chain = region_with_ancestry(region=region)
            for ancestor in chain.ancestors:
                if access.covers(user, ancestor.code):
                    crumbs.append((ancestor.code, ancestor.short_name))
            crumbs.append((region.code, region.short_name))
    return crumbs


def _region_table(units: list[UnitRow]) -> Table:
    return Table(
        key="by_region",
        title=_("Per wilayah"),
        columns=[
            _("Kode"),
            _("Wilayah"),
            _("Pejabat"),
            _("Perkara"),
            _("Perkara per 1.000 pejabat"),
            _("Pejabat berikrar"),
            _("Cakupan ikrar (%)"),
        ],
        rows=[
            [u.code, u.name, u.officials, u.cases, u.cases_per_1000, u.pledged, u.pledge_coverage]
            for u in units
        ],
        chart=Chart("hbar", 1, (2,)),
    )


def _breakdown_table(
    key: str,
    title: str,
    label: str,
    choices: list[tuple[str, str]],
    officials: Counter[str],
    pledged: Counter[str],
    reported: Counter[str],
) -> Table:
    rows: list[list[Cell]] = []
    for value, name in choices:
        n, p, r = officials.get(value, 0), pledged.get(value, 0), reported.get(value, 0)
        if n or p or r:
            rows.append([name, n, p, rate(p, n), r, rate(r, n, per=1000)])
    return Table(
        key=key,
        title=title,
        columns=[
            label,
            _("Pejabat"),
            _("Pejabat berikrar"),
            _("Cakupan ikrar (%)"),
            _("Terlapor"),
            _("Terlapor per 1.000 pejabat"),
        ],
        rows=rows,
        chart=Chart("hbar", 0, (1, 2, 4)),
    )


def _signatures_trend(by_month: Counter[dt.date]) -> Table:
    """Pledge signatures per local month, by the signer's place (the official's region, else
    the event's region): `prevention.signature_counts`."""
    return Table(
        key="signatures_by_month",
        title=_("Tanda tangan ikrar per bulan"),
        columns=[_("Bulan"), _("Tanda tangan")],
        rows=[[month.strftime("%Y-%m"), by_month[month]] for month in sorted(by_month)],
        chart=Chart("line", 0, (1,)),
    )
