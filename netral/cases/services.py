"""Writes of case handling. Every state change goes through workflow.case_transition."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import FileField
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record, audit_record_created
from netral.cases.deadlines import STEPS_BY_STATUS, filing_is_late, recommendation_due, rule_get
from netral.cases.models import (
    CLOSED_STATUSES,
    FOLLOW_UP_TERMINAL,
    PRE_REGISTRATION,
    REGISTRABLE_ASSESSMENTS,
    Case,
    CaseEvent,
    CaseLink,
    CaseLinkType,
    Channel,
    ClarificationSession,
    CompletionRequest,
    DeadlineStep,
    Evidence,
    FollowUp,
    FormalRequirement,
    InitialAssessment,
    MaterialRequirement,
    NotificationLog,
    Origin,
    PersonFinding,
    Recommendation,
    RegistrationCounter,
    ReportedPerson,
    Reporter,
    ReporterIdentityView,
    Sanction,
    SanctionType,
    SkbCode,
    Status,
    ViolationType,
    Witness,
)
from netral.cases.notifications import (
    notify_officer,
    notify_reporter_completion,
    notify_reporter_receipt,
    notify_unit_officers_deferred,
)
from netral.cases.selectors import case_route
from netral.cases.uploads import CheckedFile, check_upload
from netral.cases.workflow import (
    Actor,
    InvalidTransition,
    case_refresh_deadline,
    case_transition,
    deadline_fields,
)
from netral.core import sealing
from netral.core.errors import ApplicationError
from netral.elections.models import ElectionEvent, Regime
from netral.registry.models import Official, Region, RegionLevel

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from netral.accounts.models import User

S = Status
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_FILES_PER_SUBMISSION = 10


# --- inputs ---------------------------------------------------------------------------


@dataclass
class ReporterData:
    kind: str
    name: str
    address: str
    phone: str
    birth_place: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    occupation: str = ""
    nationality: str = "Indonesia"
    email: str = ""
    confidential: bool = False
    attorney: str = ""


@dataclass
class PersonData:
    name: str = ""
    official_id: int | None = None
    address: str = ""
    phone: str = ""
    position: str = ""
    agency_name: str = ""
    subject_type: str = ""


@dataclass
class WitnessData:
    name: str
    address: str = ""
    phone: str = ""


@dataclass
class CaseData:
    regime: str
    incident_region: Region
    incident_place: str
    title: str
    description: str
    event_date: dt.date
    known_date: dt.date
    election_event: ElectionEvent | None = None
    found_date: dt.date | None = None
    evidence_list: str = ""  # "Bukti-bukti" as listed on the form (physical items too)
    persons: list[PersonData] = field(default_factory=list)
    witnesses: list[WitnessData] = field(default_factory=list)


@dataclass(frozen=True)
class FiledReport:
    case: Case
    pin: str  # shown once; only its hash is stored
    duplicate: bool = False


# --- PIN and tracking number ----------------------------------------------------------


def pin_hash(tracking_number: str, pin: str) -> str:
    """Keyed hash (HMAC-SHA256 with SECRET_KEY): fast enough for the public form's load,
    and useless to an attacker without the server's secret."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{tracking_number}:{pin}".encode(), hashlib.sha256).hexdigest()


def pin_matches(case: Case, pin: str) -> bool:
    if not case.pin_hash or not case.tracking_number:
        return False
    return hmac.compare_digest(case.pin_hash, pin_hash(case.tracking_number, pin.strip()))


def _new_tracking_number() -> str:
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"LP-{body[:4]}-{body[4:]}"


def _new_pin() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def receipt_record(case: Case, *, evidence_sha256: list[str] | None = None) -> dict[str, Any]:
    """What the receipt seal covers: enough to prove filing, no personal data.

    `evidence_sha256` lets intake seal a case before it is saved (the digests are known from
    the checked uploads), so the seal is written with the case's INSERT, not re-read after."""
    if evidence_sha256 is None:
        evidence_sha256 = [e.sha256 for e in case.evidence.all() if e.sha256]
    return {
        "type": "netral.case.receipt/1",
        "tracking_number": case.tracking_number,
        "code": str(case.code),
        "filed_at": case.filed_at.isoformat() if case.filed_at else None,
        "regime": case.regime,
        "incident_region": case.incident_region_id,
        "title_sha256": hashlib.sha256(case.title.encode()).hexdigest(),
        "description_sha256": hashlib.sha256(case.description.encode()).hexdigest(),
        "evidence_sha256": sorted(evidence_sha256),
    }


def receipt_verify(case: Case) -> bool:
    if not case.receipt_seal:
        return False
    stored = sealing.Seal(**case.receipt_seal)
    return sealing.verify(receipt_record(case), stored)


# --- intake ----------------------------------------------------------------------------


