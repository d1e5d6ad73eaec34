"""Who sees what: the ONLY place in Netral that decides scope (STYLE.md §1.5).

Views and the API get scoped objects only through the `*_visible_to(user)` list
functions and the `access_*(user, ...)` getters below. A getter raises Http404 for
both "missing" and "not yours", so an officer cannot probe another region's data.
tests/test_scoping_lint.py fails if a view or API module queries a scoped model
directly.

Jurisdiction is a prefix rule over Kemendagri codes (DOMAIN.md §10): an assignment
over region "64.08" (Kab. Kutai Timur) covers "64.08" and every code starting with
"64.08.". An assignment without a region covers the whole country.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Substr
from django.db.models.lookups import Exact
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from netral.accounts.models import Assignment, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from netral.audit.models import AuditEntry
    from netral.cases.models import Case
    from netral.registry.models import ImportJob, Official, Region

    AnyUser = User | AnonymousUser

from django.db import models

TallyT = TypeVar("TallyT", bound=models.Model)


class Perm(models.TextChoices):
    """Capabilities, checked only here (saleor-style permission codes)."""

    VIEW = "VIEW", _("Melihat data dalam yurisdiksi")
    VIEW_AUDIT = "VIEW_AUDIT", _("Melihat jejak audit")
    MANAGE_OFFICIALS = "MANAGE_OFFICIALS", _("Mengelola registri pejabat")
    MANAGE_DECLARATIONS = "MANAGE_DECLARATIONS", _("Mengelola deklarasi dan sosialisasi")
    HANDLE_CASES = "HANDLE_CASES", _("Menangani laporan dan temuan")
    ADMINISTER = "ADMINISTER", _("Administrasi sistem")


_SUPERVISOR = {Perm.VIEW, Perm.VIEW_AUDIT, Perm.HANDLE_CASES, Perm.MANAGE_DECLARATIONS}
_AD_HOC_SUPERVISOR = {Perm.VIEW, Perm.HANDLE_CASES, Perm.MANAGE_DECLARATIONS}
_REGENCY_STAFF = {Perm.VIEW, Perm.MANAGE_OFFICIALS, Perm.MANAGE_DECLARATIONS}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.BAWASLU_RI: frozenset(_SUPERVISOR),
    Role.BAWASLU_PROVINSI: frozenset(_SUPERVISOR),
    Role.BAWASLU_KABKOTA: frozenset(_SUPERVISOR),
    Role.PANWASLU_KECAMATAN: frozenset(_AD_HOC_SUPERVISOR),
    Role.PANWASLU_KELDESA: frozenset(_AD_HOC_SUPERVISOR),
    Role.KESBANGPOL: frozenset(_REGENCY_STAFF),
    Role.BKPSDM: frozenset(_REGENCY_STAFF),
    Role.DPMD: frozenset(_REGENCY_STAFF),
    Role.INSPEKTORAT: frozenset({Perm.VIEW, Perm.VIEW_AUDIT}),
    Role.AUDITOR: frozenset({Perm.VIEW, Perm.VIEW_AUDIT}),
    Role.ADMIN: frozenset(Perm),
}

NATIONAL = None  # marker: the whole country


def _assignments(user: AnyUser) -> list[Assignment]:
    if not user.is_authenticated or not user.is_active:
        return []
    # Cached on the user object for the request; a new request loads a fresh user.
    cached: list[Assignment] | None = getattr(user, "_netral_assignments", None)
    if cached is None:
        cached = list(Assignment.objects.filter(user_id=user.pk).only("role", "region_id"))
        setattr(user, "_netral_assignments", cached)  # noqa: B010
    return cached


# An API token acts for its holder with only the permissions chosen for it (issue 14 §12,
# netral/accounts/tokens.py): the set is attached to the user object of the request.
TOKEN_PERMISSIONS_ATTR = "_netral_token_permissions"  # noqa: S105  an attribute name


def jurisdiction_codes(user: AnyUser, perm: Perm = Perm.VIEW) -> set[str] | None:
    """Region codes where `user` holds `perm`: None means everywhere, an empty set nowhere."""
    codes: set[str] = set()
    token_permissions = getattr(user, TOKEN_PERMISSIONS_ATTR, None)
    if token_permissions is not None and perm not in token_permissions:
        return codes
    if user.is_authenticated and user.is_active and user.is_superuser:
        return NATIONAL
    for assignment in _assignments(user):
        if perm not in ROLE_PERMISSIONS[assignment.role]:
            continue
        if assignment.region_id is None:
            return NATIONAL
        codes.add(assignment.region_id)
    # Drop codes already covered by a broader one ("64.08.01" under "64.08").
    return {c for c in codes if not any(c.startswith(o + ".") for o in codes)}


def has_perm(user: AnyUser, perm: Perm) -> bool:
    codes = jurisdiction_codes(user, perm)
    return codes is NATIONAL or bool(codes)


def region_q(user: AnyUser, field: str, perm: Perm = Perm.VIEW) -> Q:
    """A filter keeping rows whose region code `field` lies in the user's jurisdiction.

    Written as `= code OR LIKE 'code.%'`, which is right under any collation, so it also
    serves plain text columns such as AuditEntry.region_code. Large tables whose column is a
    foreign key to Region (bytewise on PostgreSQL, docs/decisions/0006) use the index range
    of registry.selectors.region_subtree_q instead (officials_visible_to below)."""
    codes = jurisdiction_codes(user, perm)
    if codes is NATIONAL:
        return Q()
    if not codes:
        return Q(pk__in=[])
    condition = Q()
    for code in sorted(codes):
        condition |= Q(**{field: code})
        condition |= Q(**{f"{field}__startswith": code + "."})
    return condition


def covers(user: AnyUser, region_code: str | None, perm: Perm = Perm.VIEW) -> bool:
    """Whether `region_code` lies in the user's jurisdiction for `perm`."""
    codes = jurisdiction_codes(user, perm)
    if codes is NATIONAL:
        return True
    if region_code is None:
        return False
    return any(region_code == c or region_code.startswith(c + ".") for c in codes)


