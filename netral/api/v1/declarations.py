"""Declarations API (issue 4): events, signatures, revocation, coverage, verification."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Path, Query

from netral.accounts import access
from netral.accounts.models import User
from netral.api.auth import API_AUTH
from netral.api.v1.params import CODE_MAX, ID_MAX
from netral.core.bounds import TEXT_MAX
from netral.declarations import selectors, services
from netral.declarations.models import Event, Signature

router = Router(tags=["declarations"])


class EventOut(Schema):
    id: int
    code: uuid.UUID
    title: str
    kinds: list[str]
    date: str
    region_code: str
    venue: str
    organiser: str
    election_event: str | None
    pledges: list[int]


class SignatureOut(Schema):
    id: int
    code: uuid.UUID
    template_id: int
    signer_name: str
    signer_title: str
    signer_institution: str
    method: str
    signed_at: str
    revoked_at: str | None
    revocation_reason: str


class InstitutionalIn(Schema):
    template_id: int
    name: str = Field(max_length=200)
    title: str = Field(max_length=200)
    institution: str = Field(max_length=200)


class RevokeIn(Schema):
    reason: str = Field(max_length=TEXT_MAX)


class VerificationOut(Schema):
    code: uuid.UUID
    status: str
    signer_name: str | None
    pledge_title: str | None
    event_title: str | None
    signed_at: str | None


def _event_out(event: Event) -> EventOut:
    return EventOut(
        id=event.pk,
        code=event.code,
        title=event.title,
        kinds=event.kinds,
        date=event.date.isoformat(),
        region_code=event.region_id,
        venue=event.venue,
        organiser=event.organiser,
        election_event=event.election_event.name if event.election_event else None,
        pledges=[p.pk for p in event.pledges.all()],
    )


def _signature_out(sig: Signature) -> SignatureOut:
    return SignatureOut(
        id=sig.pk,
        code=sig.code,
        template_id=sig.template_id,
        signer_name=sig.signer_name,
        signer_title=sig.signer_title,
        signer_institution=sig.signer_institution,
        method=sig.method,
        signed_at=sig.signed_at.isoformat(),
        revoked_at=sig.revoked_at.isoformat() if sig.revoked_at else None,
        revocation_reason=sig.revocation_reason,
    )


@router.get("/events", response=list[EventOut], auth=API_AUTH, summary="Events in scope")
def event_list_api(request: HttpRequest, limit: int = Query(100, ge=1, le=500)) -> list[EventOut]:
    events = (
        access.events_visible_to(request.user)
        .select_related("election_event")
        .prefetch_related("pledges")
        .order_by("-date", "-id")[: min(max(limit, 1), 500)]
    )
    return [_event_out(e) for e in events]


@router.get("/events/{event_id}", response=EventOut, auth=API_AUTH, summary="One event")
def event_detail_api(request: HttpRequest, event_id: int = Path(..., ge=1, le=ID_MAX)) -> EventOut:
    return _event_out(access.access_event(request.user, event_id))


@router.get(
    "/events/{event_id}/signatures",
    response=list[SignatureOut],
    auth=API_AUTH,
    summary="Signatures of an event (revoked ones included)",
)
def event_signatures_api(
    request: HttpRequest, event_id: int = Path(..., ge=1, le=ID_MAX)
) -> list[SignatureOut]:
    event = access.access_event(request.user, event_id)
    return [_signature_out(s) for s in selectors.event_signatures(event=event)]


@router.post(
    "/events/{event_id}/institutional-signatures",
    response=SignatureOut,
    auth=API_AUTH,
    summary="Record an institutional signatory",
)
def signature_institutional_api(
    request: HttpRequest, payload: InstitutionalIn, event_id: int = Path(..., ge=1, le=ID_MAX)
) -> SignatureOut:
    event = access.access_event(request.user, event_id, write=True)
    template = event.pledges.filter(pk=payload.template_id).first()
    if template is None:
        raise Http404
    sig = services.signature_institutional(
        event=event,
        template=template,
        actor=cast(User, request.user),  # django_auth: authenticated
        name=payload.name,
        title=payload.title,
        institution=payload.institution,
    )
    return _signature_out(sig)


@router.post(
    "/signatures/{signature_id}/revoke",
    response=SignatureOut,
    auth=API_AUTH,
    summary="Revoke a signature with a reason (never deletes)",
)
def signature_revoke_api(
    request: HttpRequest, payload: RevokeIn, signature_id: int = Path(..., ge=1, le=ID_MAX)
) -> SignatureOut:
    sig = access.access_signature(request.user, signature_id, write=True)
    actor = cast(User, request.user)  # django_auth: authenticated
    return _signature_out(
        services.signature_revoke(signature=sig, actor=actor, reason=payload.reason)
    )


@router.get("/coverage", auth=API_AUTH, summary="Coverage keyed by region code (map shape)")
def coverage_api(
    request: HttpRequest,
    region: str = Query(..., max_length=CODE_MAX),
    election_event: int | None = Query(None, ge=1, le=ID_MAX),
) -> dict[str, Any]:
    root = access.access_declarations_region(request.user, region, write=False)
    election = None
    if election_event is not None:
        election = selectors.election_event_get(election_event_id=election_event)
        if election is None:
            raise Http404
    return dict(selectors.coverage(region=root, election_event=election))


@router.get("/verify/{code}", response=VerificationOut, summary="Public: re-check a seal")
def verify_api(request: HttpRequest, code: uuid.UUID) -> VerificationOut:
    result = selectors.signature_verify(code=code)
    sig = result.signature
    if sig is None or result.status is None:
        raise Http404
    readable = result.status != "INVALID"
    return VerificationOut(
        code=code,
        status=str(result.status),
        signer_name=sig.signer_name if readable else None,
        pledge_title=sig.pledge_snapshot.get("title") if readable else None,
        event_title=sig.event_snapshot.get("title") if readable else None,
        signed_at=sig.signed_at.isoformat() if readable else None,
    )