def _validate_case_data(data: CaseData, *, now: dt.datetime) -> None:
    today = timezone.localtime(now).date()
    if data.regime not in Regime.values:
        raise ApplicationError(_("Rezim pemilihan tidak dikenal."))
    if data.incident_region.level not in (
        RegionLevel.DESA,
        RegionLevel.KELURAHAN,
        RegionLevel.KECAMATAN,
        RegionLevel.KABKOTA,
    ):
        raise ApplicationError(_("Tempat kejadian: pilih wilayah sampai kecamatan atau desa."))
    if data.event_date > today:
        raise ApplicationError(_("Tanggal kejadian tidak boleh di masa depan."))
    if data.known_date > today:
        raise ApplicationError(_("Tanggal diketahui tidak boleh di masa depan."))
    if data.known_date < data.event_date:
        raise ApplicationError(_("Tanggal diketahui tidak boleh sebelum tanggal kejadian."))
    if not data.title.strip() or not data.description.strip():
        raise ApplicationError(_("Peristiwa dan uraian kejadian wajib diisi."))
    if data.election_event is not None and data.election_event.regime != data.regime:
        raise ApplicationError(_("Pemilihan yang dipilih tidak sesuai dengan rezimnya."))


def _add_persons(case: Case, persons: list[PersonData]) -> None:
    """All reported persons in one INSERT (and officials picked from the registry in one
    SELECT), so the public form's cost does not grow with the number of persons."""
    ids = [p.official_id for p in persons if p.official_id]
    officials = Official.objects.select_related("agency").in_bulk(ids) if ids else {}
    rows = []
    for p in persons:
        official = officials.get(p.official_id) if p.official_id else None
        if p.official_id and official is None:
            raise ApplicationError(_("Terlapor yang dipilih dari registri tidak ditemukan."))
        name = official.name if official else p.name.strip()
        if not name:
            continue
        rows.append(
            ReportedPerson(
                case=case,
                official=official,
                name=name,
                address=p.address,
                phone=p.phone,
                subject_type=official.subject_type if official else p.subject_type,
                position=official.position if official else p.position,
                agency_name=(
                    official.agency.name if official and official.agency else p.agency_name
                ),
            )
        )
    ReportedPerson.objects.bulk_create(rows)


def _add_evidence(
    case: Case,
    checked: list[CheckedFile],
    *,
    actor: User | None,
    descriptions: list[str] | None = None,
) -> list[Evidence]:
    out = []
    for i, cf in enumerate(checked):
        desc = (descriptions[i] if descriptions and i < len(descriptions) else "") or cf.name
        evidence = Evidence(
            case=case,
            kind=cf.file_type.kind,
            description=desc[:300],
            original_name=cf.name,
            content_type=cf.file_type.content_type,
            extension=cf.file_type.extension,
            size=cf.size,
            sha256=cf.sha256,
            uploaded_by=actor,
        )
        cf.upload.seek(0)
        evidence.file.save("bukti", cf.upload, save=False)
        evidence.save()
        out.append(evidence)
    return out


def _check_files(files: list[UploadedFile]) -> list[CheckedFile]:
    if len(files) > MAX_FILES_PER_SUBMISSION:
        raise ApplicationError(
            _("Paling banyak %(n)s berkas sekali kirim.") % {"n": MAX_FILES_PER_SUBMISSION}
        )
    return [check_upload(f) for f in files]


def _create_case(
    *,
    data: CaseData,
    origin: str,
    status: str,
    channel: str,
    actor: User | None,
    reporter: ReporterData | None,
    files: list[CheckedFile],
    now: dt.datetime,
    with_tracking: bool,
    submission_key: uuid.UUID | None = None,
) -> tuple[Case, str]:
    """Insert a case and its parts. Everything known before the INSERT (receipt seal, first
    deadline) is written with it: no UPDATE, no re-read."""
    handling = case_route(incident_region=data.incident_region)
    pin = ""
    case = Case(
        origin=origin,
        regime=data.regime,
        election_event=data.election_event,
        status=status,
        channel=channel,
        handling_region=handling,
        incident_region=data.incident_region,
        incident_place=data.incident_place.strip(),
        title=data.title.strip(),
        description=data.description.strip(),
        event_date=data.event_date,
        known_date=data.known_date,
        found_date=data.found_date,
        filed_at=now,
        submission_key=submission_key,
    )
    if with_tracking:
        # 8 symbols of a 32-letter alphabet (2^40): a collision is caught by the unique
        # constraint and the caller files again with a new number (case_file_public).
        pin = _new_pin()
        case.tracking_number = _new_tracking_number()
        case.pin_hash = pin_hash(case.tracking_number, pin)
        case.receipt_seal = sealing.seal(
            receipt_record(case, evidence_sha256=[cf.sha256 for cf in files])
        ).__dict__
    if case.status in STEPS_BY_STATUS or case.status in CLOSED_STATUSES:
        for key, value in deadline_fields(case).items():
            setattr(case, key, value)
        refresh_after = False
    else:
        refresh_after = True  # a state whose deadline reads related rows
    case.save()
    if reporter is not None:
        Reporter.objects.create(case=case, **reporter.__dict__)
    _add_persons(case, data.persons)
    Witness.objects.bulk_create(
        Witness(case=case, name=w.name.strip(), address=w.address, phone=w.phone)
        for w in data.witnesses
        if w.name.strip()
    )
    _add_evidence(case, files, actor=actor)
    Evidence.objects.bulk_create(
        Evidence(case=case, kind="LAINNYA", description=line.strip()[:300])
        for line in data.evidence_list.splitlines()
        if line.strip()
    )
    CaseEvent.objects.create(
        case=case,
        type=CaseEvent.Type.FILED if origin == Origin.LAPORAN else CaseEvent.Type.CREATED,
        actor=actor,
        actor_label=str(actor) if actor else _("Pelapor"),
        to_status=status,
        parameters={"channel": channel, "handling_region": handling.code if handling else None},
        public=True,
    )
    if refresh_after:
        case_refresh_deadline(case=case)
    # the case row was inserted above in this transaction: its chain is empty and nobody
    # else can see it yet, so the first entry needs no chain-head read (audit_record_created)
    audit_record_created(
        obj=case,
        action="case.create",
        actor=actor,
        after={"origin": origin, "status": status, "channel": channel},
        region_code=case.audit_region_code,
    )
    return case, pin


