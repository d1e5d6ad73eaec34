"""Reads for declarations: checklists, verification, coverage, an official's pledges."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db import connection
from django.db.models import QuerySet

from netral.declarations import signing
from netral.declarations.models import (
    Event,
    EventParticipant,
    JointDeclaration,
    PledgeTemplate,
    Signature,
    SignatureMethod,
    SigningInvitation,
    SpokenPledge,
)
from netral.registry.models import ASN_TYPES, Official, Region, RegionLevel, SubjectType
from netral.registry.selectors import region_subtree_q

if TYPE_CHECKING:
    from netral.elections.models import ElectionEvent


# --- events --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistRow:
    participant: EventParticipant
    official: Official
    cells: list[tuple[PledgeTemplate, Signature | None]]

    @property
    def signed_all(self) -> bool:
        return all(sig is not None for _t, sig in self.cells)


def event_pledges(*, event: Event) -> list[PledgeTemplate]:
    return list(event.pledges.order_by("title", "version"))


def event_participants(
    *, event: Event, query: str = "", region: str = ""
) -> QuerySet[EventParticipant]:
    """The expected participants, optionally filtered by name and by region (a desa)."""
    from netral.registry.text import fold

    participants = (
        EventParticipant.objects.filter(event=event)
        .select_related("official", "official__region", "official__agency")
        .order_by("official__region_id", "official__name", "pk")
    )
    if query:
        participants = participants.filter(official__name_folded__contains=fold(query))
    if region:
        participants = participants.filter(region_subtree_q(region, "official__region_id"))
    return participants


def event_participant_regions(*, event: Event) -> list[tuple[str, str]]:
    """The regions (desa/kelurahan) the participants come from, for the checklist filter."""
    codes = (
        EventParticipant.objects.filter(event=event)
        .values_list("official__region_id", flat=True)
        .distinct()
    )
    return list(Region.objects.filter(code__in=codes).order_by("code").values_list("code", "name"))


def checklist_rows(*, event: Event, participants: list[EventParticipant]) -> list[ChecklistRow]:
    """Each participant with their (active) signature per pledge text of the event."""
    pledges = event_pledges(event=event)
    official_ids = [p.official_id for p in participants]
    signed: dict[tuple[int, int], Signature] = {}
    for sig in Signature.objects.filter(
        official_id__in=official_ids,
        template__in=pledges,
        election_event=event.election_event,
        revoked_at__isnull=True,
    ):
        if sig.official_id is not None:
            signed[(sig.official_id, sig.template_id)] = sig
    return [
        ChecklistRow(p, p.official, [(t, signed.get((p.official_id, t.pk))) for t in pledges])
        for p in participants
    ]


def event_checklist(
    *, event: Event, query: str = "", limit: int | None = None
) -> list[ChecklistRow]:
    """The expected participants, each with their (active) signature per pledge text."""
    participants = event_participants(event=event, query=query)
    if limit is not None:
        participants = participants[:limit]
    return checklist_rows(event=event, participants=list(participants))


def event_text_counts(*, event: Event, pledges: list[PledgeTemplate]) -> list[dict[str, object]]:
    """Per text of the event: active signatures, and whether it was spoken (ikrar lisan)."""
    from django.db.models import Count

    counts = dict(
        Signature.objects.filter(event=event, revoked_at__isnull=True)
        .values_list("template_id")
        .annotate(n=Count("pk"))
        .values_list("template_id", "n")
    )
    institutional = dict(
        Signature.objects.filter(
            event=event, revoked_at__isnull=True, method=SignatureMethod.INSTITUTIONAL
        )
        .values_list("template_id")
        .annotate(n=Count("pk"))
        .values_list("template_id", "n")
    )
    spoken = set(SpokenPledge.objects.filter(event=event).values_list("template_id", flat=True))
    return [
        {
            "template": t,
            "signatures": counts.get(t.pk, 0),
            "institutional": institutional.get(t.pk, 0),
            "spoken": t.pk in spoken,
        }
        for t in pledges
    ]


def event_spoken_pledges(*, event: Event) -> list[SpokenPledge]:
    return list(
        SpokenPledge.objects.filter(event=event).prefetch_related("evidence").order_by("spoken_at")
    )


def event_joint_declarations(*, event: Event) -> list[JointDeclaration]:
    return list(JointDeclaration.objects.filter(event=event).order_by("-created_at", "-id"))


@dataclass(frozen=True)
class JointVerification:
    joint: JointDeclaration | None
    status: signing.VerificationStatus | None
    current: bool  # no newer joint declaration of the same text at the same event
    revoked_codes: frozenset[str]  # signatories whose own signature was revoked since


def joint_verify(*, code: uuid.UUID) -> JointVerification:
    joint = JointDeclaration.objects.filter(code=code).first()
    if joint is None:
        return JointVerification(None, None, False, frozenset())
    newer = (
        JointDeclaration.objects.filter(event_id=joint.event_id, template_id=joint.template_id)
        .filter(created_at__gt=joint.created_at)
        .exists()
    )
    codes = [s.get("code", "") for s in joint.record.get("signatories", [])]
    revoked = frozenset(
        str(c)
        for c in Signature.objects.filter(code__in=codes, revoked_at__isnull=False).values_list(
            "code", flat=True
        )
    )
    return JointVerification(joint, signing.joint_status(joint), not newer, revoked)


def event_signatures(*, event: Event) -> QuerySet[Signature]:
    return (
        Signature.objects.filter(event=event)
        .select_related("template", "evidence")
        .order_by("signed_at", "id")
    )


def event_summary(*, event: Event) -> dict[str, int]:
    from django.db.models import Count, Q

    sig = Signature.objects.filter(event=event).aggregate(
        signatures=Count("pk", filter=Q(revoked_at__isnull=True)),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        signers=Count(
            "official_id",
            filter=Q(revoked_at__isnull=True, official__isnull=False),
            distinct=True,
        ),
    )
    part = EventParticipant.objects.filter(event=event).aggregate(
        participants=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    return {**part, **sig}


# --- public verification -------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    signature: Signature | None
    status: signing.VerificationStatus | None  # None: no such code


_VERIFY_SQL = (
    f"SELECT * FROM {Signature._meta.db_table} "  # noqa: S608  constant names
    f"WHERE {Signature._meta.get_field('code').column} = %s"
)


def signature_verify(*, code: uuid.UUID) -> Verification:
    # The hot path of the public page: one indexed lookup without the ORM's query
    # compilation (measured in bench/declarations.py).
    field = Signature._meta.get_field("code")
    value = field.get_db_prep_value(code, connection)
    signature = next(iter(Signature.objects.raw(_VERIFY_SQL, [value])), None)
    if signature is None:
        return Verification(None, None)
    return Verification(signature, signing.verification_status(signature))


# --- the official's profile ----------------------------------------------------------


def official_pledges(*, official: Official, signatures: QuerySet[Signature]) -> list[Signature]:
    """The official's signatures among `signatures` (already scoped to the viewer by
    access.signatures_visible_to: only events the viewer may see), newest first, revoked
    ones included (marked)."""
    return list(signatures.filter(official=official).select_related("event").order_by("-signed_at"))


# --- coverage ------------------------------------------------------------------------


class Share(TypedDict):
    total: int
    signed: int
    spoken: int  # covered by an ikrar lisan only (present when it was read), not signed
    share: float | None  # (signed + spoken) / total, None when total is 0


class AgencyShare(Share):
    agency_id: int | None
    agency: str


class RegionShare(TypedDict):
    code: str
    name: str
    level: str
    desa: Share
    perangkat_desa: Share
    asn: Share


class Unsigned(TypedDict):
    official_id: int | None
    name: str
    position: str
    region_code: str
    region_name: str
    agency: str


class Coverage(TypedDict):
    region: dict[str, str]
    election_event: dict[str, object] | None
    desa: Share
    perangkat_desa: Share
    asn: Share
    asn_by_agency: list[AgencyShare]
    regions: dict[str, RegionShare]
    not_signed: dict[str, list[Unsigned]]


def _share(total: int, signed: int, spoken: int = 0) -> Share:
    covered = signed + spoken
    return {
        "total": total,
        "signed": signed,
        "spoken": spoken,
        "share": round(covered / total, 4) if total else None,
    }


def signed_official_ids(*, region: Region, election_event: ElectionEvent | None) -> set[int]:
    """Officials of the subtree with an active signature at an event of that election."""
    qs = Signature.objects.filter(revoked_at__isnull=True, official__isnull=False).filter(
        region_subtree_q(region.code, "official__region_id")
    )
    if election_event is not None:
        qs = qs.filter(election_event=election_event)
    return {pk for pk in qs.values_list("official_id", flat=True) if pk is not None}


def spoken_official_ids(*, region: Region, election_event: ElectionEvent | None) -> set[int]:
    """Officials of the subtree marked present at an event where a text was read out
    together (ikrar lisan, issue 13 §4)."""
    qs = EventParticipant.objects.filter(present=True, event__spoken_pledges__isnull=False).filter(
        region_subtree_q(region.code, "official__region_id")
    )
    if election_event is not None:
        qs = qs.filter(event__election_event=election_event)
    return set(qs.values_list("official_id", flat=True))


def coverage(*, region: Region, election_event: ElectionEvent | None) -> Coverage:
    """Who signed, for a region subtree and an election (None: any event).

    - desa: share of desa (level DESA) whose kepala desa signed;
    - perangkat_desa: share of registered perangkat desa who signed;
    - asn: share of ASN (PNS, PPPK, camat, lurah) who signed, also per agency;
    - regions: the same three shares per child region, keyed by region code (the shape the
      dashboards map draws; documented in docs/declarations.md);
    - not_signed: who has not, per group.

    Each share counts `signed` and, apart, `spoken`: covered only by an ikrar lisan they
    attended (issue 13 §4); `share` is both together over the total.
    """
    signed = signed_official_ids(region=region, election_event=election_event)
    spoken = spoken_official_ids(region=region, election_event=election_event) - signed
    covered = signed | spoken
    depth = region.code.count(".") + 1
    child_len = len(region.code) + (5 if depth == 3 else 3)

    def child_of(code: str) -> str:
        return code[:child_len] if len(code) > len(region.code) else region.code

    desa_rows = list(
        Region.objects.filter(
            region_subtree_q(region.code, "code"), level=RegionLevel.DESA
        ).values_list("code", "name")
    )
    names = dict(Region.objects.filter(parent_id=region.code).values_list("code", "name"))
    names[region.code] = region.name
    officials = list(
        Official.objects.filter(region_subtree_q(region.code), is_active=True)
        .filter(subject_type__in=[SubjectType.KEPALA_DESA, SubjectType.PERANGKAT_DESA, *ASN_TYPES])
        .select_related("agency", "region")
        .only(
            "pk",
            "name",
            "position",
            "subject_type",
            "region_id",
            "region__name",
            "agency_id",
            "agency__name",
        )
        .order_by("region_id", "name")
    )

    head_by_desa: dict[str, list[Official]] = {}
    perangkat: list[Official] = []
    asn: list[Official] = []
    for o in officials:
        if o.subject_type == SubjectType.KEPALA_DESA:
            head_by_desa.setdefault(o.region_id, []).append(o)
        elif o.subject_type == SubjectType.PERANGKAT_DESA:
            perangkat.append(o)
        else:
            asn.append(o)

    per_region: dict[str, dict[str, list[int]]] = {}

    def state(pk: int) -> bool | str:
        return True if pk in signed else ("spoken" if pk in spoken else False)

    def bump(code: str, group: str, is_signed: bool | str) -> None:
        counts = per_region.setdefault(
            child_of(code), {"desa": [0, 0, 0], "perangkat_desa": [0, 0, 0], "asn": [0, 0, 0]}
        )
        counts[group][0] += 1
        counts[group][1] += int(is_signed is True)
        counts[group][2] += int(is_signed == "spoken")

    def unsigned(o: Official) -> Unsigned:
        return {
            "official_id": o.pk,
            "name": o.name,
            "position": o.position,
            "region_code": o.region_id,
            "region_name": o.region.name,
            "agency": o.agency.name if o.agency else "",
        }

    not_signed: dict[str, list[Unsigned]] = {"kepala_desa": [], "perangkat_desa": [], "asn": []}
    desa_signed = desa_spoken = 0
    for code, name in desa_rows:
        heads = head_by_desa.get(code, [])
        ok: bool | str = any(h.pk in signed for h in heads) or (
            "spoken" if any(h.pk in spoken for h in heads) else False
        )
        desa_signed += ok is True
        desa_spoken += ok == "spoken"
        bump(code, "desa", ok)
        if not ok:
            if heads:
                not_signed["kepala_desa"].extend(unsigned(h) for h in heads)
            else:
                not_signed["kepala_desa"].append(
                    {
                        "official_id": None,
                        "name": "",
                        "position": "",
                        "region_code": code,
                        "region_name": name,
                        "agency": "",
                    }
                )
    for o in perangkat:
        bump(o.region_id, "perangkat_desa", state(o.pk))
        if o.pk not in covered:
            not_signed["perangkat_desa"].append(unsigned(o))
    agencies: dict[int | None, list[int]] = {}
    agency_names: dict[int | None, str] = {}
    for o in asn:
        ok = state(o.pk)
        bump(o.region_id, "asn", ok)
        tally = agencies.setdefault(o.agency_id, [0, 0, 0])
        tally[0] += 1
        tally[1] += int(ok is True)
        tally[2] += int(ok == "spoken")
        agency_names[o.agency_id] = o.agency.name if o.agency else ""
        if not ok:
            not_signed["asn"].append(unsigned(o))

    regions: dict[str, RegionShare] = {}
    for code in sorted(per_region):
        counts = per_region[code]
        regions[code] = {
            "code": code,
            "name": names.get(code, ""),
            "level": _level_of(code),
            "desa": _share(*counts["desa"]),
            "perangkat_desa": _share(*counts["perangkat_desa"]),
            "asn": _share(*counts["asn"]),
        }
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "election_event": None
        if election_event is None
        else {"id": election_event.pk, "name": election_event.name},
        "desa": _share(len(desa_rows), desa_signed, desa_spoken),
        "perangkat_desa": _share(
            len(perangkat),
            sum(o.pk in signed for o in perangkat),
            sum(o.pk in spoken for o in perangkat),
        ),
        "asn": _share(len(asn), sum(o.pk in signed for o in asn), sum(o.pk in spoken for o in asn)),
        "asn_by_agency": sorted(
            (
                {"agency_id": k, "agency": agency_names[k], **_share(v[0], v[1], v[2])}
                for k, v in agencies.items()
            ),
            key=lambda a: (a["share"] if a["share"] is not None else 2.0, a["agency"]),
        ),
        "regions": regions,
        "not_signed": not_signed,
    }


def _level_of(code: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return RegionLevel.PROVINSI
    if len(parts) == 2:
        return RegionLevel.KABKOTA
    if len(parts) == 3:
        return RegionLevel.KECAMATAN
    return RegionLevel.KELURAHAN if parts[3].startswith("1") else RegionLevel.DESA


def coverage_rows(*, cov: Coverage) -> list[list[object]]:
    """Flat rows for the CSV/XLSX export: a summary block, then who has not signed."""
    rows: list[list[object]] = [
        [
            "bagian",
            "kode_wilayah",
            "nama_wilayah",
            "total",
            "sudah",
            "persen",
            "nama",
            "jabatan",
            "instansi",
        ]
    ]
    for code, item in cov["regions"].items():
        for group, share in (
            ("desa", item["desa"]),
            ("perangkat_desa", item["perangkat_desa"]),
            ("asn", item["asn"]),
        ):
            rows.append(
                [
                    f"cakupan_{group}",
                    code,
                    item["name"],
                    share["total"],
                    share["signed"],
                    _pct(share["share"]),
                    "",
                    "",
                    "",
                ]
            )
    for agency in cov["asn_by_agency"]:
        rows.append(
            [
                "cakupan_asn_instansi",
                "",
                "",
                agency["total"],
                agency["signed"],
                _pct(agency["share"]),
                "",
                "",
                agency["agency"],
            ]
        )
    for group, people in cov["not_signed"].items():
        for person in people:
            rows.append(
                [
                    f"belum_{group}",
                    person["region_code"],
                    person["region_name"],
                    "",
                    "",
                    "",
                    person["name"],
                    person["position"],
                    person["agency"],
                ]
            )
    return rows


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}"


# --- checklist and online signing helpers --------------------------------------------


def event_participant(*, event: Event, official_id: int) -> EventParticipant | None:
    return (
        EventParticipant.objects.filter(event=event, official_id=official_id)
        .select_related("official", "official__agency")
        .first()
    )


def event_by_code(*, code: uuid.UUID) -> Event | None:
    """Public lookup by the event's QR code (only for the online signing page)."""
    return Event.objects.filter(code=code).first()


def invitation_pending_templates(*, invitation: SigningInvitation) -> QuerySet[PledgeTemplate]:
    """The event's texts the invited official has not signed yet."""
    signed = Signature.objects.filter(
        official_id=invitation.official_id,
        election_event=invitation.event.election_event,
        revoked_at__isnull=True,
    ).values("template_id")
    return invitation.event.pledges.exclude(pk__in=signed).order_by("title", "version")


def invitation_signed(*, invitation: SigningInvitation) -> list[Signature]:
    return list(
        Signature.objects.filter(
            official_id=invitation.official_id,
            event_id=invitation.event_id,
            revoked_at__isnull=True,
        ).order_by("signed_at")
    )


def election_event_get(*, election_event_id: int) -> ElectionEvent | None:
    from netral.elections.models import ElectionEvent

    return ElectionEvent.objects.filter(pk=election_event_id).first()
