"""Officials registry API: search, profile, coverage and an import dry run (issue 3)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.params.functions import Path, Query

from netral.accounts import access
from netral.accounts.models import User
from netral.api.auth import API_AUTH
from netral.api.v1.params import CHOICE_MAX, CODE_MAX, ID_MAX, OFFSET_MAX, QUERY_MAX
from netral.core.errors import ApplicationError
from netral.registry import selectors
from netral.registry.models import Official
from netral.registry.services.identity import official_nik_reveal
from netral.registry.services.officials_import import officials_import

router = Router(tags=["officials"], auth=API_AUTH)


class OfficialOut(Schema):
    id: int
    subject_type: str
    name: str
    nip: str | None
    ni_pppk: str | None
    nik_masked: str
    nrp: str | None
    position: str
    position_category: str
    agency: str | None
    region_code: str
    region_name: str


class SocialAccountOut(Schema):
    platform: str
    handle: str


class PositionHistoryOut(Schema):
    position: str
    position_category: str
    agency_name: str
    region_code: str
    valid_until: str


class OfficialDetailOut(OfficialOut):
    nik: str | None = Field(
        description="Masked (first 6 and last 2 digits); reveal with POST /{id}/nik."
    )
    email: str
    phone: str
    is_active: bool
    region_label: str
    social_accounts: list[SocialAccountOut]
    history: list[PositionHistoryOut]


class OfficialPageOut(Schema):
    page: int
    has_next: bool
    items: list[OfficialOut]


class CoverageRowOut(Schema):
    region_code: str
    region_name: str
    by_type: dict[str, int]
    villages: int
    villages_with_head: int


class CoverageOut(Schema):
    region_code: str | None
    summary: CoverageRowOut | None
    rows: list[CoverageRowOut]


class ImportErrorOut(Schema):
    row: int
    field: str
    message: str


class ImportDryRunOut(Schema):
    ok: bool
    rows: int
    error_count: int
    errors: list[ImportErrorOut]


def _out(o: Official) -> OfficialOut:
    return OfficialOut(
        id=o.pk,
        subject_type=o.subject_type,
        name=o.name,
        nip=o.nip,
        ni_pppk=o.ni_pppk,
        nik_masked=o.nik_masked,
        nrp=o.nrp,
        position=o.position,
        position_category=o.position_category,
        agency=o.agency.name if o.agency else None,
        region_code=o.region_id,
        region_name=o.region.short_name,
    )


def _coverage_row(row: selectors.CoverageRow) -> CoverageRowOut:
    return CoverageRowOut(
        region_code=row.region.code,
        region_name=row.region.short_name,
        by_type=row.by_type,
        villages=row.villages,
        villages_with_head=row.villages_with_head,
    )


@router.get("/", response=OfficialPageOut, summary="Search officials in your jurisdiction")
def official_search_api(
    request: HttpRequest,
    q: str = Query("", max_length=QUERY_MAX),
    subject_type: str = Query("", max_length=CHOICE_MAX),
    region: str = Query("", max_length=CODE_MAX),
    agency_id: int | None = Query(None, ge=1, le=ID_MAX),
    page: int = Query(1, ge=1, le=OFFSET_MAX),
) -> OfficialPageOut:
    access.require_perm(request.user, access.Perm.VIEW)
    filters = selectors.OfficialFilters(
        q=q[:100], subject_type=subject_type[:16], region=region[:13], agency_id=agency_id
    )
    result = selectors.official_search(
        queryset=access.officials_visible_to(request.user), filters=filters, page=page
    )
    return OfficialPageOut(
        page=result.number, has_next=result.has_next, items=[_out(o) for o in result.items]
    )


@router.get("/coverage", response=CoverageOut, summary="Officials by type and region level")
def official_coverage_api(
    request: HttpRequest, region: str = Query("", max_length=CODE_MAX)
) -> CoverageOut:
    found = access.access_coverage_region(request.user, region)
    report = selectors.coverage_for_region(
        region=found, officials=access.officials_visible_to(request.user)
    )
    return CoverageOut(
        region_code=found.code if found else None,
        summary=_coverage_row(report.summary) if report.summary else None,
        rows=[_coverage_row(r) for r in report.rows],
    )


@router.get("/{official_id}", response=OfficialDetailOut, summary="One official's profile")
def official_detail_api(
    request: HttpRequest, official_id: int = Path(..., ge=1, le=ID_MAX)
) -> OfficialDetailOut:
    official = access.access_official(request.user, official_id)
    profile: dict[str, Any] = selectors.official_profile(official=official)
    base = _out(official).dict()
    return OfficialDetailOut(
        **base,
        nik=official.nik_masked or None,
        email=official.email,
        phone=official.phone,
        is_active=official.is_active,
        region_label=profile["region"].label,
        social_accounts=[
            SocialAccountOut(platform=s.platform, handle=s.handle)
            for s in profile["social_accounts"]
        ],
        history=[
            PositionHistoryOut(
                position=h.position,
                position_category=h.position_category,
                agency_name=h.agency_name,
                region_code=h.region_id,
                valid_until=h.valid_until.isoformat(),
            )
            for h in profile["history"]
        ],
    )


class NikRevealIn(Schema):
    reason: str = Field(max_length=500, description="Why the full NIK is needed (logged).")


class NikOut(Schema):
    nik: str


@router.post(
    "/{official_id}/nik",
    response=NikOut,
    summary="Reveal one official's full NIK, with a reason (written to the audit trail)",
)
def official_nik_api(request: HttpRequest, official_id: int, body: NikRevealIn) -> Any:
    official = access.access_official_nik(request.user, official_id)
    viewer = cast(User, request.user)  # django_auth: a signed-in user
    return NikOut(nik=official_nik_reveal(official=official, viewer=viewer, reason=body.reason))


@router.post(
    "/import/dry-run",
    response=ImportDryRunOut,
    summary="Validate an officials CSV/XLSX without writing anything",
)
def official_import_dry_run_api(request: HttpRequest, file: File[UploadedFile]) -> ImportDryRunOut:
    from django.conf import settings

    allowed = access.official_import_regions(request.user)
    if file.size and file.size > settings.NETRAL_MAX_UPLOAD_MB * 1024 * 1024:
        raise ApplicationError(
            _("Berkas terlalu besar (maks. %(mb)d MB).") % {"mb": settings.NETRAL_MAX_UPLOAD_MB}
        )
    result = officials_import(file=file, dry_run=True, allowed_regions=allowed)
    if result.error_csv is not None:
        result.error_csv.unlink(missing_ok=True)
    return ImportDryRunOut(
        ok=result.ok,
        rows=result.rows,
        error_count=result.error_count,
        errors=[ImportErrorOut(row=e.row, field=e.field, message=e.message) for e in result.errors],
    )