def case_file_public(
    *,
    data: CaseData,
    reporter: ReporterData,
    files: list[UploadedFile],
    submission_key: uuid.UUID,
) -> FiledReport:
    """A citizen's online report (DRAFT_PUBLIK: not yet legally received, DOMAIN §8.1).

    The same submission key twice (double click, resend) returns the first report: the unique
    constraint on the key decides, so two concurrent copies cannot both be filed and the
    first copy costs no extra lookup. The tracking number and PIN are durable when this
    returns (committed with the case); the e-mails are written to the notification log in the
    same transaction and sent by the background step (notifications_send_pending, run by
    `netral watch_deadlines`), not on the request.
    """
    now = timezone.now()
    _validate_case_data(data, now=now)
    if not any((p.name.strip() or p.official_id) for p in data.persons):
        raise ApplicationError(_("Isi sedikitnya satu terlapor."))
    checked = _check_files(files)
    for attempt in range(3):
        try:
            with transaction.atomic():
                case, pin = _create_case(
                    data=data,
                    origin=Origin.LAPORAN,
                    status=S.DRAFT_PUBLIK,
                    channel=Channel.DARING,
                    actor=None,
                    reporter=reporter,
                    files=checked,
                    now=now,
                    with_tracking=True,
                    submission_key=submission_key,
                )
                notify_reporter_receipt(case=case, defer=True)
                _notify_unit_new_case(case)
        except IntegrityError:
            existing = Case.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return FiledReport(existing, "", duplicate=True)
            if attempt == 2:
                raise
            continue  # the drawn tracking number was taken: draw again
        return FiledReport(case, pin)
    raise AssertionError("unreachable")


def _notify_unit_new_case(case: Case) -> None:
    """Tell the officers of the handling unit (an assignment of a case-handling role exactly at
    the handling region, active accounts) that a report came in: one statement; the mails
    leave in the background (notifications_send_pending)."""
    from netral.accounts.access import ROLE_PERMISSIONS, Perm

    if case.handling_region_id is None:
        return
    notify_unit_officers_deferred(
        case=case,
        region_code=case.handling_region_id,
        roles=[r for r, perms in ROLE_PERMISSIONS.items() if Perm.HANDLE_CASES in perms],
        kind=NotificationLog.Kind.NEW_CASE,
        subject=_("Laporan baru %(ref)s") % {"ref": case.reference},
        message=_("Laporan baru masuk di wilayah Anda: %(title)s") % {"title": case.title},
    )


def _require_handler(actor: User, region: Region | None) -> None:
    from netral.accounts.access import Perm, covers, jurisdiction_codes

    ok = (
        covers(actor, region.code, Perm.HANDLE_CASES)
        if region is not None
        else jurisdiction_codes(actor, Perm.HANDLE_CASES) is None
    )
    if not ok:
        raise ApplicationError(_("Wilayah kejadian di luar yurisdiksi Anda."))


def case_intake_office(
    *,
    actor: User,
    data: CaseData,
    reporter: ReporterData,
    files: list[UploadedFile],
    channel: str = Channel.KANTOR,
) -> FiledReport:
    """A report received at the office: recorded, received (T1) and in kajian awal (T2)."""
    now = timezone.now()
    _validate_case_data(data, now=now)
    _require_handler(actor, data.incident_region)
    checked = _check_files(files)
    with transaction.atomic():
        case, pin = _create_case(
            data=data,
            origin=Origin.LAPORAN,
            status=S.DRAFT_PUBLIK,
            channel=channel,
            actor=actor,
            reporter=reporter,
            files=checked,
            now=now,
            with_tracking=True,
        )
        case = case_receive(case=case, actor=actor)
    return FiledReport(case, pin)