# Capabilities that handle cases, see identities (NIK, confidential reporters) or administer:
# an account holding any of them must use a second factor (issue 14 §11).
TWO_FACTOR_PERMS = frozenset({Perm.HANDLE_CASES, Perm.MANAGE_OFFICIALS, Perm.ADMINISTER})


def requires_two_factor(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(ROLE_PERMISSIONS[a.role] & TWO_FACTOR_PERMS for a in _assignments(user))


def require_perm(user: AnyUser, perm: Perm) -> None:
    """404, not 403: an officer without the capability learns nothing about the page."""
    if not has_perm(user, perm):
        raise Http404


# --- regions -------------------------------------------------------------------------


def regions_managed_by(user: AnyUser, perm: Perm = Perm.VIEW) -> QuerySet[Region]:
    """The root regions of the user's jurisdiction (provinces when national)."""
    from netral.registry.models import Region

    codes = jurisdiction_codes(user, perm)
    if codes is NATIONAL:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(code__in=codes)


# --- users ---------------------------------------------------------------------------


def users_visible_to(user: AnyUser) -> QuerySet[User]:
    """Officers whose assignment lies in the viewer's jurisdiction."""
    if not has_perm(user, Perm.VIEW):
        return User.objects.none()
    return User.objects.filter(
        pk__in=Assignment.objects.filter(region_q(user, "region__code")).values("user_id")
    ).order_by("username")


# --- audit ---------------------------------------------------------------------------


def audit_entries_visible_to(user: AnyUser) -> QuerySet[AuditEntry]:
    from netral.audit.models import AuditEntry

    if not has_perm(user, Perm.VIEW_AUDIT):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(region_q(user, "region_code", Perm.VIEW_AUDIT))


def access_audit_chain(user: AnyUser, chain_key: str) -> QuerySet[AuditEntry]:
    entries = audit_entries_visible_to(user).filter(chain_key=chain_key).order_by("seq")
    if not entries.exists():
        raise Http404
    return entries


# --- cases (issue 5) -----------------------------------------------------------------
# A case is seen by officers whose jurisdiction covers the place of the incident or the
# handling unit; it is handled (written) only by those holding HANDLE_CASES over the
# handling unit's region (a Bawaslu Kab/Kota thus also covers its Panwaslu Kecamatan).
# The identity of a confidential reporter is shown only to those handling officers.


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    from netral.cases.models import Case

    if not has_perm(user, Perm.VIEW):
        return Case.objects.none()
    if jurisdiction_codes(user, Perm.VIEW) is NATIONAL:
        return Case.objects.all()
    return Case.objects.filter(
        region_q(user, "incident_region__code") | region_q(user, "handling_region__code")
    )


def can_see_case(user: AnyUser, case: Case) -> bool:
    """The rule of cases_visible_to for one loaded case, without a query."""
    return has_perm(user, Perm.VIEW) and (
        covers(user, case.incident_region_id) or covers(user, case.handling_region_id)
    )


def can_handle_case(user: AnyUser, case: Case) -> bool:
    if case.handling_region_id is None:
        return jurisdiction_codes(user, Perm.HANDLE_CASES) is NATIONAL
    return covers(user, case.handling_region_id, Perm.HANDLE_CASES)


def can_see_reporter_identity(user: AnyUser, case: Case) -> bool:
    return can_handle_case(user, case)


def access_case(user: AnyUser, case_id: int, *, write: bool = False) -> Case:
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if write and not can_handle_case(user, case):
        raise Http404
    return case


def case_handlers_for_region(region_code: str | None) -> QuerySet[User]:
    """Officers who may handle a case of the unit at `region_code` (for notifications)."""
    roles = [r for r, perms in ROLE_PERMISSIONS.items() if Perm.HANDLE_CASES in perms]
    codes: list[str | None] = [None]
    if region_code:
        parts = region_code.split(".")
        codes += [".".join(parts[: i + 1]) for i in range(len(parts))]
    q = Q(assignments__role__in=roles, assignments__region__isnull=True)
    q |= Q(assignments__role__in=roles, assignments__region_id__in=[c for c in codes if c])
    return User.objects.filter(q, is_active=True).distinct().order_by("username")


# --- declarations (issue 4) ----------------------------------------------------------
# Events, their signatures and regional pledge texts belong to the event's (or text's)
# region: read with VIEW over it, written with MANAGE_DECLARATIONS over it. Standard
# (national) texts are readable by every officer and never written here.

if TYPE_CHECKING:
    from netral.declarations.models import Event, EventDocument, PledgeTemplate, Signature


def events_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Event]:
    from netral.declarations.models import Event

    perm = Perm.MANAGE_DECLARATIONS if write else Perm.VIEW
    if not has_perm(user, perm):
        return Event.objects.none()
    return Event.objects.filter(region_q(user, "region__code", perm))


