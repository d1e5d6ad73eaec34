"""Case-handling metrics of the evaluation dashboard (DOMAIN.md §12, last paragraph):
counts by origin, registration rate, qualification mix, proven rate, recommendation
follow-up rate, sanction mix, time to decision against the deadline, overdue items; by
region, subject type, position category, agency and SKB code; and the monthly trend.

Everything starts from `access.cases_visible_to(user)`; recommendations, sanctions and
reported persons are reached only through those cases. A case belongs to the place of the
incident (`incident_region`) for the regional breakdown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import connection, models
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.accounts import access
from netral.accounts.access import TallyT
from netral.cases.deadlines import compute_due
from netral.cases.models import (
    CLOSED_STATUSES,
    FOLLOW_UP_TERMINAL,
    Anchor,
    Case,
    DeadlineRule,
    DeadlineStep,
    FollowUp,
    Holiday,
    Origin,
    PersonFinding,
    Recommendation,
    ReportedPerson,
    Sanction,
    SanctionLevel,
    SanctionType,
    SkbCode,
    Status,
    ViolationType,
)
from netral.core.zones import WIB, WIT, ZONES, day_start, zone_case
from netral.dashboards.models import (
    AccountTally,
    AccountTallyNational,
    AgencyMonthTallyNational,
    AgencyTallyNational,
    CaseTally,
    CaseTallyNational,
    CodeTally,
    CodeTallyNational,
    DecisionTally,
    DecisionTallyNational,
    DueTally,
    DueTallyNational,
    OfficialTally,
    OfficialTallyNational,
    PersonTally,
    PersonTallyNational,
)
from netral.dashboards.tallies import ROLLUP_UNIT_LEN, tallies_current
from netral.registry.models import Agency, PositionCategory, SubjectType

from .tables import Cell, Chart, Figure, Table, rate

if TYPE_CHECKING:
    from netral.accounts.access import AnyUser

    from .selectors import DashboardFilters, Scope

# A public draft is not legally received yet (DOMAIN.md §1.5: the "diterima" moment is
# when the competent unit receives it), so it is not a case for the evaluation.
NOT_YET_CASES = (Status.DRAFT_PUBLIK,)
# Recommendations the competent body has answered (DOMAIN.md §6.3 terminal buckets).
ANSWERED = FOLLOW_UP_TERMINAL


@dataclass
class CaseSection:
    per_unit: Counter[str] = field(default_factory=Counter)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    by_subject_type: Counter[str] = field(default_factory=Counter)
    by_position_category: Counter[str] = field(default_factory=Counter)


def cases_in_scope(
    *, user: AnyUser, scope: Scope, filters: DashboardFilters, by_prefix: bool = False
) -> QuerySet[Case]:
    """Cases the user may see whose place of incident lies in the scope (or, for a scope of
    several roots, in one of them), of the event and period.

    The period applies to the date the case was received (laporan) or created (temuan,
    informasi awal). `by_prefix` compares the code's prefix instead of an index range, for
    a query that must be driven by another index (SQLite otherwise scans the scope's range
    of the place-of-incident index: 42 ms for a regency's 151,257 cases).
    """
    qs = access.cases_visible_to(user).exclude(status__in=NOT_YET_CASES)
    if scope.code is not None and by_prefix:
        qs = qs.alias(_prefix=Substr("incident_region_id", 1, len(scope.code))).filter(
            _prefix=scope.code
        )
    elif scope.code is not None:
        qs = qs.filter(scope.q("incident_region_id"))
    elif access.jurisdiction_codes(user) is not access.NATIONAL:
        # visible also covers cases only handled here; the dashboard counts by place
        in_roots = Q(pk__in=[])
        for unit in scope.units:
            in_roots |= Q(incident_region_id__gte=unit.code, incident_region_id__lt=unit.code + "/")
        qs = qs.filter(in_roots)
    if filters.event is not None:
        qs = qs.filter(election_event=filters.event)
    return _in_periods(qs, [filters])


def _in_periods(qs: QuerySet[Case], periods: list[DashboardFilters]) -> QuerySet[Case]:
    """The cases received (or created) on a local day of any of `periods` (their dates)."""
    spans = [
        (f.date_from, f.date_to + dt.timedelta(days=1) if f.date_to else None) for f in periods
    ]
    if any(start is None and end is None for start, end in spans):
        return qs
    # Local days as a range of instants, not `__date` (SQLite would call a Python function
    # per row: 0.4 s over 100,000 cases); each case's days are its handling unit's (WIB,
    # WITA or WIT, as the tallies count them).
    qs = qs.annotate(_at=Coalesce("received_at", "created_at", output_field=DateTimeField()))
    return local_days_within(qs, "_at", CASE_ZONE_FIELD, spans)


def cases_in_periods(
    *, user: AnyUser, scope: Scope, periods: tuple[DashboardFilters, ...]
) -> QuerySet[Case]:
    """`cases_in_scope` for any of several periods of the same event (`PeriodPlan.rows`)."""
    if len(periods) == 1:
        return cases_in_scope(user=user, scope=scope, filters=periods[0])
    every_day = replace(periods[0], date_from=None, date_to=None)
    return _in_periods(cases_in_scope(user=user, scope=scope, filters=every_day), list(periods))


def registry_tallies_apply(*, scope: Scope) -> bool:
    """Whether the registry's counts of this dashboard (officials and their social accounts,
    per unit) can be read from the tallies: a kabupaten/kota or larger (the tallies are cut
    to kecamatan). Those counts are not dated, so any period may: a national view of a
    period that cuts a month read 5,000,000 officials and their accounts from the rows for
    them (4.7 of its 7.1 s, issue 15)."""
    if not settings.NETRAL_DASHBOARD_TALLIES or not scope.units:
        return False
    if max(len(u.code) for u in scope.units) > 8:
        return False
    roots = [scope.code] if scope.code is not None else [u.code for u in scope.units]
    if max(len(code) for code in roots) > 5:
        return False
    # tallies counted under other triggers or zone rule (no migrate since): the rows
    return tallies_current()


@dataclass(frozen=True)
class PeriodPlan:
    """Where a dashboard reads its cases from: the whole months of its period from the tallies
    (`tallied`, None for none), the days before and after them from the rows (`rows`).

    A period that cuts months (a campaign from 25 September, a rakor up to today) read every
    case of the period from the rows: 24 s for a national year cut mid-month at 1,000,000
    cases (issue 15). Only its first and last partial months need the rows."""

    tallied: DashboardFilters | None
    rows: tuple[DashboardFilters, ...]

    @property
    def only_tallies(self) -> bool:
        return self.tallied is not None and not self.rows


def period_plan(*, filters: DashboardFilters, tallies_apply: bool) -> PeriodPlan:
    """The whole months of the period from the tallies where the scope can read them
    (`tallies_apply`: `registry_tallies_apply`, asked once per dashboard), and the partial
    months at its ends from the rows."""
    if not tallies_apply:
        return PeriodPlan(None, (filters,))
    start, end = filters.date_from, filters.date_to
    # the first whole month's first day, and the day after the last whole month
    first = start if start is None or start.day == 1 else _month_after(start)
    after = None if end is None else end + dt.timedelta(days=1)
    stop = after if after is None or after.day == 1 else after.replace(day=1)
    if first is not None and stop is not None and first >= stop:
        return PeriodPlan(None, (filters,))  # no whole month inside
    one_day = dt.timedelta(days=1)
    whole = replace(filters, date_from=first, date_to=None if stop is None else stop - one_day)
    rows = []
    if start is not None and first is not None and first != start:
        rows.append(replace(filters, date_from=start, date_to=first - one_day))
    if after is not None and stop is not None and stop != after:
        rows.append(replace(filters, date_from=stop, date_to=end))
    return PeriodPlan(whole, tuple(rows))


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# What a national view reads instead of each tally: its national rollup's view (the rollup
# plus the tally's unfolded deltas, cut to the province; netral/dashboards/tallies.py ROLLUPS).
# The reported persons' agencies have a rollup of their own (AgencyTallyNational), which the
# agency ranking asks for by name.
NATIONAL_VIEWS: dict[type[models.Model], type[models.Model]] = {
    OfficialTally: OfficialTallyNational,
    CaseTally: CaseTallyNational,
    PersonTally: PersonTallyNational,
    CodeTally: CodeTallyNational,
    DecisionTally: DecisionTallyNational,
    DueTally: DueTallyNational,
    AccountTally: AccountTallyNational,
}


def reads_rollups(*, user: AnyUser, scope: Scope) -> bool:
    """Whether this view can read the national rollups: the whole country (its units the
    provinces, the rollups' grain) for a viewer who sees all of it (a narrower jurisdiction
    is cut at the kecamatan, finer than the rollups)."""
    return (
        scope.code is None
        and scope.unit_len == ROLLUP_UNIT_LEN
        and access.jurisdiction_codes(user) is access.NATIONAL
    )


def tallies_in_scope(
    model: type[TallyT],
    *,
    user: AnyUser,
    scope: Scope,
    filters: DashboardFilters | None,
    rollup: bool = True,
) -> QuerySet[TallyT]:
    """Tally rows of the user's jurisdiction and of the scope, event and months: for a
    national view of a national viewer, the rows of the tally's national rollup (the same
    sums per province: `reads_rollups`), unless `rollup` is False."""
    if rollup and reads_rollups(user=user, scope=scope):
        model = cast("type[TallyT]", NATIONAL_VIEWS.get(model, model))
    qs = access.tallies_visible_to(user, model)
    if scope.code is not None:
        # equality and LIKE rather than a range: `unit` is plain text, whose order on
        # PostgreSQL follows the database collation (docs/decisions/0006)
        qs = qs.filter(Q(unit=scope.code) | Q(unit__startswith=scope.code + "."))
    if filters is not None:
        if filters.event is not None:
            qs = qs.filter(event_id=filters.event.pk)
        if filters.date_from:
            qs = qs.filter(month__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(month__lte=filters.date_to)
    return qs


# (finding, subject type, position category, agency id or None, typed agency name, count)
PersonRow = tuple[str, str, str, int | None, str, int]


# (agency id or None, typed agency name, finding, count): what _agency_table ranks
AgencyRow = tuple[int | None, str, str, int]
# registry agency ids and typed agency names (agency_candidates' `also`)
AgencyKeys = tuple[frozenset[int], frozenset[str]]


@dataclass
class PersonStats:
    rows: list[PersonRow] = field(default_factory=list)
    violations: Counter[str] = field(default_factory=Counter)  # decided persons only
    skb_codes: Counter[str] = field(default_factory=Counter)
    # The agencies that can make the top list, when ranked in the database (the tallies);
    # None: every row's agency is in `rows`.
    agencies: list[AgencyRow] | None = None


@dataclass
class CaseFacts:
    """What the case section is computed from, read from the rows or from the tallies."""

    groups: dict[tuple[Any, ...], list[int]]  # (unit, origin, status) -> [n, registered]
    persons: PersonStats
    decisions: list[tuple[Any, ...]]  # (regime, received, registered, extended, decided, n)
    trend: list[tuple[Any, int, int]]  # (month, cases, registered), by month


def _facts_from_rows(cases: QuerySet[Case], group_by_unit: Any) -> CaseFacts:
    # One grouped scan of the cases per unit, origin and status.
    groups = group_by_unit(
        cases,
        "origin",
        "status",
        region_field="incident_region_id",
        n=Count("pk"),
        registered=Count("pk", filter=Q(registered_at__isnull=False)),
    )
    # Findings per reported person (each terlapor has its own, DOMAIN.md §8.2), grouped in
    # the database; the JSON lists are exploded here, per distinct combination.
    persons = PersonStats()
    for finding, violations, skb, subject_type, category, agency_id, typed, n in (
        ReportedPerson.objects.filter(case__in=cases)
        .values_list(
            "finding",
            "violation_types",
            "skb_codes",
            "subject_type",
            "official__position_category",
            "official__agency_id",
            "agency_name",
        )
        .annotate(n=Count("pk"))
        .order_by()
    ):
        persons.rows.append(
            (finding, subject_type, category or "", agency_id, "" if agency_id else typed, n)
        )
        if finding != PersonFinding.BELUM_DIPUTUS:
            for violation in _as_list(violations):
                persons.violations[violation] += n
        for code in _as_list(skb):
            persons.skb_codes[code] += n
    decisions = list(
        cases.filter(decided_at__isnull=False)
        .annotate(
            received_day=local_date("received_at"),
            registered_day=local_date("registered_at"),
            decided_day=local_date("decided_at"),
            extended=ExpressionWrapper(Q(extended_at__isnull=False), output_field=BooleanField()),
        )
        .values_list("regime", "received_day", "registered_day", "extended", "decided_day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    trend = list(
        cases.annotate(_at=Coalesce("received_at", "created_at", output_field=DateTimeField()))
        .annotate(month=local_date("_at", month=True))
        .values_list("month")
        .annotate(n=Count("pk"), registered=Count("pk", filter=Q(registered_at__isnull=False)))
        .order_by("month")
    )
    return CaseFacts(groups=groups, persons=persons, decisions=decisions, trend=trend)


def _as_list(value: Any) -> list[str]:
    """The codes of a JSON list column: its string elements (as the tallies count them,
    tallies.Dialect.explode); anything else stored there is no code."""
    if not isinstance(value, list):
        return []
    return [v[:64] for v in value if isinstance(v, str)]


def _agencies_named(parts: list[CaseFacts]) -> AgencyKeys:
    """The registry agencies and typed names of the reported persons counted in `parts`."""
    rows = [r for part in parts for r in part.persons.rows]
    return (
        frozenset(r[3] for r in rows if r[3]),
        frozenset(r[4] for r in rows if not r[3]),
    )


def _facts_merged(parts: list[CaseFacts]) -> CaseFacts:
    """The facts of several parts of a period (they share no case) as one."""
    if len(parts) == 1:
        return parts[0]
    groups: dict[tuple[Any, ...], list[int]] = {}
    persons = PersonStats()
    decisions: list[tuple[Any, ...]] = []
    trend: Counter[Any] = Counter()
    trend_registered: Counter[Any] = Counter()
    ranked = [p.persons.agencies for p in parts if p.persons.agencies is not None]
    for part in parts:
        for key, values in part.groups.items():
            total = groups.setdefault(key, [0] * len(values))
            for i, value in enumerate(values):
                total[i] += value
        persons.rows += part.persons.rows
        persons.violations += part.persons.violations
        persons.skb_codes += part.persons.skb_codes
        decisions += part.decisions
        for month, n, registered in part.trend:
            trend[month] += n
            trend_registered[month] += registered
    if ranked:
        # the tallies' candidates (which include every agency the other parts name), and
        # the other parts' rows agency by agency
        persons.agencies = [
            *(a for agencies in ranked for a in agencies),
            *(
                (r[3], r[4], r[0], r[-1])
                for p in parts
                if p.persons.agencies is None
                for r in p.persons.rows
            ),
        ]
    return CaseFacts(
        groups=groups,
        persons=persons,
        decisions=decisions,
        trend=[(m, trend[m], trend_registered[m]) for m in sorted(trend)],
    )


def _facts_from_tallies(
    *,
    user: AnyUser,
    scope: Scope,
    filters: DashboardFilters,
    group_by_unit: Any,
    also: AgencyKeys = (frozenset(), frozenset()),
) -> CaseFacts:
    """The same facts summed from the tallies; each query reads a few thousand rows. `also`:
    agencies whose sums are wanted whatever their rank (agency_candidates)."""

    def summed(model: type[models.Model], *fields: str, **aggregates: Any) -> list[tuple[Any, ...]]:
        """Sums per (*fields) over the units of the scope (unit membership as for rows)."""
        rows = tallies_in_scope(model, user=user, scope=scope, filters=filters)
        if scope.unit_len:
            # One length of unit: the sums need no unit, so the database adds them up (the
            # decisions' local days repeat across units: 40,000 rows per province, 1,082 in
            # all at national breadth). Which rows count is what unit_groups decides: in a
            # region's scope every row (those above the units count under the region), in
            # several roots' only those under one of the roots.
            if scope.code is None:
                rows = rows.annotate(
                    _unit=Substr("unit", 1, scope.unit_len, output_field=CharField())
                ).filter(_unit__in=[u.code for u in scope.units])
            width = len(fields)
            return [
                (*r[:width], *(v or 0 for v in r[width:]))  # a sum over no row is NULL
                for r in rows.values_list(*fields).annotate(**aggregates).order_by()
                if any(r[width:])
            ]
        groups = group_by_unit(rows, *fields, region_field="unit", **aggregates)
        merged: dict[tuple[Any, ...], list[int]] = {}
        for (_unit, *keys), values in groups.items():
            total = merged.setdefault(tuple(keys), [0] * len(values))
            for i, value in enumerate(values):
                total[i] += value
        return [(*keys, *values) for keys, values in merged.items() if any(values)]

    groups = group_by_unit(
        tallies_in_scope(CaseTally, user=user, scope=scope, filters=filters),
        "origin",
        "status",
        region_field="unit",
        total=Sum("n"),
        registered=Sum("n", filter=Q(registered=True)),
    )
    persons = PersonStats()
    if scope.unit_len and (scope.code is None or len(scope.code) <= 2):
        # A national or province view, one length of unit: the agencies are ranked in the
        # database and the findings summed without them (a million tally rows at national
        # breadth: issue 15). A regency's rows are few: one query, summed here, is cheaper
        # than the ranking's four.
        for finding, subject_type, category, n in summed(
            PersonTally, "finding", "subject_type", "position_category", total=Sum("n")
        ):
            persons.rows.append((finding, subject_type, category, None, "", n))
        every_month = not (filters.date_from or filters.date_to)
        if reads_rollups(user=user, scope=scope):
            # the whole country: the agencies' own rollups (tallies.ROLLUPS), over every
            # month or per month
            national: QuerySet[Any] = tallies_in_scope(
                AgencyTallyNational if every_month else AgencyMonthTallyNational,
                user=user,
                scope=scope,
                filters=None if every_month else filters,
                rollup=False,
            )
            if every_month and filters.event is not None:
                national = national.filter(event_id=filters.event.pk)
            persons.agencies = agency_candidates(national, proven=Q(proven=True), also=also)
        else:
            in_units = tallies_in_scope(
                PersonTally, user=user, scope=scope, filters=filters, rollup=False
            )
            if scope.code is None:  # national: rows outside every unit are dropped
                in_units = in_units.annotate(
                    _unit=Substr("unit", 1, scope.unit_len, output_field=CharField())
                ).filter(_unit__in=[u.code for u in scope.units])
            persons.agencies = agency_candidates(in_units, also=also)
    else:  # a regency, or units at several levels: each row under each unit, as the rows
        for finding, subject_type, category, agency_id, typed, n in summed(
            PersonTally,
            "finding",
            "subject_type",
            "position_category",
            "agency_id",
            "agency_name",
            total=Sum("n"),
        ):
            persons.rows.append((finding, subject_type, category, agency_id or None, typed, n))
    for finding, kind, code, n in summed(CodeTally, "finding", "kind", "code", total=Sum("n")):
        if kind == "S":
            persons.skb_codes[code] += n
        elif finding != PersonFinding.BELUM_DIPUTUS:
            persons.violations[code] += n
    decisions = [
        (regime, received, registered, bool(extended), decided, n)
        for regime, received, registered, extended, decided, n in summed(
            DecisionTally,
            "regime",
            "received_day",
            "registered_day",
            "extended",
            "decided_day",
            total=Sum("n"),
        )
    ]
    trend = sorted(
        (month, n, registered)
        for month, n, registered in summed(
            CaseTally, "month", total=Sum("n"), registered=Sum("n", filter=Q(registered=True))
        )
    )
    return CaseFacts(groups=groups, persons=persons, decisions=decisions, trend=trend)


def case_section(
    *,
    user: AnyUser,
    scope: Scope,
    filters: DashboardFilters,
    group_by_unit: Any,
    plan: PeriodPlan | None = None,
) -> CaseSection:
    """The cases' figures and tables of the period: from the tallies where `plan` says (its
    whole months), from the rows for the rest (default: every case from the rows)."""
    cases = cases_in_scope(user=user, scope=scope, filters=filters)
    plan = plan or PeriodPlan(None, (filters,))
    # the days outside whole months, in one set of queries
    in_rows = cases_in_periods(user=user, scope=scope, periods=plan.rows) if plan.rows else None
    parts = []
    if in_rows is not None:
        parts.append(_facts_from_rows(in_rows, group_by_unit))
    if plan.tallied is not None:
        parts.append(
            _facts_from_tallies(
                user=user,
                scope=scope,
                filters=plan.tallied,
                group_by_unit=group_by_unit,
                also=_agencies_named(parts),
            )
        )
    facts = _facts_merged(parts)
    # Recommendations (and their sanctions) are few next to the cases: EXISTS checks each
    # against its case, where `IN (cases)` first reads every visible case (SQLite does so
    # even when there is no recommendation at all: 1 s over 1M cases).
    recommendations = Recommendation.objects.filter(Exists(cases.filter(pk=OuterRef("case_id"))))
    sanctions = Sanction.objects.filter(
        Exists(cases.filter(pk=OuterRef("recommendation__case_id")))
    )
    section = CaseSection()
    now = timezone.now()

    by_origin: Counter[str] = Counter()
    registered_by_origin: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for (unit, origin, status), (n, n_registered) in facts.groups.items():
        section.per_unit[unit] += n
        by_origin[origin] += n
        registered_by_origin[origin] += n_registered
        by_status[status] += n
    total = sum(by_origin.values())
    registered = sum(registered_by_origin.values())
    # Open cases past their deadline depend on the clock, not only on writes: the tallies
    # hold open cases per local day of their deadline, so the days before today are summed
    # there and today's deadlines up to now are counted from the rows (a short range of the
    # index dash_case_due_cover).
    overdue_groups: dict[tuple[Any, ...], list[int]] = {}
    if in_rows is not None:
        open_cases = in_rows.exclude(status__in=sorted(CLOSED_STATUSES))
        rows_overdue = group_by_unit(
            open_cases.filter(due_at__lt=now), region_field="incident_region_id"
        )
        overdue_groups |= {("rows", *k): v for k, v in rows_overdue.items()}
    if plan.tallied is not None:
        whole = plan.tallied
        # Each deadline's day is its handling unit's (WIB, WITA or WIT). Today in WIB is the
        # earliest "today" of the three, and its midnight has passed in every zone: the
        # deadlines of the days before it are all past, those since counted from the rows
        # (from that day's first moment in each case's zone).
        today = now.astimezone(WIB.tz).date()
        before_today = group_by_unit(
            tallies_in_scope(DueTally, user=user, scope=scope, filters=whole).filter(
                due_day__lt=today
            ),
            region_field="unit",
            total=Sum("n"),
        )
        due_today = cases_in_scope(user=user, scope=scope, filters=whole, by_prefix=True)
        since_midnight = group_by_unit(
            local_days_in(
                due_today.exclude(status__in=sorted(CLOSED_STATUSES)).filter(due_at__lt=now),
                "due_at",
                CASE_ZONE_FIELD,
                today,
                None,
            ),
            region_field="incident_region_id",
        )
        overdue_groups |= before_today | {(k, "today"): v for k, v in since_midnight.items()}
    overdue_cases = sum(values[0] for values in overdue_groups.values())

    person_rows = facts.persons.rows
    proven = sum(r[-1] for r in person_rows if r[0] == PersonFinding.TERBUKTI)
    decided_persons = sum(r[-1] for r in person_rows if r[0] != PersonFinding.BELUM_DIPUTUS)

    # Recommendations per follow-up status, with those past their follow-up deadline.
    rec_rows = list(
        recommendations.values_list("status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by()
    )
    rec_status = Counter({s: n for s, n, _o in rec_rows})
    rec_total = sum(rec_status.values())
    rec_answered = sum(n for s, n in rec_status.items() if s in ANSWERED)
    overdue_recs = sum(o for s, _n, o in rec_rows if s not in ANSWERED)
    blocked = rec_status.get(FollowUp.DATA_DIBLOKIR, 0)

    timing = _decision_timing(facts.decisions)

    on_time_base = timing.on_time + timing.late
    section.figures = [
        Figure("cases", _("Perkara"), total),
        Figure(
            "registration_rate",
            _("Tingkat registrasi"),
            rate(registered, total),
            " %",
            (registered, total),
        ),
        Figure(
            "proven_rate",
            _("Terlapor terbukti"),
            rate(proven, decided_persons),
            " %",
            (proven, decided_persons),
        ),
        Figure(
            "follow_up_rate",
            _("Rekomendasi ditindaklanjuti"),
            rate(rec_answered, rec_total),
            " %",
            (rec_answered, rec_total),
        ),
        Figure(
            "on_time_rate",
            _("Diputus tepat waktu"),
            rate(timing.on_time, on_time_base),
            " %",
            (timing.on_time, on_time_base),
        ),
        Figure("overdue", _("Lewat tenggat (perkara + rekomendasi)"), overdue_cases + overdue_recs),
    ]
    section.tables = [
        _origin_table(by_origin, registered_by_origin),
        _status_table(by_status),
        _mix_table(
            "cases_by_violation",
            _("Kualifikasi pelanggaran (per terlapor)"),
            _("Jenis pelanggaran"),
            ViolationType.choices,
            facts.persons.violations,
        ),
        _findings_table(person_rows),
        _mix_table(
            "cases_by_skb_code",
            _("Kode pelanggaran SKB 2022 (per terlapor)"),
            _("Kode SKB"),
            SkbCode.choices,
            facts.persons.skb_codes,
        ),
        _agency_table(
            facts.persons.agencies
            if facts.persons.agencies is not None
            else [(r[3], r[4], r[0], r[-1]) for r in person_rows]
        ),
        _follow_up_table(rec_status),
        _sanction_table(sanctions),
        _timing_table(timing, overdue_cases, overdue_recs, blocked),
        _cases_trend(facts.trend),
    ]
    for r in person_rows:
        section.by_subject_type[r[1]] += r[-1]
        section.by_position_category[r[2] or ""] += r[-1]
    return section


def _origin_table(by_origin: Counter[str], registered: Counter[str]) -> Table:
    rows: list[list[Cell]] = []
    for value, label in Origin.choices:
        n = by_origin.get(value, 0)
        r = registered.get(value, 0)
        rows.append([str(label), n, r, rate(r, n)])
    n_all, r_all = sum(by_origin.values()), sum(registered.values())
    rows.append([_("Jumlah"), n_all, r_all, rate(r_all, n_all)])
    return Table(
        key="cases_by_origin",
        title=_("Perkara menurut asal"),
        columns=[_("Asal"), _("Perkara"), _("Diregistrasi"), _("Tingkat registrasi (%)")],
        rows=rows,
        chart=Chart("hbar", 0, (1, 2)),
    )


def _status_table(counts: Counter[str]) -> Table:
    rows: list[list[Cell]] = [
        [str(label), counts[value]] for value, label in Status.choices if counts.get(value)
    ]
    return Table(
        key="cases_by_status",
        title=_("Perkara menurut status"),
        columns=[_("Status"), _("Perkara")],
        rows=rows,
        chart=Chart("hbar", 0, (1,)),
    )


def _mix_table(
    key: str, title: str, label: str, choices: Iterable[tuple[str, Any]], counts: Counter[str]
) -> Table:
    total = sum(counts.values())
    rows: list[list[Cell]] = [
        [str(name), counts[value], rate(counts[value], total)]
        for value, name in choices
        if counts.get(value)
    ]
    return Table(
        key=key,
        title=title,
        columns=[label, _("Terlapor"), _("Porsi (%)")],
        rows=rows,
        chart=Chart("hbar", 0, (1,)),
    )


def _findings_table(person_rows: list[PersonRow]) -> Table:
    """Reported persons and proven rate by subject type and by position category."""
    rows: list[list[Cell]] = []
    types = dict(SubjectType.choices)
    categories = dict(PositionCategory.choices)
    for label_map, index, prefix in (
        (types, 1, _("Jenis subjek")),
        (categories, 2, _("Kategori jabatan")),
    ):
        reported: Counter[str] = Counter()
        decided: Counter[str] = Counter()
        proven: Counter[str] = Counter()
        for r in person_rows:
            key, n = str(r[index] or ""), r[-1]
            reported[key] += n
            if r[0] != PersonFinding.BELUM_DIPUTUS:
                decided[key] += n
            if r[0] == PersonFinding.TERBUKTI:
                proven[key] += n
        for value, name in [*label_map.items(), ("", _("tidak diketahui"))]:
            if reported.get(value):
                rows.append(
                    [
                        f"{prefix}: {name}",
                        reported[value],
                        decided[value],
                        proven[value],
                        rate(proven[value], decided[value]),
                    ]
                )
    return Table(
        key="findings_by_subject",
        title=_("Terlapor dan tingkat terbukti"),
        columns=[
            _("Kelompok"),
            _("Terlapor"),
            _("Sudah diputus"),
            _("Terbukti"),
            _("Tingkat terbukti (%)"),
        ],
        rows=rows,
        chart=Chart("hbar", 0, (1, 3)),
    )


AGENCY_TOP = 15


def agency_candidates(
    rows: QuerySet[Any],
    top: int = AGENCY_TOP,
    proven: Q | None = None,
    also: AgencyKeys = (frozenset(), frozenset()),
) -> list[AgencyRow]:
    """The reported persons of the agencies that can make `_agency_table`'s top list, summed
    in the database from person-tally rows: the same table as from every agency's rows.

    `_agency_table` names the `2 * top` registry agencies with the most reported persons,
    merges what has the same name (a registry name and a typed one; a typed "" and the typed
    word for "unknown") and lists the `top` first by (count, name). So the candidates are:
    those registry agencies; the typed names whose count reaches the `top`-th largest typed
    count (a typed name below it has `top` others above it whatever merges: a merge only
    adds); and the typed names a merge can lift (the registry agencies' names and the two
    spellings of "unknown"). Ties at the registry cut are taken by id (the rows' order is the
    database's there too). `proven`: which rows count as proven (default: the TERBUKTI
    finding; the agencies' national rollup keeps a `proven` flag instead of the finding).
    `also`: registry agency ids and typed names summed as well, whatever their rank (those
    the rows of the period's partial months name, which may lift them: `period_plan`)."""
    n_proven = Sum("n", filter=proven or Q(finding=PersonFinding.TERBUKTI))
    registry = list(
        rows.exclude(agency_id=0)
        .values_list("agency_id")
        .annotate(total=Sum("n"), proven=n_proven)
        .filter(~Q(total=0))
        .order_by("-total", "agency_id")[: top * 2]
    )
    extra_ids = set(also[0]) - {a for a, _t, _p in registry}
    if extra_ids:
        registry += list(
            rows.filter(agency_id__in=sorted(extra_ids))
            .values_list("agency_id")
            .annotate(total=Sum("n"), proven=n_proven)
            .filter(~Q(total=0))
            .order_by()
        )
    names = set(
        Agency.objects.filter(pk__in=[a for a, _n, _p in registry]).values_list("name", flat=True)
    )
    typed_groups = (
        rows.filter(agency_id=0)
        .values_list("agency_name")
        .annotate(total=Sum("n"), proven=n_proven)
        .filter(~Q(total=0))
    )
    cut = list(typed_groups.order_by("-total").values_list("total", flat=True)[top - 1 : top])
    lifted = names | {"", str(_("tidak diketahui"))} | set(also[1])
    typed = (
        typed_groups.filter(Q(total__gte=cut[0]) | Q(agency_name__in=lifted))
        if cut
        else typed_groups
    )
    out: list[AgencyRow] = []
    for agency_id, name, total, n_proven in [
        *((a, "", t, p) for a, t, p in registry),
        *((None, name, t, p) for name, t, p in typed),
    ]:
        out.append((agency_id, name, PersonFinding.TERBUKTI, n_proven or 0))
        out.append((agency_id, name, "", total - (n_proven or 0)))
    return out


def _agency_table(agency_rows: list[tuple[Any, ...]], top: int = AGENCY_TOP) -> Table:
    """Reported persons per agency: the registry's agency, else the one typed in the case."""
    counts: Counter[tuple[int | None, str]] = Counter()
    proven: Counter[tuple[int | None, str]] = Counter()
    for agency_id, typed_name, finding, n in agency_rows:
        key = (agency_id, "" if agency_id else typed_name or "")
        counts[key] += n
        if finding == PersonFinding.TERBUKTI:
            proven[key] += n
    # Names only for the agencies of the visible reported persons that make the top list.
    ids = [a for (a, _t), _n in counts.most_common() if a][: top * 2]
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    named: Counter[str] = Counter()
    named_proven: Counter[str] = Counter()
    for (agency_id, typed), n in counts.items():
        name = names.get(agency_id, "") if agency_id else typed
        if agency_id and not name:
            continue  # outside the top: not named, not listed
        named[name or _("tidak diketahui")] += n
        named_proven[name or _("tidak diketahui")] += proven[(agency_id, typed)]
    ranked = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return Table(
        key="reported_by_agency",
        title=_("Terlapor per instansi (%(n)s terbanyak)") % {"n": top},
        columns=[_("Instansi"), _("Terlapor"), _("Terbukti")],
        rows=[[name, n, named_proven[name]] for name, n in ranked],
    )


def _follow_up_table(status: Counter[str]) -> Table:
    total = sum(status.values())
    rows: list[list[Cell]] = [
        [str(label), status[value], rate(status[value], total)]
        for value, label in FollowUp.choices
        if status.get(value)
    ]
    return Table(
        key="recommendations_by_status",
        title=_("Tindak lanjut rekomendasi"),
        columns=[_("Status tindak lanjut"), _("Rekomendasi"), _("Porsi (%)")],
        rows=rows,
        chart=Chart("hbar", 0, (1,)),
        note=_(
            "Ditindaklanjuti = sanksi dijatuhkan, tidak terbukti menurut instansi, "
            "ditolak/dibatalkan, subjek sudah berhenti atau blokir dibuka (DOMAIN.md §6.3)."
        ),
    )


def _sanction_table(sanctions: QuerySet[Sanction]) -> Table:
    pairs: dict[tuple[str, str], int] = {
        (lv, ty): n
        for lv, ty, n in sanctions.values_list("level", "type").annotate(n=Count("pk")).order_by()
    }
    levels = dict(SanctionLevel.choices)
    types = dict(SanctionType.choices)
    total = sum(pairs.values())
    rows: list[list[Cell]] = [
        [str(levels.get(lv, lv)), str(types.get(ty, ty)), n, rate(n, total)]
        for (lv, ty), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Table(
        key="sanctions_by_type",
        title=_("Sanksi yang dijatuhkan"),
        columns=[_("Tingkat"), _("Jenis sanksi"), _("Sanksi"), _("Porsi (%)")],
        rows=rows,
        chart=Chart("hbar", 1, (2,)),
    )


@dataclass
class Timing:
    decided: int = 0
    on_time: int = 0
    late: int = 0
    no_rule: int = 0
    median_days: float | None = None


def _decision_timing(groups: list[tuple[Any, ...]]) -> Timing:
    """Registration (or receipt) to decision against the PENANGANAN deadline in force
    (UU 7/2017 Ps. 454(7),(8); Perpu 1/2014 Ps. 134(5),(6)), from the configurable
    DeadlineRule table; PENANGANAN_EXTENDED when the case was extended.

    These deadlines run in days and end at the end of the last local day
    (cases/deadlines.py), so the decided cases come grouped by local dates (regime,
    received, registered, extended, decided, count) and each combination is checked once.
    """
    timing = Timing(decided=sum(g[-1] for g in groups))
    if not groups:
        return timing
    rules = {
        (r.regime, r.step): r
        for r in DeadlineRule.objects.filter(
            step__in=[DeadlineStep.PENANGANAN, DeadlineStep.PENANGANAN_EXTENDED]
        )
    }
    starts = [start for g in groups if (start := g[1] or g[2]) is not None]
    first = min(starts) if starts else timezone.now().astimezone(WIB.tz).date()
    holidays = list(Holiday.objects.filter(date__gte=first).values_list("date", flat=True))
    durations: list[tuple[int, int]] = []
    last_days: dict[tuple[Any, ...], dt.date | None] = {}  # the due day, once per start
    for regime, received, registered, extended, decided, n in groups:
        start = registered or received
        if start is not None:
            durations.append(((decided - start).days, n))
        key = (regime, received, registered, extended)
        if key not in last_days:
            due = _due(
                rules, regime, _day_start(received), _day_start(registered), extended, holidays
            )
            last_days[key] = None if due is None else due.astimezone(WIB.tz).date()
        last_day = last_days[key]
        if last_day is None:
            timing.no_rule += n
        elif decided <= last_day:
            timing.on_time += n
        else:
            timing.late += n
    timing.median_days = _weighted_median(durations)
    return timing


# The region code whose zone a case's days are in: its handling unit (zones.case_zone), as
# the tallies count them (tallies.CASE_ZONE_CODE).
CASE_ZONE_FIELD = "handling_region_id"


def local_date(
    field: str | Combinable, *, month: bool = False, zone_field: str = CASE_ZONE_FIELD
) -> Any:
    """The local calendar date (or the first day of its month) of a UTC timestamp column, in
    each row's own zone: that of the region code in `zone_field` (WIB, WITA or WIT,
    netral.core.zones.PREFIXES, the same SQL as the tallies), never the viewer's.

    Django's TruncDate/TruncMonth run a Python function per row on SQLite (5 s over a
    million cases) and take one zone for all rows; SQLite's own strftime() with each row's
    fixed offset (none of the three zones has daylight saving time) and PostgreSQL's
    AT TIME ZONE with each row's zone name give the same dates.
    """
    expression = F(field) if isinstance(field, str) else field
    if connection.vendor == "postgresql":
        zone = zone_case(zone_field, lambda z: z.tz.key)
        template = (
            "(date_trunc('month', %(expressions)s))::date" if month else "(%(expressions)s)::date"
        )
        return Func(
            expression,
            zone,
            template=template,
            arg_joiner=" AT TIME ZONE ",
            output_field=DateField(),
        )
    return Func(
        Value("%Y-%m-01" if month else "%Y-%m-%d"),
        # whole seconds: SQLite's date arithmetic rounds to milliseconds, which would carry
        # 23:59:59.9995 and later into the next day
        Substr(expression, 1, 19),
        zone_case(zone_field, lambda z: f"{z.offset_seconds:+d} seconds"),
        function="strftime",
        output_field=DateField(),
    )


def local_days_in(
    qs: QuerySet[Any],
    field: str,
    zone_field: str,
    start: dt.date | None,
    end: dt.date | None,
) -> QuerySet[Any]:
    """Rows whose moment `field` falls on a local day from `start` up to (not including)
    `end`, each in its own zone (that of the region code in `zone_field`): a range of
    instants wide enough for every zone (indexable), then the row's zone's own bounds."""
    if start is None and end is None:
        return qs
    return local_days_within(qs, field, zone_field, [(start, end)])


def local_days_within(
    qs: QuerySet[Any],
    field: str,
    zone_field: str,
    spans: list[tuple[dt.date | None, dt.date | None]],
) -> QuerySet[Any]:
    """`local_days_in` for any of several spans (start, end excluded) at once: one query for
    the days before and after a period's whole months (`period_plan`)."""
    wide = Q(pk__in=[])
    exact = Q(pk__in=[])
    for start, end in spans:
        span_wide = Q()
        if start is not None:  # the earliest midnight of the three is WIT's
            span_wide &= Q(**{f"{field}__gte": day_start(start, WIT)})
        if end is not None:  # the latest is WIB's
            span_wide &= Q(**{f"{field}__lt": day_start(end, WIB)})
        wide |= span_wide
        for zone in ZONES:
            bounds = Q(_local_zone=zone.abbreviation)
            if start is not None:
                bounds &= Q(**{f"{field}__gte": day_start(start, zone)})
            if end is not None:
                bounds &= Q(**{f"{field}__lt": day_start(end, zone)})
            exact |= bounds
    zone = zone_case(zone_field, lambda z: z.abbreviation)
    found: QuerySet[Any] = qs.filter(wide).alias(_local_zone=zone).filter(exact)
    return found


def _day_start(day: dt.date | None) -> dt.datetime | None:
    """A local day's first moment for the deadline rules. The days given are already each
    case's local days, so one fixed zone (WIB) computes their deadline days right, whichever
    zone the viewer's request has active."""
    if day is None:
        return None
    return day_start(day, WIB)


def _weighted_median(values: list[tuple[int, int]]) -> float | None:
    """Median of values given as (value, count) pairs."""
    total = sum(n for _v, n in values)
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}
    found: list[int] = []
    seen = 0
    for value, n in sorted(values):
        for position in sorted(wanted):
            if seen <= position < seen + n:
                found.append(value)
        seen += n
    return round(sum(found) / len(found), 1)


def _anchor(
    rule: DeadlineRule, received: dt.datetime | None, registered: dt.datetime | None
) -> dt.datetime | None:
    if rule.anchor == Anchor.RECEIVED_AT:
        return received
    if rule.anchor == Anchor.REGISTERED_AT:
        return registered
    return None


def _due(
    rules: dict[tuple[str, str], DeadlineRule],
    regime: str,
    received: dt.datetime | None,
    registered: dt.datetime | None,
    extended: bool,
    holidays: list[dt.date],
) -> dt.datetime | None:
    base_rule = rules.get((regime, DeadlineStep.PENANGANAN))
    if base_rule is None or base_rule.amount is None or not base_rule.unit:
        return None
    anchor = _anchor(base_rule, received, registered)
    if anchor is None:
        return None
    due = compute_due(
        anchor=anchor, amount=base_rule.amount, unit=base_rule.unit, holidays=holidays
    )
    ext = rules.get((regime, DeadlineStep.PENANGANAN_EXTENDED))
    if not extended or ext is None or ext.amount is None or not ext.unit:
        return due
    ext_anchor = due if ext.anchor == Anchor.PENANGANAN_DUE else _anchor(ext, received, registered)
    if ext_anchor is None:
        return due
    return compute_due(anchor=ext_anchor, amount=ext.amount, unit=ext.unit, holidays=holidays)


def _timing_table(timing: Timing, overdue_cases: int, overdue_recs: int, blocked: int) -> Table:
    median = timing.median_days
    return Table(
        key="decision_timing",
        title=_("Waktu penanganan dan tenggat"),
        columns=[_("Ukuran"), _("Nilai")],
        rows=[
            [_("Perkara diputus"), timing.decided],
            [_("Diputus dalam tenggat"), timing.on_time],
            [_("Diputus melewati tenggat"), timing.late],
            [_("Tanpa aturan tenggat (belum dikonfigurasi)"), timing.no_rule],
            [_("Median hari registrasi sampai putusan"), median],
            [_("Perkara terbuka lewat tenggat"), overdue_cases],
            [_("Rekomendasi lewat tenggat tindak lanjut"), overdue_recs],
            [_("Data kepegawaian diblokir"), blocked],
        ],
    )


def _cases_trend(rows: list[tuple[Any, int, int]]) -> Table:
    return Table(
        key="cases_by_month",
        title=_("Perkara per bulan"),
        columns=[_("Bulan"), _("Perkara"), _("Diregistrasi")],
        rows=[[m.strftime("%Y-%m"), n, r] for m, n, r in rows],
        chart=Chart("line", 0, (1, 2)),
    )