def case_intake_finding(
    *, actor: User, origin: str, data: CaseData, files: list[UploadedFile]
) -> Case:
    """A temuan (HASIL_PENGAWASAN, awaiting pleno) or informasi awal (DOMAIN §5.1)."""
    if origin not in (Origin.TEMUAN, Origin.INFORMASI_AWAL):
        raise ApplicationError(_("Asal perkara harus temuan atau informasi awal."))
    now = timezone.now()
    if data.found_date is None:
        data.found_date = data.known_date
    _validate_case_data(data, now=now)
    _require_handler(actor, data.incident_region)
    checked = _check_files(files)
    status = S.HASIL_PENGAWASAN if origin == Origin.TEMUAN else S.INFORMASI_AWAL
    with transaction.atomic():
        case, _pin = _create_case(
            data=data,
            origin=origin,
            status=status,
            channel=Channel.PENGAWASAN,
            actor=actor,
            reporter=None,
            files=checked,
            now=now,
            with_tracking=False,
        )
    return case


# --- the procedure ---------------------------------------------------------------------


def case_receive(*, case: Case, actor: User) -> Case:
    """T1 + T2: the unit receives the report (lateness flagged, never refused) and starts
    kajian awal."""
    now = timezone.now()
    late = filing_is_late(regime=case.regime, known_date=case.known_date, received_at=now)
    with transaction.atomic():
        case = case_transition(
            case=case,
            to=S.DITERIMA,
            actor=actor,
            updates={"received_at": now, "received_by": actor, "late_filing": late},
            parameters={"late_filing": late},
        )
        return case_transition(case=case, to=S.KAJIAN_AWAL, actor=actor, actor_kind=Actor.PENGAWAS)


def _next_registration(case: Case, when: dt.datetime) -> dict[str, Any]:
    """A gap-free number per unit and year: the counter row is locked in this transaction."""
    unit = case.handling_region_id or "RI"
    year = timezone.localtime(when).year
    RegistrationCounter.objects.get_or_create(unit=unit, year=year)
    counter = RegistrationCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    kind = "LP" if case.origin == Origin.LAPORAN else "TM"
    regime = "PL" if case.regime == Regime.PEMILU else "PB"
    return {
        "registration_unit": unit,
        "registration_year": year,
        "registration_seq": counter.last_value,
        "registration_number": f"{counter.last_value:03d}/Reg/{kind}/{regime}/{unit}/{year}",
        "registered_at": when,
    }


