"""Cases API: list (with filters), detail, transitions. Scoped through accounts/access.py."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Path, Query

from netral.accounts import access
from netral.api.auth import API_AUTH
from netral.api.v1.params import CHOICE_MAX, CODE_MAX, ID_MAX, OFFSET_MAX, QUERY_MAX
from netral.cases import selectors
from netral.cases.models import Case, Status
from netral.cases.selectors import CaseFilters
from netral.cases.services import case_forward, case_receive, case_register
from netral.cases.workflow import case_transition
from netral.core.bounds import TEXT_MAX
from netral.core.errors import ApplicationError
from netral.core.zones import case_zone, local_in

router = Router(tags=["cases"], auth=API_AUTH)
MAX_PAGE = 100


class CaseOut(Schema):
    id: int
    code: str
    origin: str
    regime: str
    status: str
    registration_number: str
    tracking_number: str | None
    title: str
    incident_region: str
    handling_region: str | None
    forwarded_to_region: str | None = None  # pelimpahan (T9): the receiving unit
    due_at: dt.datetime | None
    due_step: str
    due_basis: str
    created_at: dt.datetime
    # Times are ISO 8601 with the offset of the handling unit's zone, named here (issue 12
    # point 7): "WIB" (+07:00), "WITA" (+08:00) or "WIT" (+09:00).
    time_zone: str


class CasePageOut(Schema):
    count: int
    results: list[CaseOut]


class CaseTransitionIn(Schema):
    to: str = Field(max_length=32)
    note: str = Field("", max_length=TEXT_MAX)


def _out(c: Case) -> CaseOut:
    zone = case_zone(c)
    return CaseOut(
        id=c.pk,
        code=str(c.code),
        origin=c.origin,
        regime=c.regime,
        status=c.status,
        registration_number=c.registration_number,
        tracking_number=c.tracking_number,
        title=c.title,
        incident_region=c.incident_region_id,
        handling_region=c.handling_region_id,
        forwarded_to_region=c.forwarded_to_region_id,
        due_at=local_in(c.due_at, zone) if c.due_at else None,
        due_step=c.due_step,
        due_basis=c.due_basis,
        created_at=local_in(c.created_at, zone),
        time_zone=zone.abbreviation,
    )


@router.get("/", response=CasePageOut, summary="Cases visible to the caller, filtered")
def case_list_api(
    request: HttpRequest,
    status: str = Query("", max_length=CHOICE_MAX),
    origin: str = Query("", max_length=CHOICE_MAX),
    regime: str = Query("", max_length=CHOICE_MAX),
    region: str = Query("", max_length=CODE_MAX),
    q: str = Query("", max_length=QUERY_MAX),
    overdue: bool = False,
    open_only: bool = False,
    offset: int = Query(0, ge=0, le=OFFSET_MAX),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
) -> CasePageOut:
    filters = CaseFilters(
        status=status,
        origin=origin,
        regime=regime,
        region=region,
        q=q,
        overdue=overdue,
        open_only=open_only,
    )
    qs = selectors.case_list(qs=access.cases_visible_to(request.user), filters=filters)
    limit = min(max(limit, 1), MAX_PAGE)
    offset = max(offset, 0)
    return CasePageOut(count=qs.count(), results=[_out(c) for c in qs[offset : offset + limit]])


@router.get("/{case_id}", response=CaseOut, summary="One case")
def case_detail_api(request: HttpRequest, case_id: int = Path(..., ge=1, le=ID_MAX)) -> CaseOut:
    return _out(access.access_case(request.user, case_id))


@router.post("/{case_id}/transition", response=CaseOut, summary="Move a case along §8.2")
def case_transition_api(
    request: HttpRequest, payload: CaseTransitionIn, case_id: int = Path(..., ge=1, le=ID_MAX)
) -> CaseOut:
    case = access.access_case(request.user, case_id, write=True)
    if payload.to not in Status.values:
        raise ApplicationError(f"unknown status {payload.to!r}")
    user = request.user
    if payload.to == Status.DITERIMA:
        return _out(case_receive(case=case, actor=user))  # type: ignore[arg-type]
    if payload.to == Status.DIREGISTRASI:
        return _out(case_register(case=case, actor=user, note=payload.note))  # type: ignore[arg-type]
    return _out(
        case_transition(
            case=case,
            to=Status(payload.to),
            actor=user,  # type: ignore[arg-type]
            note=payload.note,
        )
    )


class CaseForwardIn(Schema):
    # kode wilayah of the receiving unit, or "RI" for Bawaslu RI
    destination: str = Field(max_length=13)
    note: str = Field(max_length=2000)
    # of the surat pelimpahan; empty: numbered automatically
    letter_number: str = Field("", max_length=80)


class CaseForwardOut(Schema):
    source: CaseOut
    target: CaseOut


@router.post(
    "/{case_id}/forward", response=CaseForwardOut, summary="Pelimpahan (T9) to another unit"
)
def case_forward_api(
    request: HttpRequest, payload: CaseForwardIn, case_id: int = Path(..., ge=1, le=ID_MAX)
) -> CaseForwardOut:
    case = access.access_case(request.user, case_id, write=True)
    done = case_forward(
        case=case,
        actor=request.user,  # type: ignore[arg-type]
        destination=selectors.forward_destination_get(code=payload.destination),
        note=payload.note,
        letter_number=payload.letter_number,
    )
    return CaseForwardOut(source=_out(done.source), target=_out(done.target))
