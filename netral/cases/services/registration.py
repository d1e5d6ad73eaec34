"""The procedure up to registration: receipt (T1/T2), kajian awal (§5.4, §5.5), the
reporter's completion (T3-T5), withdrawal, registration (T10/T14) and informasi awal (T8)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.deadlines import filing_is_late, rule_get
from netral.cases.models import (
    PRE_REGISTRATION,
    REGISTRABLE_ASSESSMENTS,
    Case,
    CaseEvent,
    CaseLink,
    CaseLinkType,
    Channel,
    CompletionRequest,
    DeadlineStep,
    FormalRequirement,
    InitialAssessment,
    MaterialRequirement,
    Origin,
    RegistrationCounter,
    ReportedPerson,
    Status,
)
from netral.cases.notifications import (
    notify_reporter_completion,
)
from netral.cases.workflow import (
    Actor,
    InvalidTransition,
    case_refresh_deadline,
    case_transition,
)
from netral.core.errors import ApplicationError
from netral.core.zones import case_zone, local_in
from netral.elections.models import Regime
from netral.registry.models import Region

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from netral.accounts.models import User

from netral.cases.services.evidence import _add_evidence, _check_files
from netral.cases.services.pelimpahan import case_forward

S = Status


def case_receive(*, case: Case, actor: User) -> Case:
    """T1 + T2: the unit receives the report (lateness flagged, never refused) and starts
    kajian awal."""
    now = timezone.now()
    late = filing_is_late(
        regime=case.regime, known_date=case.known_date, received_at=now, zone=case_zone(case)
    )
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
    year = when.astimezone(case_zone(case).tz).year  # the unit's local year
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
    respond_by: dt.date | None = None,
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
    if direct_forwarding and result != InitialAssessment.PERUU_LAIN:
        raise ApplicationError(
            _(
                "Diteruskan langsung tanpa registrasi hanya untuk hasil dugaan pelanggaran "
                "peraturan perundang-undangan lainnya."
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
            after={
                "result": result,
                "checklist": checklist,
                "direct_forwarding": direct_forwarding,
            },
            region_code=locked.audit_region_code,
            note=note,
        )
        if direct_forwarding:
            # PERUU_LAIN is registered and handled by default; with this option the report is
            # not registered and goes to the competent authority (DOMAIN §5.5 note, Perbawaslu
            # 7/2022 "diteruskan kepada instansi yang berwenang", article UNCONFIRMED). The case
            # waits in KAJIAN_AWAL for the forwarding letter (forwarding.recommendation_create),
            # which takes T25 to DITERUSKAN.
            CaseEvent.objects.create(
                case=locked,
                type=CaseEvent.Type.DIRECT_FORWARDING,
                actor=actor,
                actor_label=str(actor),
                note=note,
                parameters={"result": result},
                public=True,
            )
            case_refresh_deadline(case=locked)
            return locked
        if result in REGISTRABLE_ASSESSMENTS:
            return case_register(case=locked, actor=actor, note=note)
        if result == InitialAssessment.LENGKAPI:
            if not message.strip():
                raise ApplicationError(_("Tulis apa yang harus dilengkapi pelapor."))
            window = rule_get(regime=locked.regime, step=DeadlineStep.LENGKAPI_WINDOW)
            if (window is None or window.amount is None or not window.unit) and not respond_by:
                # The window's length is UNCONFIRMED (DOMAIN §5.5): left blank, the officer
                # sets the date ("waktu yang ditetapkan", Perbawaslu 7/2022 Ps. 22(7)).
                raise ApplicationError(
                    _("Isi batas waktu melengkapi: aturan lama waktu melengkapi belum ditetapkan.")
                )
            if (
                respond_by is not None
                and respond_by < timezone.now().astimezone(case_zone(locked).tz).date()
            ):
                raise ApplicationError(_("Batas waktu melengkapi tidak boleh di masa lalu."))
            missing = [k for part in checklist.values() for k, ok in part.items() if not ok]
            CompletionRequest.objects.create(
                case=locked,
                missing=missing,
                message=message.strip(),
                requested_by=actor,
                respond_by=respond_by,
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


def completion_notice_record(*, case: Case, actor: User, means: str) -> Case:
    """The officer records that the reporter was told to complete the report by telephone,
    letter or in person (Perbawaslu 7/2022 Ps. 22(1), NOTIF_LENGKAPI): the notice clock stops."""
    if not means.strip():
        raise ApplicationError(_("Tulis cara pemberitahuan."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        request = locked.completion_requests.filter(answered_at__isnull=True).first()
        if locked.status != S.MENUNGGU_KELENGKAPAN or request is None:
            raise InvalidTransition(_("Tidak ada permintaan kelengkapan yang terbuka."))
        request.notified_at = timezone.now()
        request.notified_by = means.strip()[:100]
        request.save(update_fields=["notified_at", "notified_by", "updated_at"])
        CaseEvent.objects.create(
            case=locked,
            type=CaseEvent.Type.COMPLETION_REQUESTED,
            actor=actor,
            actor_label=str(actor),
            note=means.strip(),
            parameters={"notified": True},
        )
        audit_record(
            obj=locked,
            action="case.completion_notice",
            actor=actor,
            after={"notified_by": request.notified_by},
            region_code=locked.audit_region_code,
        )
        case_refresh_deadline(case=locked)
    return locked


def case_completion_answer(*, case: Case, answer: str, files: list[UploadedFile]) -> Case:
    """The reporter completes the report (T4): the answer and files are added, kajian resumes."""
    if not answer.strip() and not files:
        raise ApplicationError(_("Tulis jawaban atau lampirkan berkas."))
    checked = _check_files(files, case=case)
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
    the withdrawal is recorded and handling continues (Ps. 17(3)); after a forwarding without
    registration (T25) it is recorded as a withdrawal of a forwarded report."""
    if case.status in PRE_REGISTRATION:
        return case_transition(
            case=case, to=S.DICABUT, actor=None, actor_kind=Actor.PELAPOR, note=note
        )
    if case.is_closed or case.status == S.DRAFT_PUBLIK:
        raise InvalidTransition(_("Laporan ini tidak dapat dicabut pada status sekarang."))
    # A report forwarded straight from kajian awal (T25) was never registered: its withdrawal
    # is recorded as such, not as one "after registration"; the forwarding stands, and the
    # recipient decides what the withdrawal means for its own procedure.
    forwarded_unregistered = case.registered_at is None
    with transaction.atomic():
        CaseEvent.objects.create(
            case=case,
            type=(
                CaseEvent.Type.WITHDRAWAL_AFTER_FORWARDING
                if forwarded_unregistered
                else CaseEvent.Type.WITHDRAWAL_AFTER_REGISTRATION
            ),
            actor_label=_("Pelapor"),
            note=note,
            public=True,
        )
        audit_record(
            obj=case,
            action=(
                "case.withdrawal_after_forwarding"
                if forwarded_unregistered
                else "case.withdrawal_after_registration"
            ),
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
            found_date=local_in(timezone.now(), case_zone(case)).date(),
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