def case_register(*, case: Case, actor: User, note: str = "") -> Case:
    """T10 / T14: registration with the unit's next number (starts the PENANGANAN clock)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status not in (S.KAJIAN_AWAL, S.TEMUAN_DITETAPKAN):
            raise InvalidTransition(_("Perkara ini tidak dapat diregistrasi pada status sekarang."))
        updates = _next_registration(locked, timezone.now())
        return case_transition(
            case=locked,
            to=S.DIREGISTRASI,
            actor=actor,
            note=note,
            updates=updates,
            parameters={"registration_number": updates["registration_number"]},
        )


def case_kajian_awal_record(
    *,
    case: Case,
    actor: User,
    formal: dict[str, bool],
    material: dict[str, bool],
    result: str,
    note: str = "",
    message: str = "",
    target_region: Region | None = None,
    direct_forwarding: bool = False,
) -> Case:
    """Record the kajian awal (checklist of §5.4 and result of §5.5) and take its outcome."""
    checklist = {
        "formal": {k: bool(formal.get(k)) for k in FormalRequirement.values},
        "material": {k: bool(material.get(k)) for k in MaterialRequirement.values},
    }
    if result not in InitialAssessment.values:
        raise ApplicationError(_("Hasil kajian awal tidak dikenal."))
    all_met = all(checklist["formal"].values()) and all(checklist["material"].values())
    if result in REGISTRABLE_ASSESSMENTS and not all_met:
        raise ApplicationError(
            _(
                "Syarat formal dan materiil belum semua terpenuhi; pilih 'perlu dilengkapi' atau "
                "'tidak memenuhi syarat'."
            )
        )
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status == S.DITERIMA:
            locked = case_transition(case=locked, to=S.KAJIAN_AWAL, actor=actor)
        if locked.status != S.KAJIAN_AWAL:
            raise InvalidTransition(_("Kajian awal hanya dapat dicatat saat status kajian awal."))
        Case.objects.filter(pk=locked.pk).update(
            checklist=checklist, initial_assessment=result, direct_forwarding=direct_forwarding
        )
        locked.refresh_from_db()
        audit_record(
            obj=locked,
            action="case.kajian_awal",
            actor=actor,
            after={"result": result, "checklist": checklist},
            region_code=locked.audit_region_code,
            note=note,
        )
        if result in REGISTRABLE_ASSESSMENTS:
            return case_register(case=locked, actor=actor, note=note)
        if result == InitialAssessment.LENGKAPI:
            if not message.strip():
                raise ApplicationError(_("Tulis apa yang harus dilengkapi pelapor."))
            missing = [k for part in checklist.values() for k, ok in part.items() if not ok]
            CompletionRequest.objects.create(
                case=locked, missing=missing, message=message.strip(), requested_by=actor
            )
            CaseEvent.objects.create(
                case=locked,
                type=CaseEvent.Type.COMPLETION_REQUESTED,
                actor=actor,
                actor_label=str(actor),
                note=message.strip(),
                parameters={"missing": missing},
                public=True,
            )
            notify_reporter_completion(case=locked, message=message.strip())
            return case_transition(
                case=locked, to=S.MENUNGGU_KELENGKAPAN, actor=actor, note=message.strip()
            )
        if result == InitialAssessment.TMS:
            return case_transition(case=locked, to=S.TIDAK_DIREGISTRASI, actor=actor, note=note)
        # LIMPAH: to another unit (Perbawaslu 7/2022 Ps. 20): a new case at the receiving unit.
        # A blank target is refused here: to case_forward, None means Bawaslu RI.
        if target_region is None:
            raise ApplicationError(_("Pilih unit tujuan pelimpahan."))
        return case_forward(case=locked, actor=actor, destination=target_region, note=note).source


def case_completion_answer(*, case: Case, answer: str, files: list[UploadedFile]) -> Case:
    """The reporter completes the report (T4): the answer and files are added, kajian resumes."""
    if not answer.strip() and not files:
        raise ApplicationError(_("Tulis jawaban atau lampirkan berkas."))
    checked = _check_files(files)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        request = locked.completion_requests.filter(answered_at__isnull=True).first()
        if locked.status != S.MENUNGGU_KELENGKAPAN or request is None:
            raise InvalidTransition(_("Tidak ada permintaan kelengkapan yang terbuka."))
        request.answer = answer.strip()
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "answered_at", "updated_at"])
        added = _add_evidence(locked, checked, actor=None)
        CaseEvent.objects.create(
            case=locked,
            type=CaseEvent.Type.COMPLETION_ANSWERED,
            actor_label=_("Pelapor"),
            note=answer.strip(),
            parameters={"evidence": [e.sha256 for e in added]},
            public=True,
        )
        return case_transition(case=locked, to=S.KAJIAN_AWAL, actor=None, actor_kind=Actor.PELAPOR)


def case_withdraw(*, case: Case, note: str = "") -> Case:
    """The reporter withdraws: before registration the case is DICABUT (Ps. 14(1)); after it,
    the withdrawal is recorded and handling continues (Ps. 17(3))."""
    if case.status in PRE_REGISTRATION:
        return case_transition(
            case=case, to=S.DICABUT, actor=None, actor_kind=Actor.PELAPOR, note=note
        )
    if case.is_closed or case.status == S.DRAFT_PUBLIK:
        raise InvalidTransition(_("Laporan ini tidak dapat dicabut pada status sekarang."))
    with transaction.atomic():
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.WITHDRAWAL_AFTER_REGISTRATION,
            actor_label=_("Pelapor"),
            note=note,
            public=True,
        )
        audit_record(
            obj=case,
            action="case.withdrawal_after_registration",
            actor=None,
            region_code=case.audit_region_code,
            note=note,
        )
    return case


def case_spawn_initial_information(*, case: Case, actor: User, note: str) -> Case:
    """T8: a not-registered or withdrawn report becomes informasi awal (new, linked case)."""
    from netral.accounts.access import can_handle_case

    if case.status not in (S.TIDAK_DIREGISTRASI, S.DICABUT):
        raise InvalidTransition(_("Hanya laporan yang tidak diregistrasi atau dicabut."))
    if not can_handle_case(actor, case):
        raise InvalidTransition(_("Anda tidak berwenang menangani perkara ini."))
    with transaction.atomic():
        child = Case.objects.create(
            origin=Origin.INFORMASI_AWAL,
            regime=case.regime,
            election_event=case.election_event,
            status=S.INFORMASI_AWAL,
            channel=Channel.PENGAWASAN,
            handling_region=case.handling_region,
            incident_region=case.incident_region,
            incident_place=case.incident_place,
            title=case.title,
            description=case.description,
            event_date=case.event_date,
            known_date=case.known_date,
            found_date=timezone.localdate(),
            filed_at=timezone.now(),
            parent=case,
        )
        for p in case.reported_persons.all():
            ReportedPerson.objects.create(
                case=child,
                official=p.official,
                name=p.name,
                address=p.address,
                phone=p.phone,
                subject_type=p.subject_type,
                position=p.position,
                agency_name=p.agency_name,
            )
        CaseLink.objects.create(
            from_case=child,
            to_case=case,
            type=CaseLinkType.SPAWNED_FROM,
            note=note,
            created_by=actor,
        )
        CaseEvent.objects.create(
            case=child,
            type=CaseEvent.Type.CREATED,
            actor=actor,
            actor_label=str(actor),
            to_status=S.INFORMASI_AWAL,
            note=note,
            parameters={"transition": "T8", "parent": case.pk},
        )
        case_refresh_deadline(case=child)
        audit_record(
            obj=child,
            action="case.spawn_informasi_awal",
            actor=actor,
            after={"parent": case.pk},
            region_code=child.handling_region_id,
            note=note,
        )
    return child


def case_assign(*, case: Case, officer: User, actor: User) -> Case:
    from netral.accounts.access import can_handle_case

    if not can_handle_case(actor, case) or not can_handle_case(officer, case):
        raise ApplicationError(_("Petugas harus berwenang menangani perkara ini."))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(assigned_to=officer, updated_at=timezone.now())
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.ASSIGNED,
            actor=actor,
            actor_label=str(actor),
            parameters={"officer": officer.pk, "name": str(officer)},
        )
        audit_record(
            obj=case,
            action="case.assign",
            actor=actor,
            after={"officer": officer.pk},
            region_code=case.audit_region_code,
        )
        notify_officer(
            case=case,
            user=officer,
            kind=NotificationLog.Kind.ASSIGNED,
            subject=_("Anda ditugaskan pada perkara %(ref)s") % {"ref": case.reference},
            message=case.title,
        )
    case.refresh_from_db()
    return case


def case_link(*, case: Case, other: Case, type: str, actor: User, note: str = "") -> CaseLink:
    from netral.accounts.access import can_handle_case

    if case.pk == other.pk:
        raise ApplicationError(_("Perkara tidak dapat dihubungkan dengan dirinya sendiri."))
    if type not in CaseLinkType.values:
        raise ApplicationError(_("Jenis hubungan tidak dikenal."))
    if not can_handle_case(actor, case):
        raise ApplicationError(_("Anda tidak berwenang menangani perkara ini."))
    with transaction.atomic():
        link, _created = CaseLink.objects.get_or_create(
            from_case=case, to_case=other, type=type, defaults={"note": note, "created_by": actor}
        )
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.LINKED,
            actor=actor,
            actor_label=str(actor),
            note=note,
            parameters={"other": other.pk, "type": type},
        )
        audit_record(
            obj=case,
            action="case.link",
            actor=actor,
            after={"other": other.pk, "type": type},
            region_code=case.audit_region_code,
        )
    return link


def evidence_add(
    *, case: Case, actor: User, files: list[UploadedFile], descriptions: list[str] | None = None
) -> list[Evidence]:
    checked = _check_files(files)
    with transaction.atomic():
        added = _add_evidence(case, checked, actor=actor, descriptions=descriptions)
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.EVIDENCE_ADDED,
            actor=actor,
            actor_label=str(actor),
            parameters={"sha256": [e.sha256 for e in added]},
        )
        audit_record(
            obj=case,
            action="case.evidence_add",
            actor=actor,
            after={"sha256": [e.sha256 for e in added]},
            region_code=case.audit_region_code,
        )
    return added


def reporter_identity_view(*, case: Case, viewer: User) -> Reporter | None:
    """The reporter's identity for a handling officer; a confidential one is logged."""
    from netral.accounts.access import can_see_reporter_identity

    reporter = Reporter.objects.filter(case=case).first()
    if reporter is None or not can_see_reporter_identity(viewer, case):
        return None
    if reporter.confidential:
        with transaction.atomic():
            ReporterIdentityView.objects.create(reporter=reporter, viewer=viewer)
            CaseEvent.objects.create(
                case=case,
                type=CaseEvent.Type.IDENTITY_VIEWED,
                actor=viewer,
                actor_label=str(viewer),
            )
            audit_record(
                obj=case,
                action="case.reporter_identity_viewed",
                actor=viewer,
                region_code=case.audit_region_code,
            )
    return reporter


