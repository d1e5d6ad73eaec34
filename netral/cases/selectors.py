"""Reads for case handling: routing, lists with filters, the work queue, public lookups."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.accounts.models import Assignment, Role
from netral.cases.models import (
    CLOSED_STATUSES,
    Case,
    CaseEvent,
    CaseLinkType,
    Recipient,
    RecipientProfile,
    ReportedPerson,
    Sanction,
    Status,
    ViolationType,
)
from netral.core.errors import ApplicationError
from netral.core.ttlcache import TTLValue
from netral.core.zones import case_zone, local_in
from netral.registry.models import (
    REGION_CODE_RE,
    Official,
    Region,
    RegionLevel,
    ancestor_codes,
)
from netral.registry.selectors import region_get

if TYPE_CHECKING:
    from netral.accounts.access import AnyUser

# Units that handle cases, lowest first (DOMAIN.md §1.1). PKD and Pengawas TPS receive
# reports but forward them to the Panwaslu Kecamatan, so they are not handling units.
HANDLING_ROLE_BY_DEPTH: dict[int, Role] = {
    3: Role.PANWASLU_KECAMATAN,
    2: Role.BAWASLU_KABKOTA,
    1: Role.BAWASLU_PROVINSI,
}


_ROUTE_ATTR = "_netral_case_route"  # set by intake_region: the route read with the region


def _route_candidates(code: str) -> list[tuple[str, Role]]:
    chain = [*ancestor_codes(code), code]
    return [
        (c, HANDLING_ROLE_BY_DEPTH[c.count(".") + 1])
        for c in chain
        if c.count(".") + 1 in HANDLING_ROLE_BY_DEPTH
    ]


def _load_active_units() -> frozenset[tuple[str, str]]:
    roles = list(HANDLING_ROLE_BY_DEPTH.values())
    return frozenset(
        Assignment.objects.filter(role__in=roles, region__isnull=False)
        .values_list("region_id", "role")
        .distinct()
    )


# (region code, role) of every handling-unit assignment: a few thousand rows at most (one per
# kecamatan, kabupaten/kota and provinsi with an officer), read once per TTL per process
# instead of an EXISTS per report. Cleared by the accounts services on assignment changes.
_active_units = TTLValue(
    topic="assignments", loader=_load_active_units, ttl_setting="NETRAL_ROUTING_CACHE_SECONDS"
)


# Places and their ancestors by code, filled as reports name them: reference data, changed
# only when a new Kemendagri edition is loaded (`netral regions_load`), so each process keeps
# what it read for the same TTL (a new dict every period; bounded). Callers get copies, so
# per-request attributes (the route below) never touch the shared objects.
_MAX_CACHED_CHAINS = 20_000
_region_chains: TTLValue[dict[str, dict[str, Region]]] = TTLValue(
    topic="regions", loader=dict, ttl_setting="NETRAL_ROUTING_CACHE_SECONDS"
)


def _region_chain(code: str) -> dict[str, Region]:
    chains = _region_chains.get()
    chain = chains.get(code)
    if chain is None:
        chain = Region.objects.in_bulk([*ancestor_codes(code), code])
        if code in chain and len(chains) < _MAX_CACHED_CHAINS:
            chains[code] = chain  # unknown codes are not kept (a bot can't fill the cache)
    return {c: copy.copy(r) for c, r in chain.items()}


def _regions_with_units(code: str) -> tuple[dict[str, Region], set[str]]:
    """The region `code` and its ancestors, and which of them have an active handling unit (an
    assignment of the unit's role there); both cached per process (see above), so a warm
    process routes a report without a query."""
    regions = _region_chain(code)
    units = _active_units.get()
    active = {c for c, role in _route_candidates(code) if (c, role) in units and c in regions}
    return regions, active


def _deepest_unit(code: str, regions: dict[str, Region], active: set[str]) -> Region | None:
    for c, _role in sorted(_route_candidates(code), key=lambda c: -c[0].count(".")):
        if c in active:
            return regions[c]
    return None


def case_route(*, incident_region: Region) -> Region | None:
    """The region of the lowest competent supervisor unit for an incident (None = Bawaslu RI).

    A report is filed "sesuai dengan tempat terjadinya dugaan pelanggaran" (Perbawaslu 7/2022
    Ps. 10(1)(a)); route by kode wilayah to the lowest unit that is active in Netral (has an
    officer assignment), walking up kecamatan → kabupaten/kota → provinsi.
    """
    if _ROUTE_ATTR in incident_region.__dict__:  # read by intake_region in the same request
        route: Region | None = incident_region.__dict__[_ROUTE_ATTR]
        return route
    regions, active = _regions_with_units(incident_region.code)
    return _deepest_unit(incident_region.code, regions, active)


def intake_region(*, code: str) -> Region | None:
    """The place of an incident for the public form, read together with its route (one query
    instead of two on the form's hot path; case_route then reuses it)."""
    if not REGION_CODE_RE.match(code):
        return None
    regions, active = _regions_with_units(code)
    region = regions.get(code)
    if region is not None:
        region.__dict__[_ROUTE_ATTR] = _deepest_unit(code, regions, active)
    return region


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    origin: str = ""
    regime: str = ""
    region: str = ""
    q: str = ""
    assigned_to_id: int | None = None
    overdue: bool = False
    open_only: bool = False


def case_list(*, qs: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    """Filter an already-scoped queryset (from access.cases_visible_to)."""
    if (filters.open_only or filters.overdue) and filters.status in CLOSED_STATUSES:
        return qs.none()  # contradictory: a closed status is never open or overdue
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.origin:
        qs = qs.filter(origin=filters.origin)
    if filters.regime:
        qs = qs.filter(regime=filters.regime)
    if filters.region and REGION_CODE_RE.match(filters.region):
        # Kemendagri codes have fixed-width parts (2.2.2.4 digits), so the prefix alone is
        # "this region or below": one index range instead of an OR of two (see
        # docs/benchmarks.md, cases: the OR made PostgreSQL misjudge the row count).
        qs = qs.filter(incident_region__code__startswith=filters.region)
    elif filters.region:
        qs = qs.filter(
            Q(incident_region__code=filters.region)
            | Q(incident_region__code__startswith=filters.region + ".")
        )
    if filters.assigned_to_id:
        qs = qs.filter(assigned_to_id=filters.assigned_to_id)
    if filters.overdue:
        qs = qs.filter(due_at__lt=timezone.now()).exclude(status__in=CLOSED_STATUSES)
    if filters.open_only:
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(
            Q(registration_number__icontains=term)
            | Q(tracking_number__iexact=term)
            | Q(title__icontains=term)
        )
    return qs.select_related("incident_region", "handling_region", "assigned_to").order_by(
        "-created_at", "-id"
    )


def case_page(*, qs: QuerySet[Case], offset: int, limit: int) -> list[Case]:
    """One page of a filtered list, in one query: the page's ids are chosen by a subquery
    without joins (ORDER BY + LIMIT over the case table alone), and only those rows are
    joined to their regions and officer. Joined in one level, PostgreSQL planned the joins
    for its estimate of the filtered rows (a handful) and looped over every region for each
    of the 647 real matches (217 ms, docs/benchmarks.md)."""
    ordering = qs.query.order_by or ("-created_at", "-id")
    ids = qs.order_by(*ordering).values("pk")[offset : offset + limit]
    return list(
        Case.objects.filter(pk__in=Subquery(ids))
        .select_related("incident_region", "handling_region", "assigned_to")
        .order_by(*ordering)
    )


def work_queue(*, qs: QuerySet[Case], user_id: int | None = None) -> QuerySet[Case]:
    """Open cases by urgency: earliest deadline first, cases without a deadline last."""
    qs = qs.exclude(status__in=CLOSED_STATUSES)
    if user_id is not None:
        qs = qs.filter(Q(assigned_to_id=user_id) | Q(assigned_to__isnull=True))
    return qs.select_related("incident_region", "assigned_to").order_by(
        F("due_at").asc(nulls_last=True), "created_at"
    )


def case_detail(*, case: Case) -> Case:
    """The case with its related rows loaded in a fixed number of queries."""
    return (
        Case.objects.select_related(
            "incident_region", "handling_region", "assigned_to", "election_event", "received_by"
        )
        .prefetch_related(
            "reported_persons__official",
            "reported_persons__sanctions",
            "witnesses",
            "evidence",
            "events__actor",
            "clarifications",
            "recommendations__sanctions",
            "recommendations__reported_person",
            "documents",
            "completion_requests",
            "links_out__to_case",
            "links_in__from_case",
        )
        .get(pk=case.pk)
    )


def recipient_available(profile: RecipientProfile | None, case: Case) -> bool:
    """Whether `case` may be forwarded to the recipient of `profile`: KASN only for a decision
    taken before its dissolution (Perpres 91 and 92/2024; SE MenPANRB 4/2024; DOMAIN §1.2,
    §6.1; issue 12 point 12), by the profile's `available_until` date."""
    if profile is None or profile.available_until is None:
        return True
    decided = case.decided_at
    if decided is None:
        return False
    return local_in(decided, case_zone(case)).date() <= profile.available_until


def recipients_for(person: ReportedPerson) -> list[Recipient]:
    """Competent recipients of a recommendation for one reported person (DOMAIN.md §1.3, §6),
    from the editable recipient profiles (which subject types each is competent for): TNI,
    perangkat desa and PPPK authorities are UNCONFIRMED in DOMAIN and so are data, not code
    (issue 12 point 15). KASN is suggested only for decisions before its dissolution and never
    first (point 12)."""
    kinds = set(person.violation_types or [])
    profiles = {p.recipient: p for p in RecipientProfile.objects.all()}
    out: list[Recipient] = []
    subject = person.subject_type
    if ViolationType.PERUU_LAINNYA in kinds or not kinds - {ViolationType.PIDANA}:
        order = [r for r in Recipient if r != Recipient.KASN] + [Recipient.KASN]
        for code in order:
            profile = profiles.get(code)
            if (
                profile is not None
                and subject
                and subject in (profile.subject_types or [])
                and recipient_available(profile, person.case)
            ):
                out.append(code)
    if ViolationType.PIDANA in kinds:
        out.append(Recipient.SENTRA_GAKKUMDU)
    if ViolationType.KODE_ETIK_PENYELENGGARA in kinds:
        out.append(Recipient.DKPP)
    if ViolationType.ADMINISTRATIF in kinds or ViolationType.ADMINISTRATIF_TSM in kinds:
        out.append(Recipient.KPU)
    return list(dict.fromkeys(out))


def recipient_choices(case: Case) -> list[tuple[str, str]]:
    """The recipients an officer may pick for `case`, with no default (a blank first choice),
    KASN only where `recipient_available` allows and then last."""
    profiles = {p.recipient: p for p in RecipientProfile.objects.all()}
    choices = [
        (str(value), str(label))
        for value, label in Recipient.choices
        if recipient_available(profiles.get(value), case)
    ]
    choices.sort(key=lambda c: c[0] == Recipient.KASN)
    return [("", "---------"), *choices]


def public_officials_search(*, query: str, limit: int = 10) -> list[dict[str, str]]:
    """Registry search for the public form: public-safe fields only (never NIP/NIK)."""
    from netral.registry.text import fold

    term = fold(query.strip())
    if len(term) < 3:
        return []
    rows = (
        Official.objects.filter(name_folded__contains=term, is_active=True)
        .select_related("agency", "region")
        .order_by("name")[:limit]
    )
    return [
        {
            "id": str(o.pk),
            "name": o.name,
            "position": o.position,
            "agency": o.agency.name if o.agency else "",
            "region": o.region.name if o.region else "",
        }
        for o in rows
    ]


def public_official_get(*, official_id: int) -> Official | None:
    return Official.objects.filter(pk=official_id, is_active=True).first()


def region_options(*, parent: str | None) -> QuerySet[Region]:
    if parent:
        return Region.objects.filter(parent_id=parent).order_by("name")
    return Region.objects.filter(parent__isnull=True).order_by("name")


def case_by_tracking(*, tracking_number: str) -> Case | None:
    return Case.objects.filter(tracking_number=tracking_number.strip().upper()).first()


def case_by_code(*, code: str) -> Case | None:
    return Case.objects.filter(code=code).select_related("incident_region").first()


def official_cases(*, user: AnyUser, official: Official) -> list[ReportedPerson]:
    """The official's appearances as terlapor in cases the viewer may see, with sanctions."""
    from netral.accounts.access import cases_visible_to

    return list(
        ReportedPerson.objects.filter(official=official, case__in=cases_visible_to(user))
        .select_related("case", "case__incident_region")
        .prefetch_related("sanctions")
        .order_by("-case__created_at")
    )


def sanctions_for_official(*, user: AnyUser, official: Official) -> list[Sanction]:
    from netral.accounts.access import cases_visible_to

    return list(
        Sanction.objects.filter(
            reported_person__official=official,
            reported_person__case__in=cases_visible_to(user),
        ).order_by("-decree_date")
    )


def open_statuses() -> list[str]:
    return [s for s in Status.values if s not in CLOSED_STATUSES]


def now_local_date() -> dt.date:
    return timezone.localdate()


def pledges_for_official(*, user: AnyUser, official: Official) -> list[Any]:
    """Signed neutrality pledges of an official made at events `user` may see (a pledge at
    another regency's event names that event, its date and place), if the declarations app
    provides them."""
    from django.apps import apps

    if not apps.is_installed("netral.declarations"):
        return []
    from netral.accounts import access

    try:
        from netral.declarations.selectors import official_pledges
    except ImportError:  # the declarations area has not shipped this selector
        return []
    return [
        s
        for s in official_pledges(official=official, signatures=access.signatures_visible_to(user))
        if getattr(s, "revoked_at", None) is None
    ]


# --- pelimpahan (T9) -------------------------------------------------------------------

MAX_FORWARD_HOPS = 10  # a report forwarded more often than this is a data error


def region_has_unit(*, code: str | None) -> bool:
    """Whether the supervisor unit of region `code` (Panwaslu Kecamatan, Bawaslu Kab/Kota or
    Bawaslu Provinsi by depth; None: Bawaslu RI, whose unit has no region; DOMAIN §1.1) is
    active in Netral: an assignment of that role there."""
    if code is None:
        return Assignment.objects.filter(role=Role.BAWASLU_RI, region__isnull=True).exists()
    role = HANDLING_ROLE_BY_DEPTH.get(code.count(".") + 1)
    return role is not None and Assignment.objects.filter(region_id=code, role=role).exists()


def case_forwarded_to(*, case: Case) -> Case | None:
    """The case opened at the receiving unit when `case` was forwarded (T9), if any."""
    return (
        Case.objects.select_related("handling_region")
        .filter(links_out__to_case=case, links_out__type=CaseLinkType.PELIMPAHAN)
        .first()
    )


def case_forwarded_from(*, case: Case) -> Case | None:
    """The case `case` was forwarded from (T9), if any."""
    return (
        Case.objects.select_related("handling_region")
        .filter(links_in__from_case=case, links_in__type=CaseLinkType.PELIMPAHAN)
        .first()
    )


def case_forward_chain(*, case: Case) -> list[Case]:
    """`case` and every case it was forwarded on to, in order (the reporter's tracking number
    leads through this chain to the case being handled now)."""
    chain = [case]
    while chain[-1].status == Status.DILIMPAHKAN and len(chain) <= MAX_FORWARD_HOPS:
        nxt = case_forwarded_to(case=chain[-1])
        if nxt is None or any(c.pk == nxt.pk for c in chain):
            break
        chain.append(nxt)
    return chain


# The value of the destination picker that stands for Bawaslu RI (its unit has no region).
FORWARD_TO_NATIONAL = "RI"


def forward_destination_get(*, code: str) -> Region | None:
    """The receiving unit of a pelimpahan as the officer page and the API name it: a region
    code, or FORWARD_TO_NATIONAL for Bawaslu RI (None). An unknown code is refused."""
    code = code.strip()
    if code.upper() == FORWARD_TO_NATIONAL:
        return None
    destination = region_get(code=code)
    if destination is None:
        raise ApplicationError(_("Unit tujuan pelimpahan: kode wilayah tidak dikenal."))
    return destination


@dataclass(frozen=True)
class ForwardDestination:
    value: str  # a region code, or FORWARD_TO_NATIONAL
    label: str


def forward_destinations(*, exclude: str | None) -> list[ForwardDestination]:
    """The choices of a pelimpahan from the unit at region `exclude` (None: Bawaslu RI), which
    is never offered itself: Bawaslu RI first when its unit is active, then the regions whose
    supervisor unit is active in Netral, by code."""
    codes = Assignment.objects.filter(
        role__in=list(HANDLING_ROLE_BY_DEPTH.values()), region__isnull=False
    ).values("region_id")
    qs = Region.objects.filter(
        code__in=codes,
        level__in=[RegionLevel.PROVINSI, RegionLevel.KABKOTA, RegionLevel.KECAMATAN],
    )
    if exclude:
        qs = qs.exclude(code=exclude)
    out = []
    if exclude is not None and region_has_unit(code=None):
        out.append(ForwardDestination(FORWARD_TO_NATIONAL, _("Bawaslu Republik Indonesia")))
    out += [
        ForwardDestination(r.code, f"{r.get_level_display()} {r.name.title()} ({r.code})")
        for r in qs.order_by("code")
    ]
    return out


def case_public_events(*, cases: list[Case]) -> QuerySet[CaseEvent]:
    """The public timeline of a report and the cases it was forwarded on to (status page)."""
    return (
        CaseEvent.objects.filter(case__in=[c.pk for c in cases], public=True)
        .select_related("case__handling_region")
        .order_by("created_at", "id")
    )
