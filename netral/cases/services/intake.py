"""Intake: a citizen's online report, a report received at the office, a temuan or informasi
awal (DOMAIN §5.1, §8.1). Creates the case with its parts and first deadline."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record_created
from netral.cases.deadlines import STEPS_BY_STATUS
from netral.cases.models import (
    CLOSED_STATUSES,
    Case,
    CaseEvent,
    Channel,
    Evidence,
    EvidenceKind,
    NotificationLog,
    Origin,
    Platform,
    ReportedPerson,
    Reporter,
    Status,
    Witness,
)
from netral.cases.notifications import (
    notify_reporter_receipt,
    notify_unit_officers_deferred,
)
from netral.cases.selectors import case_route
from netral.cases.uploads import CheckedFile
from netral.cases.workflow import (
    case_refresh_deadline,
    deadline_fields,
)
from netral.core import sealing
from netral.core.errors import ApplicationError
from netral.core.zones import local_in, zone_for_code
from netral.elections.models import ElectionEvent, Regime
from netral.registry.models import Official, Region, RegionLevel

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from netral.accounts.models import User

from netral.cases.receipt import _new_pin, _new_tracking_number, pin_hash, receipt_record
from netral.cases.services.evidence import _add_evidence, _check_files
from netral.cases.services.registration import case_receive

S = Status

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


@dataclass(frozen=True)
class OnlineEvidenceData:
    """A post seen online (issue 13 point 17): the platform, the account, the post's address
    and when it was seen. Only http(s) addresses are kept; Netral never fetches them here."""

    platform: str
    url: str
    account: str = ""
    seen_at: dt.datetime | None = None


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
    online: list[OnlineEvidenceData] = field(default_factory=list)


@dataclass(frozen=True)
class FiledReport:
    case: Case
    pin: str  # shown once; only its hash is stored
    duplicate: bool = False


# --- intake ----------------------------------------------------------------------------


def _validate_case_data(data: CaseData, *, now: dt.datetime) -> None:
    # today where it happened (WIB/WITA/WIT): a report made just after local midnight may
    # give that day as the day it became known
    place = getattr(data.incident_region, "code", None)
    today = local_in(now, zone_for_code(place)).date()
    if data.election_event is not None:
        # The regime follows the election whenever there is one (issue 12 point 8).
        data.regime = data.election_event.regime
    if not data.regime:
        raise ApplicationError(_("Pilih jenis pemilihan (Pemilu atau Pilkada)."))
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
    for n, item in enumerate(data.online, start=1):
        if item.platform not in Platform.values:
            raise ApplicationError(_("Tautan %(n)d: platform tidak dikenal.") % {"n": n})
        if urlsplit(item.url).scheme not in ("http", "https") or not urlsplit(item.url).netloc:
            raise ApplicationError(
                _("Tautan %(n)d: alamat harus diawali http:// atau https://.") % {"n": n}
            )
        if item.seen_at is not None and item.seen_at > now:
            raise ApplicationError(
                _("Tautan %(n)d: waktu dilihat tidak boleh di masa depan.") % {"n": n}
            )


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
    Evidence.objects.bulk_create(
        Evidence(
            case=case,
            kind=EvidenceKind.TAUTAN,
            description=" · ".join(
                x for x in (str(Platform(o.platform).label), o.account.strip()) if x
            )[:300],
            url=o.url.strip(),
            platform=o.platform,
            account=o.account.strip()[:200],
            seen_at=o.seen_at,
            uploaded_by=actor,
        )
        for o in data.online
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