# --- clarification ---------------------------------------------------------------------


def clarification_schedule(
    *,
    case: Case,
    actor: User,
    party: str,
    party_name: str,
    scheduled_at: dt.datetime,
    mode: str,
    location: str,
    reported_person: ReportedPerson | None = None,
) -> ClarificationSession:
    """Invite a party (Formulir B.9) at least the configured lead time before the session."""
    from netral.cases.deadlines import compute_due, holidays_between
    from netral.cases.documents import document_generate

    if case.status not in (S.DIREGISTRASI, S.KLARIFIKASI):
        raise InvalidTransition(_("Klarifikasi hanya setelah registrasi."))
    now = timezone.now()
    rule = rule_get(regime=case.regime, step=DeadlineStep.UNDANGAN_KLARIFIKASI)
    if rule and rule.amount and rule.unit:
        earliest = compute_due(
            anchor=now,
            amount=rule.amount,
            unit=rule.unit,
            holidays=holidays_between(now.date(), now.date() + dt.timedelta(30)),
        )
        # "≥1 Hari before": the session may be on the day after the lead time ends.
        if rule.unit != "HOURS":
            earliest = earliest.replace(hour=0, minute=0, second=0, microsecond=0)
        if scheduled_at < earliest:
            raise ApplicationError(
                _(
                    "Undangan klarifikasi harus disampaikan paling lambat %(rule)s sebelum sesi "
                    "(%(basis)s)."
                )
                % {"rule": rule.label, "basis": rule.legal_basis}
            )
    previous = case.clarifications.filter(party_name=party_name).count()
    if previous >= 2:
        raise ApplicationError(_("Pihak ini sudah diundang dua kali."))
    with transaction.atomic():
        session = ClarificationSession.objects.create(
            case=case,
            party=party,
            party_name=party_name.strip(),
            reported_person=reported_person,
            scheduled_at=scheduled_at,
            mode=mode,
            location=location.strip(),
            invitation_round=previous + 1,
            invitation_number=f"{case.clarifications.count() + 1:03d}/Und/{case.reference}",
        )
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.CLARIFICATION_SCHEDULED,
            actor=actor,
            actor_label=str(actor),
            parameters={
                "party": party,
                "name": party_name,
                "at": scheduled_at.isoformat(),
                "round": session.invitation_round,
            },
        )
        audit_record(
            obj=case,
            action="case.clarification_schedule",
            actor=actor,
            after={"session": session.pk},
            region_code=case.audit_region_code,
        )
        document_generate(case=case, kind="INVITATION", actor=actor, clarification=session)
        if case.status == S.DIREGISTRASI:
            case_transition(case=case, to=S.KLARIFIKASI, actor=actor)
    return session


