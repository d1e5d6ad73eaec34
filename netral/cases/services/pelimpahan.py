"""Pelimpahan (T9, Perbawaslu 7/2022 Ps. 20): a report forwarded to the competent supervisor
unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import FileField
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseLinkType,
    Evidence,
    InitialAssessment,
    NotificationLog,
    ReportedPerson,
    Reporter,
    Status,
    Witness,
)
from netral.cases.notifications import (
    notify_officer,
)
from netral.cases.workflow import (
    InvalidTransition,
    case_refresh_deadline,
    case_transition,
)
from netral.core.errors import ApplicationError
from netral.elections.models import Regime
from netral.registry.models import Region, RegionLevel

if TYPE_CHECKING:
    from netral.accounts.models import User

from netral.cases.documents import pelimpahan_letter_generate
from netral.cases.regimes import regime_text

S = Status

# --- pelimpahan (T9) -------------------------------------------------------------------

# Where the receiving unit's clocks start (KAJIAN_AWAL "paling lama 2 Hari setelah laporan
# diterima", Perbawaslu 7/2022 Ps. 15(1); Pilkada PENANGANAN "3 hari setelah laporan diterima",
# Perpu 1/2014 Ps. 134(5)). For PILKADA the statutory clock is never restarted (issue 12
# point 3: ORIGINAL always). For PEMILU the statutory clock (UU 7/2017 Ps. 454(7)) starts at
# registration, after any pelimpahan, and only the Perbawaslu kajian awal clock depends on the
# receipt; DOMAIN §8.2 does not say whether pelimpahan restarts it, so it is a setting
# (NETRAL_PELIMPAHAN_ANCHOR):
#   "DESTINATION" (default): the moment the receiving unit receives the forwarded report, i.e.
#       the commit of the pelimpahan. Basis: kajian awal is done by the unit that receives the
#       report (Ps. 15(1) counts from its receipt), and a unit cannot be late before it holds
#       the file. The original receipt stays on the source case and in the link.
#   "ORIGINAL": the source unit's receipt (received_at of the forwarded case), the stricter
#       reading that the statutory clock binds the supervisors as one body.
PELIMPAHAN_ANCHOR_DESTINATION = "DESTINATION"
PELIMPAHAN_ANCHOR_ORIGINAL = "ORIGINAL"

# T9 is taken during kajian awal; a case still DITERIMA enters kajian awal (T2) first.
FORWARDABLE_STATUSES = frozenset({S.DITERIMA, S.KAJIAN_AWAL})


@dataclass(frozen=True)
class Forwarded:
    source: Case  # closed here as DILIMPAHKAN, destination recorded
    target: Case  # the new case at the receiving unit (DITERIMA)


def _forward_destination_check(source: Case, destination: Region | None) -> Region | None:
    """The receiving unit must be another supervisor unit that handles cases and is active in
    Netral (DOMAIN §1.1, §5.5 LIMPAH, Perbawaslu 7/2022 Ps. 20). None is Bawaslu RI, whose
    unit has no region (Case.handling_region NULL)."""
    from netral.cases.selectors import region_has_unit

    if destination is None:
        if source.handling_region_id is None:
            raise ApplicationError(
                _(
                    "Perkara ini sudah ditangani Bawaslu Republik Indonesia; pilih unit "
                    "pengawas lain."
                )
            )
        if not region_has_unit(code=None):
            raise ApplicationError(
                _(
                    "Belum ada petugas Bawaslu Republik Indonesia yang aktif di Netral; "
                    "pelimpahan tidak dapat dikirim."
                )
            )
        return None
    if destination.level not in (RegionLevel.PROVINSI, RegionLevel.KABKOTA, RegionLevel.KECAMATAN):
        raise ApplicationError(
            _(
                "Unit tujuan pelimpahan harus Bawaslu Provinsi, Bawaslu Kabupaten/Kota atau "
                "Panwaslu Kecamatan; desa/kelurahan tidak menangani perkara."
            )
        )
    if destination.code == source.handling_region_id:
        raise ApplicationError(
            _(
                "Unit tujuan pelimpahan sama dengan unit yang menangani perkara ini; pilih unit "
                "pengawas lain."
            )
        )
    if not region_has_unit(code=destination.code):
        raise ApplicationError(
            _("Belum ada unit pengawas yang aktif di %(region)s; pelimpahan tidak dapat dikirim.")
            % {"region": f"{destination.name} ({destination.code})"}
        )
    return destination


def _copy_rows(rows: list[Any], case: Case, skip: tuple[str, ...] = ()) -> list[Any]:
    """Unsaved copies of `rows` attached to `case` (every concrete field but the keys)."""
    out = []
    for row in rows:
        model = type(row)
        values = {
            # A file is copied by its stored name (a reference), never by its bytes.
            f.attname: (
                getattr(row, f.attname).name
                if isinstance(f, FileField)
                else getattr(row, f.attname)
            )
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("case", "created_at", "updated_at", *skip)
        }
        out.append(model(case=case, **values))
    return out


def case_forward(
    *, case: Case, actor: User, destination: Region | None, note: str, letter_number: str = ""
) -> Forwarded:
    """T9 pelimpahan (DOMAIN §5.5 LIMPAH, §8.2 T9; Perbawaslu 7/2022 Ps. 20): the report is
    not this unit's competence. In one transaction: the source is closed as DILIMPAHKAN with
    the destination recorded, and a new case opens at the receiving unit as a received report
    (DITERIMA, §8.2 T1: the receiving unit's receipt; kajian awal follows by T2), carrying
    what the law carries over: origin, regime, election, place and dates, the report text, the
    reporter (with confidentiality), the reported persons (with their registry links),
    witnesses and the same evidence files by reference with their SHA-256 digests. The two
    are linked (PELIMPAHAN), each gets a timeline event and an audit entry, the surat
    pelimpahan (PDF, numbered `letter_number` or Limpah/<reference>) is listed in both case
    files, and the receiving unit's officers are notified after commit.

    `destination` None is Bawaslu RI: the new case has no handling region, like every national
    case (accounts.access.can_handle_case)."""
    from netral.accounts.access import can_handle_case, case_handlers_for_region
    from netral.accounts.models import Role

    if not can_handle_case(actor, case):
        raise InvalidTransition(_("Anda tidak berwenang menangani perkara ini."))
    if not note.strip():
        raise ApplicationError(_("Catatan/alasan pelimpahan wajib diisi."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        destination = _forward_destination_check(locked, destination)
        destination_code = destination.code if destination is not None else None
        if locked.status not in FORWARDABLE_STATUSES:
            raise InvalidTransition(
                _("Pelimpahan hanya dapat dilakukan saat kajian awal (status sekarang: %(s)s).")
                % {"s": Status(locked.status).label}
            )
        if locked.status == S.DITERIMA:
            locked = case_transition(case=locked, to=S.KAJIAN_AWAL, actor=actor)
        now = timezone.now()
        anchor_mode = getattr(settings, "NETRAL_PELIMPAHAN_ANCHOR", PELIMPAHAN_ANCHOR_DESTINATION)
        if locked.regime == Regime.PILKADA:
            # Pilkada's statutory clock (Perpu 1/2014 Ps. 134(5): 3 hari "setelah laporan
            # diterima") binds the supervisors as one body: a pelimpahan never restarts it
            # (DOMAIN §5.7 worked example: received 11 Nov, forwarded 13 Nov, due 14 Nov).
            anchor_mode = PELIMPAHAN_ANCHOR_ORIGINAL
        received_at = (
            locked.received_at or now
            if anchor_mode == PELIMPAHAN_ANCHOR_ORIGINAL
            else now  # DESTINATION: see PELIMPAHAN_ANCHOR_* above
        )
        target = Case(
            origin=locked.origin,
            regime=locked.regime,
            election_event_id=locked.election_event_id,
            status=S.DITERIMA,
            channel=locked.channel,
            handling_region=destination,
            incident_region_id=locked.incident_region_id,
            incident_place=locked.incident_place,
            title=locked.title,
            description=locked.description,
            event_date=locked.event_date,
            known_date=locked.known_date,
            found_date=locked.found_date,
            filed_at=locked.filed_at,
            received_at=received_at,
            # Lateness is judged on the original filing (T1): the reporter filed in time or
            # not at the first unit, whatever unit turns out to be competent.
            late_filing=locked.late_filing,
        )
        target.save()
        reporter = Reporter.objects.filter(case=locked).first()
        if reporter is not None:
            _copy_rows([reporter], target)[0].save()
        ReportedPerson.objects.bulk_create(
            _copy_rows(
                list(locked.reported_persons.all()),
                target,
                skip=(
                    "target_status",
                    "finding",
                    "violation_types",
                    "skb_codes",
                    "articles",
                    "reasoning",
                ),
            )
        )
        Witness.objects.bulk_create(_copy_rows(list(locked.witnesses.all()), target))
        # The same stored file (FileField name) with its digest: no bytes are duplicated and
        # the chain of custody stays one file.
        Evidence.objects.bulk_create(_copy_rows(list(locked.evidence.all()), target))
        source = case_transition(
            case=locked,
            to=S.DILIMPAHKAN,
            actor=actor,
            note=note,
            updates={
                "forwarded_to_region_id": destination_code,
                "initial_assessment": InitialAssessment.LIMPAH,
            },
            parameters={
                "from_region": locked.handling_region_id,
                "to_region": destination_code,
                "new_case": target.pk,
            },
        )
        CaseLink.objects.create(
            from_case=target,
            to_case=source,
            type=CaseLinkType.PELIMPAHAN,
            note=note[:300],
            created_by=actor,
        )
        CaseEvent.objects.create(
            case=target,
            type=CaseEvent.Type.CREATED,
            actor=actor,
            actor_label=str(actor),
            to_status=S.DITERIMA,
            note=note,
            parameters={
                "transition": "T9",
                "basis": regime_text(source.regime).pelimpahan_basis,
                "forwarded_from": source.pk,
                "from_region": source.handling_region_id,
                "received_anchor": anchor_mode,
            },
            public=True,
        )
        case_refresh_deadline(case=target)
        audit_record(
            obj=target,
            action="case.pelimpahan.receive",
            actor=actor,
            after={
                "forwarded_from": source.pk,
                "status": S.DITERIMA,
                "evidence_sha256": [e.sha256 for e in target.evidence.all() if e.sha256],
            },
            region_code=target.audit_region_code,
            note=note,
        )
        pelimpahan_letter_generate(
            source=source,
            target=target,
            actor=actor,
            note=note,
            number=letter_number.strip() or f"Limpah/{source.reference}",
        )
        officers = (
            case_handlers_for_region(destination_code).filter(
                assignments__region_id=destination_code
            )
            if destination_code is not None
            else case_handlers_for_region(None).filter(
                assignments__region__isnull=True, assignments__role=Role.BAWASLU_RI
            )
        )
        for officer in officers:
            notify_officer(
                case=target,
                user=officer,
                kind=NotificationLog.Kind.NEW_CASE,
                subject=_("Pelimpahan perkara %(ref)s") % {"ref": source.reference},
                message=_("Perkara dilimpahkan ke unit Anda: %(title)s") % {"title": target.title},
            )
    return Forwarded(source=source, target=target)