def access_event(user: AnyUser, event_id: int, *, write: bool = False) -> Event:
    event = (
        events_visible_to(user, write=write)
        .filter(pk=event_id)
        .select_related("region", "election_event")
        .first()
    )
    if event is None:
        raise Http404
    return event


def signatures_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Signature]:
    from netral.declarations.models import Signature

    perm = Perm.MANAGE_DECLARATIONS if write else Perm.VIEW
    if not has_perm(user, perm):
        return Signature.objects.none()
    return Signature.objects.filter(region_q(user, "event__region__code", perm))


def access_signature(user: AnyUser, signature_id: int, *, write: bool = False) -> Signature:
    signature = (
        signatures_visible_to(user, write=write)
        .filter(pk=signature_id)
        .select_related("event", "template")
        .first()
    )
    if signature is None:
        raise Http404
    return signature


def pledge_templates_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[PledgeTemplate]:
    from netral.declarations.models import PledgeTemplate

    perm = Perm.MANAGE_DECLARATIONS if write else Perm.VIEW
    if not has_perm(user, perm):
        return PledgeTemplate.objects.none()
    own = PledgeTemplate.objects.filter(region__isnull=False).filter(
        region_q(user, "region__code", perm)
    )
    if write:
        return own
    return own | PledgeTemplate.objects.filter(region__isnull=True)


def access_pledge_template(
    user: AnyUser, template_id: int, *, write: bool = False
) -> PledgeTemplate:
    template = pledge_templates_visible_to(user, write=write).filter(pk=template_id).first()
    if template is None:
        raise Http404
    return template


def access_declarations_region(user: AnyUser, code: str, *, write: bool = True) -> Region:
    """A region where the user may create (write) or read declarations data."""
    from netral.registry.models import Region

    perm = Perm.MANAGE_DECLARATIONS if write else Perm.VIEW
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    if not covers(user, region.code, perm):
        raise Http404
    return region