def clarification_record(
    *, session: ClarificationSession, actor: User, attended: bool, minutes: str
) -> ClarificationSession:
    with transaction.atomic():
        session.attended = attended
        session.minutes = minutes.strip()
        session.save(update_fields=["attended", "minutes", "updated_at"])
        CaseEvent.objects.create(
            case=session.case,
            type=CaseEvent.Type.CLARIFICATION_RECORDED,
            actor=actor,
            actor_label=str(actor),
            parameters={"session": session.pk, "attended": attended},
        )
        audit_record(
            obj=session.case,
            action="case.clarification_record",
            actor=actor,
            after={"session": session.pk, "attended": attended},
            region_code=session.case.handling_region_id,
        )
    return session


# --- decision, forwarding, follow-up, sanctions ---------------------------------------


def reported_person_decide(
    *,
    person: ReportedPerson,
    actor: User,
    finding: str,
    violation_types: list[str],
    skb_codes: list[str],
    articles: list[str],
    reasoning: str,
) -> ReportedPerson:
    """The status of one reported person (each terlapor gets its own finding, §8.2)."""
    case = person.case
    if case.status not in (S.KAJIAN, S.PERPANJANGAN, S.GAKKUMDU_PEMBAHASAN, S.KLARIFIKASI):
        raise InvalidTransition(_("Status terlapor diputus saat kajian."))
    if finding not in (PersonFinding.TERBUKTI, PersonFinding.TIDAK_TERBUKTI):
        raise ApplicationError(_("Pilih terbukti atau tidak terbukti."))
    bad = [v for v in violation_types if v not in ViolationType.values]
    bad += [c for c in skb_codes if c not in SkbCode.values]
    if bad:
        raise ApplicationError(_("Kode tidak dikenal: %(codes)s") % {"codes": ", ".join(bad)})
    if finding == PersonFinding.TERBUKTI:
        kinds = [v for v in violation_types if v != ViolationType.BUKAN_PELANGGARAN]
        if not kinds:
            raise ApplicationError(_("Terlapor yang terbukti harus punya jenis pelanggaran."))
        if not (skb_codes or [a for a in articles if a.strip()]):
            raise ApplicationError(_("Sebutkan kode SKB 2022 atau pasal yang dilanggar."))
    else:
        violation_types, skb_codes = [ViolationType.BUKAN_PELANGGARAN], []
    with transaction.atomic():
        person.finding = finding
        person.violation_types = list(dict.fromkeys(violation_types))
        person.skb_codes = list(dict.fromkeys(skb_codes))
        person.articles = [a.strip() for a in articles if a.strip()]
        person.reasoning = reasoning.strip()
        person.save()
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.PERSON_DECIDED,
            actor=actor,
            actor_label=str(actor),
            parameters={
                "person": person.pk,
                "finding": finding,
                "violation_types": person.violation_types,
                "skb": person.skb_codes,
                "articles": person.articles,
            },
        )
        audit_record(
            obj=case,
            action="case.person_decide",
            actor=actor,
            after={
                "person": person.pk,
                "finding": finding,
                "violation_types": person.violation_types,
            },
            region_code=case.audit_region_code,
        )
    return person


def case_decide(*, case: Case, actor: User, note: str = "") -> Case:
    """T19: status determined; the PIDANA_TO_POLRI clock starts if a crime was found."""
    return case_transition(case=case, to=S.DIPUTUS, actor=actor, note=note)


def recommendation_create(
    *,
    case: Case,
    actor: User,
    reported_person: ReportedPerson | None,
    recipient: str,
    recipient_name: str,
    letter_number: str,
    letter_date: dt.date,
) -> Recommendation:
    """One penerusan (§6) with letter number and date; the first one moves the case (T20)."""
    from netral.cases.documents import document_generate

    if reported_person is not None and reported_person.finding != PersonFinding.TERBUKTI:
        raise ApplicationError(_("Penerusan hanya untuk terlapor yang terbukti."))
    if not letter_number.strip():
        raise ApplicationError(_("Nomor surat wajib diisi."))
    due, basis = recommendation_due(regime=case.regime, letter_date=letter_date)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status not in (S.DIPUTUS, S.DITERUSKAN, S.PEMANTAUAN_TINDAK_LANJUT):
            raise InvalidTransition(_("Penerusan hanya setelah status diputus."))
        try:
            with transaction.atomic():
                rec = Recommendation.objects.create(
                    case=case,
                    reported_person=reported_person,
                    recipient=recipient,
                    recipient_name=recipient_name.strip(),
                    letter_number=letter_number.strip(),
                    letter_date=letter_date,
                    status=FollowUp.DITERUSKAN,
                    status_changed_at=timezone.now(),
                    due_at=due,
                    due_basis=basis,
                )
        except IntegrityError:
            raise ApplicationError(
                _("Penerusan kepada penerima ini untuk terlapor ini sudah dicatat.")
            ) from None
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.RECOMMENDATION_SENT,
            actor=actor,
            actor_label=str(actor),
            parameters={
                "recommendation": rec.pk,
                "recipient": recipient,
                "letter_number": rec.letter_number,
            },
            public=True,
        )
        audit_record(
            obj=case,
            action="case.recommendation_create",
            actor=actor,
            after={"recommendation": rec.pk, "recipient": recipient, "letter": rec.letter_number},
            region_code=case.audit_region_code,
        )
        document_generate(case=case, kind="FORWARDING_LETTER", actor=actor, recommendation=rec)
        if case.status == S.DIPUTUS:
            case_transition(case=case, to=S.DITERUSKAN, actor=actor)
        else:
            case.refresh_from_db()
            case_refresh_deadline(case=case)
    return rec


