"""Evaluation metrics for the rakor dashboard (DOMAIN.md §12, last paragraph).

Every number here is aggregated over the `*_visible_to(user)` list functions of
netral/accounts/access.py, never over `Model.objects.all()` (STYLE.md §1.5), and then
narrowed to the chosen scope (a region inside the user's jurisdiction), election event and
period. One call, `dashboard_build`, feeds the page, the report PDF and the XLSX.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.accounts import access
from netral.elections.models import ElectionEvent
from netral.registry.models import Official, PositionCategory, Region, RegionLevel, SubjectType
from netral.registry.selectors import region_get, region_with_ancestry

from .tables import Chart, Dashboard, Figure, Table, UnitRow, rate

if TYPE_CHECKING:
    from netral.accounts.access import AnyUser

# Code length of the units one level below a scope of the given code length (DOMAIN.md §10).
_CHILD_LEN = {0: 2, 2: 5, 5: 8, 8: 13}
_LEVEL_BY_LEN = {
    2: RegionLevel.PROVINSI,
    5: RegionLevel.KABKOTA,
    8: RegionLevel.KECAMATAN,
    13: "DESA_KELURAHAN",
}
TOP_AGENCIES = 15


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
        """Rows whose region code `field` lies inside the scope."""
        if self.code is None:
            return Q()
        return Q(**{field: self.code}) | Q(**{f"{field}__startswith": self.code + "."})


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
    return Scope(code=region.code, name=region.short_name, units=units, unit_len=unit_len)


def _by_unit(qs: QuerySet[Any], field: str, scope: Scope) -> Counter[str]:
    """Row counts per child unit of `scope`, keyed by unit code; rows registered at the scope's
    own level (shorter codes) are counted under the scope's code."""
    counts: Counter[str] = Counter()
    lengths = {scope.unit_len} if scope.unit_len else {len(u.code) for u in scope.units}
    unit_codes = {u.code for u in scope.units}
    for length in lengths:
        rows = (
            qs.annotate(_unit=Substr(field, 1, length))
            .values_list("_unit")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for unit, n in rows:
            key = unit if unit in unit_codes else (scope.code or unit)
            counts[key] += n
        if scope.unit_len:
            break
    return counts


def _officials_visible_to(user: AnyUser) -> QuerySet[Official]:
    # TODO(registry): use access.officials_visible_to(user) once the registry commits it;
    # until then the same jurisdiction rule, from access.region_q.
    if not access.has_perm(user, access.Perm.VIEW):
        return Official.objects.none()
    return Official.objects.filter(access.region_q(user, "region__code"))


def _officials(user: AnyUser, scope: Scope) -> QuerySet[Official]:
    return _officials_visible_to(user).filter(scope.q("region__code"), is_active=True)


def dashboard_build(*, user: AnyUser, filters: DashboardFilters) -> Dashboard:
    scope = scope_resolve(user=user, region_code=filters.region_code)
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
    )
    officials = _officials(user, scope)

    # Per child unit: officials (the denominator of every "per 1.000" rate).
    per_unit = _by_unit(officials, "region_id", scope)
    units = [
        UnitRow(code=u.code, name=u.short_name, officials=per_unit.get(u.code, 0))
        for u in scope.units
    ]
    if scope.code and per_unit.get(scope.code):
        units.append(
            UnitRow(
                code=scope.code,
                name=_("%(scope)s (tingkat ini)") % {"scope": scope.name},
                officials=per_unit[scope.code],
            )
        )
    dashboard.units = units
    total_officials = sum(u.officials for u in units)

    dashboard.figures.append(Figure("officials", _("Pejabat terdaftar"), total_officials))
    dashboard.tables.append(_region_table(units))
    dashboard.tables.append(_officials_by_type(officials))
    dashboard.tables.append(_officials_by_category(officials))
    dashboard.tables.append(_officials_by_agency(officials))
    dashboard.gaps.append(
        _(
            "Metrik penanganan perkara (DOMAIN.md §12) dan cakupan ikrar belum tersedia: "
            "modul perkara dan deklarasi belum terpasang."
        )
    )
    return dashboard


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


def _officials_by_type(officials: QuerySet[Any]) -> Table:
    counts = dict(officials.values_list("subject_type").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    rows: list[list[object]] = []
    for choice in SubjectType:
        n = counts.get(choice.value, 0)
        if n:
            rows.append([str(choice.label), n, rate(n, total)])
    return Table(
        key="officials_by_type",
        title=_("Pejabat per jenis subjek"),
        columns=[_("Jenis subjek"), _("Pejabat"), _("Porsi (%)")],
        rows=rows,  # type: ignore[arg-type]
        chart=Chart("doughnut", 0, (1,)),
    )


def _officials_by_category(officials: QuerySet[Any]) -> Table:
    counts = dict(officials.values_list("position_category").annotate(n=Count("pk")).order_by())
    rows: list[list[object]] = []
    for choice in PositionCategory:
        n = counts.get(choice.value, 0)
        if n:
            rows.append([str(choice.label), n])
    if counts.get(""):
        rows.append([_("Tanpa kategori"), counts[""]])
    return Table(
        key="officials_by_category",
        title=_("Pejabat per kategori jabatan"),
        columns=[_("Kategori jabatan"), _("Pejabat")],
        rows=rows,  # type: ignore[arg-type]
        chart=Chart("bar", 0, (1,)),
    )


def _officials_by_agency(officials: QuerySet[Any]) -> Table:
    rows = list(
        officials.exclude(agency__isnull=True)
        .values_list("agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency__name")[:TOP_AGENCIES]
    )
    return Table(
        key="officials_by_agency",
        title=_("Pejabat per instansi (%(n)s terbanyak)") % {"n": TOP_AGENCIES},
        columns=[_("Instansi"), _("Pejabat")],
        rows=[[name, n] for name, n in rows],
        chart=None,
    )