def access_event_document(user: AnyUser, document_id: int) -> EventDocument:
    """A document the user may read: documents are read with VIEW over their event's region."""
    from netral.declarations.models import EventDocument

    perm = Perm.VIEW
    if not has_perm(user, perm):
        raise Http404
    document = (
        EventDocument.objects.filter(pk=document_id)
        .filter(region_q(user, "event__region__code", perm))
        .first()
    )
    if document is None:
        raise Http404
    return document


# --- registry: officials and import jobs (issue 3) ------------------------------------


def tallies_visible_to(user: AnyUser, model: type[TallyT]) -> QuerySet[TallyT]:
    """Dashboard tally rows (counts keyed by a region code cut to the kecamatan or the
    kabupaten/kota, netral/dashboards/models.py) of the user's jurisdiction."""
    rows: QuerySet[TallyT] = model._default_manager.all()
    if not has_perm(user, Perm.VIEW):
        return rows.none()
    return rows.filter(region_q(user, "unit"))


def officials_visible_to(user: AnyUser, *, within: str | None = None) -> QuerySet[Official]:
    """Officials whose region of duty lies in the viewer's jurisdiction, and in the region
    `within` when given (its code and descendants): `officials_visible_q` as a queryset."""
    from netral.registry.models import Official

    return Official.objects.filter(officials_visible_q(user, within=within))


def officials_visible_q(user: AnyUser, *, within: str | None = None, prefix: str = "") -> Q:
    """The condition on an official for `officials_visible_to`, on the official reached
    through `prefix` (e.g. "official__" from a signature), so a query that joins the official
    anyway filters the joined row instead of comparing with a subquery of officials.

    A region the jurisdiction covers is filtered by its own index range alone: the
    jurisdiction's condition holds for every row in it, and written twice it made
    PostgreSQL misjudge a regency's officials as a dozen rows (selectivities multiplied) and
    plan the dashboard's pledge coverage as a loop over them (35 ms for 9,455 officials,
    issue 15)."""
    from netral.registry.selectors import region_subtree_q

    field = f"{prefix}region_id"
    if within is not None:
        if prefix:
            # On a joined official: the code's prefix compared on the row reached, which no
            # index serves. As an index range, PostgreSQL's estimate of a regency's officials
            # moves with each ANALYZE's sample (42 to 8,398 for 9,455 of 5,000,000 rows) and a
            # low one made it read all of them to find the thousand who signed (issue 15).
            inside = Q(**{field: within}) | Q(
                Exact(Substr(field, 1, len(within) + 1), Value(within + "."))
            )
        else:  # the subtree, bytewise
            inside = Q(**{f"{field}__gte": within, f"{field}__lt": within + "/"})
        if covers(user, within, Perm.VIEW):
            return inside
        return officials_visible_q(user, prefix=prefix) & inside
    codes = jurisdiction_codes(user, Perm.VIEW)
    if codes is NATIONAL:
        return Q()
    if not codes:
        return Q(**{f"{prefix}pk__in": []})  # nothing: Django compiles it to no query at all
    condition = Q()
    for code in sorted(codes):
        condition |= region_subtree_q(code, field)  # an index range, not LIKE (1M rows)
    return condition


def access_official(user: AnyUser, official_id: int) -> Official:
    official = (
        officials_visible_to(user).select_related("agency", "region").filter(pk=official_id).first()
    )
    if official is None:
        raise Http404
    return official


def can_reveal_nik(user: AnyUser, official: Official) -> bool:
    """Who may reveal an official's full NIK (issue 14 §14): those who manage the registry
    or handle cases over the official's region. Read-only roles see it masked only."""
    return covers(user, official.region_id, Perm.MANAGE_OFFICIALS) or covers(
        user, official.region_id, Perm.HANDLE_CASES
    )


def access_official_nik(user: AnyUser, official_id: int) -> Official:
    """An official whose NIK the user may reveal; 404 otherwise (missing, not yours, or a
    role without the need)."""
    official = access_official(user, official_id)
    if not can_reveal_nik(user, official):
        raise Http404
    return official


def access_coverage_region(user: AnyUser, code: str) -> Region | None:
    """The region a coverage report is about: `code` when it lies in the viewer's jurisdiction
    (404 for missing and not-yours alike); without a code, the root of the jurisdiction, or
    None (the whole country) for a national viewer."""
    from netral.registry.selectors import region_get

    require_perm(user, Perm.VIEW)
    if code:
        region = region_get(code=code)
        if region is None or not covers(user, region.code):
            raise Http404
        return region
    if covers(user, None):
        return None
    return regions_managed_by(user).first()