def recommendation_update(
    *, recommendation: Recommendation, actor: User | None, status: str, note: str = ""
) -> Recommendation:
    """Follow-up tracking (§6.3); once every penerusan is terminal the case is SELESAI (T23)."""
    if status not in FollowUp.values:
        raise ApplicationError(_("Status tindak lanjut tidak dikenal."))
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        before = rec.status
        rec.status = status
        rec.status_note = note.strip()
        rec.status_changed_at = timezone.now()
        rec.save(update_fields=["status", "status_note", "status_changed_at", "updated_at"])
        case = rec.case
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.FOLLOW_UP_CHANGED,
            actor=actor,
            actor_label=str(actor) if actor else "SISTEM",
            note=note,
            parameters={"recommendation": rec.pk, "from": before, "to": status},
            public=True,
        )
        audit_record(
            obj=case,
            action="case.follow_up",
            actor=actor,
            before={"recommendation": rec.pk, "status": before},
            after={"recommendation": rec.pk, "status": status},
            region_code=case.audit_region_code,
            note=note,
        )
        kind = Actor.PENGAWAS if actor else Actor.SISTEM
        if case.status == S.DITERUSKAN:
            case = case_transition(
                case=case, to=S.PEMANTAUAN_TINDAK_LANJUT, actor=actor, actor_kind=kind
            )
        if not case.recommendations.exclude(status__in=FOLLOW_UP_TERMINAL).exists():
            case_transition(case=case, to=S.SELESAI, actor=actor, actor_kind=kind)
        else:
            case_refresh_deadline(case=case)
    return rec


def sanction_record(
    *,
    recommendation: Recommendation,
    actor: User,
    reported_person: ReportedPerson,
    level: str,
    type: str,
    decree_number: str,
    decree_date: dt.date,
    imposed_by: str,
    note: str = "",
) -> Sanction:
    """The competent authority's sanction (DOMAIN §4), closing that penerusan."""
    if type not in SanctionType.values:
        raise ApplicationError(_("Jenis sanksi tidak dikenal."))
    if reported_person.case_id != recommendation.case_id:
        raise ApplicationError(_("Terlapor bukan bagian dari perkara ini."))
    if not decree_number.strip():
        raise ApplicationError(_("Nomor SK/putusan wajib diisi."))
    with transaction.atomic():
        sanction = Sanction.objects.create(
            recommendation=recommendation,
            reported_person=reported_person,
            level=level,
            type=type,
            decree_number=decree_number.strip(),
            decree_date=decree_date,
            imposed_by=imposed_by.strip(),
            note=note.strip(),
            recorded_by=actor,
        )
        CaseEvent.objects.create(
            case=recommendation.case,
            type=CaseEvent.Type.SANCTION_RECORDED,
            actor=actor,
            actor_label=str(actor),
            parameters={"sanction": sanction.pk, "type": type, "decree": sanction.decree_number},
            public=True,
        )
        audit_record(
            obj=recommendation.case,
            action="case.sanction_record",
            actor=actor,
            after={"sanction": sanction.pk, "type": type},
            region_code=recommendation.case.handling_region_id,
        )
        recommendation_update(
            recommendation=recommendation,
            actor=actor,
            status=FollowUp.SANKSI_DIJATUHKAN,
            note=sanction.decree_number,
        )
    return sanction


def document_bytes_store(*, content: bytes) -> ContentFile[bytes]:
    return ContentFile(content)


# --- pelimpahan (T9) -------------------------------------------------------------------

# Where the receiving unit's clocks start (KAJIAN_AWAL "paling lama 2 Hari setelah laporan
# diterima", Perbawaslu 7/2022 Ps. 15(1); Pilkada PENANGANAN "3 hari setelah laporan diterima",
# Perpu 1/2014 Ps. 134(5)). DOMAIN §8.2 does not say whether pelimpahan restarts them, so it is
# a setting (NETRAL_PELIMPAHAN_ANCHOR):
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
    from netral.cases.documents import pelimpahan_letter_generate

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
                "basis": "Perbawaslu 7/2022 Ps. 20",
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