def official_import_regions(user: AnyUser) -> set[str] | None:
    """Jurisdiction roots where `user` may import officials (None = national); 404 if none."""
    codes = jurisdiction_codes(user, Perm.MANAGE_OFFICIALS)
    if codes is not NATIONAL and not codes:
        raise Http404
    return codes


def import_jobs_visible_to(user: AnyUser) -> QuerySet[ImportJob]:
    """Import jobs a user may follow: their own uploads, while they may still import."""
    from netral.registry.models import ImportJob

    if not has_perm(user, Perm.MANAGE_OFFICIALS):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by_id=user.pk)


def access_import_job(user: AnyUser, job_id: int) -> ImportJob:
    job = import_jobs_visible_to(user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


# --- dashboards: public transparency page (issue 6) -----------------------------------
# Anyone may read national AGGREGATES on /transparansi/ (counts with small cells
# suppressed, never rows). This is the one place that grants it: the reader below exists
# only in memory, holds a read-only national role (no write capability), is never saved
# and is used only by netral/dashboards/public.py to count.


def public_statistics_reader() -> User:
    reader = User(username="public-statistics", is_active=True)
    assignments = [Assignment(role=Role.AUDITOR, region=None)]
    setattr(reader, "_netral_assignments", assignments)  # noqa: B010
    return reader


# --- news monitoring (issue 17) --------------------------------------------------------
# A proposal belongs to the unit whose jurisdiction the article names (its region); one
# without a region waits in the national queue. Read with VIEW; an event proposal is
# accepted with MANAGE_DECLARATIONS and a lead with HANDLE_CASES over that region. News
# sources are configured by administrators.

if TYPE_CHECKING:
    from netral.news.models import NewsSource, Proposal


def proposals_visible_to(user: AnyUser) -> QuerySet[Proposal]:
    from netral.news.models import Proposal

    if not has_perm(user, Perm.VIEW):
        return Proposal.objects.none()
    if jurisdiction_codes(user, Perm.VIEW) is NATIONAL:
        return Proposal.objects.all()
    return Proposal.objects.filter(region_q(user, "region__code"))


def access_proposal(user: AnyUser, proposal_id: int) -> Proposal:
    proposal = (
        proposals_visible_to(user)
        .select_related("article", "region")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def can_decide_proposal(user: AnyUser, proposal: Proposal) -> bool:
    from netral.news.models import ProposalKind

    perm = Perm.MANAGE_DECLARATIONS if proposal.kind == ProposalKind.EVENT else Perm.HANDLE_CASES
    if proposal.region_id is None:
        return jurisdiction_codes(user, perm) is NATIONAL
    return covers(user, proposal.region_id, perm)


def can_add_news(user: AnyUser) -> bool:
    return has_perm(user, Perm.MANAGE_DECLARATIONS) or has_perm(user, Perm.HANDLE_CASES)


def news_sources_visible_to(user: AnyUser) -> QuerySet[NewsSource]:
    from netral.news.models import NewsSource

    if not has_perm(user, Perm.ADMINISTER):
        return NewsSource.objects.none()
    if jurisdiction_codes(user, Perm.ADMINISTER) is NATIONAL:
        return NewsSource.objects.all()
    return NewsSource.objects.filter(region_q(user, "region__code", Perm.ADMINISTER))


# --- patroli siber (issue 16) -----------------------------------------------------------
# A capture belongs to its patrol unit's region (unit_region; None = national): read with
# VIEW over it, requested, triaged and put in takedown letters with HANDLE_CASES over it.
# Officials' accounts are watched where the officials are visible (officials_visible_to);
# an account an officer proposes is confirmed by a registry manager (MANAGE_OFFICIALS).

if TYPE_CHECKING:
    from netral.patrol.models import AccountProposal, Capture, TakedownLetter, WatchTerm
    from netral.registry.models import SocialAccount


def _unit_scoped(user: AnyUser, model: type[TallyT], field: str, write: bool) -> QuerySet[TallyT]:
    perm = Perm.HANDLE_CASES if write else Perm.VIEW
    rows: QuerySet[TallyT] = model._default_manager.all()
    if not has_perm(user, perm):
        return rows.none()
    if jurisdiction_codes(user, perm) is NATIONAL:
        return rows
    return rows.filter(region_q(user, field, perm))


def patrol_units(user: AnyUser) -> list[Region | None]:
    """The units an officer patrols for: the roots of their HANDLE_CASES jurisdiction (None
    for a national one)."""
    codes = jurisdiction_codes(user, Perm.HANDLE_CASES)
    if codes is NATIONAL:
        return [None]
    from netral.registry.models import Region

    return list(Region.objects.filter(code__in=codes or set()).order_by("code"))


def access_patrol_unit(user: AnyUser, code: str) -> Region | None:
    """A unit the user may patrol for ('' = their first); 404 when none."""
    units = patrol_units(user)
    if not units:
        raise Http404
    if not code:
        return units[0]
    from netral.registry.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None or not covers(user, region.code, Perm.HANDLE_CASES):
        raise Http404
    return region


def captures_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Capture]:
    from netral.patrol.models import Capture

    return _unit_scoped(user, Capture, "unit_region__code", write)


def access_capture(user: AnyUser, capture_id: int, *, write: bool = False) -> Capture:
    capture = (
        captures_visible_to(user, write=write)
        .select_related("official", "account", "unit_region", "election_event", "requested_by")
        .filter(pk=capture_id)
        .first()
    )
    if capture is None:
        raise Http404
    return capture


def takedown_letters_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[TakedownLetter]:
    from netral.patrol.models import TakedownLetter

    return _unit_scoped(user, TakedownLetter, "unit_region__code", write)


def access_takedown_letter(user: AnyUser, letter_id: int, *, write: bool = False) -> TakedownLetter:
    letter = takedown_letters_visible_to(user, write=write).filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    return letter


def watch_terms_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[WatchTerm]:
    """Terms of the user's units, and national ones (read by all officers)."""
    from netral.patrol.models import WatchTerm

    own = _unit_scoped(user, WatchTerm, "unit_region__code", write)
    if write or not has_perm(user, Perm.VIEW):
        return own
    return own | WatchTerm.objects.filter(unit_region__isnull=True)


def access_watch_term(user: AnyUser, term_id: int) -> WatchTerm:
    term = watch_terms_visible_to(user, write=True).filter(pk=term_id).first()
    if term is None:
        raise Http404
    return term


def social_accounts_visible_to(user: AnyUser) -> QuerySet[SocialAccount]:
    from netral.registry.models import SocialAccount

    return SocialAccount.objects.filter(official__in=officials_visible_to(user))


def access_social_account(user: AnyUser, account_id: int, *, write: bool = False) -> SocialAccount:
    account = (
        social_accounts_visible_to(user).select_related("official").filter(pk=account_id).first()
    )
    if account is None:
        raise Http404
    if write and not covers(user, account.official.region_id, Perm.HANDLE_CASES):
        raise Http404
    return account


def account_proposals_visible_to(
    user: AnyUser, *, write: bool = False
) -> QuerySet[AccountProposal]:
    """Proposals over officials of the jurisdiction; deciding needs MANAGE_OFFICIALS."""
    from netral.patrol.models import AccountProposal

    perm = Perm.MANAGE_OFFICIALS if write else Perm.VIEW
    if not has_perm(user, perm):
        return AccountProposal.objects.none()
    if jurisdiction_codes(user, perm) is NATIONAL:
        return AccountProposal.objects.all()
    return AccountProposal.objects.filter(region_q(user, "official__region__code", perm))


def access_account_proposal(
    user: AnyUser, proposal_id: int, *, write: bool = False
) -> AccountProposal:
    proposal = (
        account_proposals_visible_to(user, write=write)
        .select_related("official")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def patrol_officers_of(user: AnyUser) -> QuerySet[User]:
    """Officers a watch list may be split among: case handlers within the user's units."""
    roles = [r for r, perms in ROLE_PERMISSIONS.items() if Perm.HANDLE_CASES in perms]
    if not has_perm(user, Perm.HANDLE_CASES):
        return User.objects.none()
    scoped = Assignment.objects.filter(role__in=roles).filter(
        region_q(user, "region__code", Perm.HANDLE_CASES)
    )
    return User.objects.filter(pk__in=scoped.values("user_id"), is_active=True).order_by("username")
