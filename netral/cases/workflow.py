"""The case state machine of DOMAIN.md §8.2, declared as data, and the one guarded mover.

Every status change of a case goes through `case_transition`: it checks the table (who may
do it, what must have been recorded), locks the row, changes the status with a conditional
update (so two officers acting at once cannot both succeed), stamps the step's timestamp,
recomputes the stored deadline, writes a CaseEvent and an audit entry, and schedules the
reporter's notification after commit. Nothing changes state automatically when a deadline
passes (§8.2 invariant): the watcher only raises alerts.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.models import (
    CLOSED_STATUSES,
    FOLLOW_UP_TERMINAL,
    REGISTRABLE_ASSESSMENTS,
    Case,
    CaseEvent,
    PersonFinding,
    Status,
)
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from netral.accounts.models import User

S = Status


class InvalidTransition(ApplicationError):  # noqa: N818  (name fixed by STYLE.md §1.6)
    """The move is not in the table, not allowed to this actor, or lost a race."""


class Actor(enum.StrEnum):
    PENGAWAS = "PENGAWAS"  # an officer holding HANDLE_CASES over the handling unit
    PELAPOR = "PELAPOR"  # the reporter (tracking number + PIN)
    SISTEM = "SISTEM"  # Netral itself, on a condition of the data


class Need(enum.StrEnum):
    """What must be recorded before a transition may happen."""

    NOTE = "NOTE"  # reasons / minutes in the note
    ASSESSMENT_REGISTRABLE = "ASSESSMENT_REGISTRABLE"  # §5.5 result allowing registration
    REGISTRATION_NUMBER = "REGISTRATION_NUMBER"  # assigned by case_register
    COMPLETION_REQUEST = "COMPLETION_REQUEST"  # an open request to the reporter
    TARGET_REGION = "TARGET_REGION"  # where the case is passed on to (pelimpahan)
    CLARIFICATION = "CLARIFICATION"  # at least one session scheduled (invitation B.9)
    FINDINGS = "FINDINGS"  # every reported person has a finding
    NOT_A_VIOLATION = "NOT_A_VIOLATION"  # every reported person: not proven
    RECOMMENDATION = "RECOMMENDATION"  # at least one penerusan recorded
    FOLLOW_UP_DONE = "FOLLOW_UP_DONE"  # every penerusan in a terminal follow-up state
    COMPLETION_LAPSED = "COMPLETION_LAPSED"  # the completion window has passed
    DIRECT_FORWARDING = "DIRECT_FORWARDING"  # kajian awal: PERUU_LAIN, forwarded unregistered


@dataclass(frozen=True)
class Transition:
    code: str
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Actor]
    needs: tuple[Need, ...]
    basis: str  # PEMILU: UU 7/2017, Perbawaslu 7/2022
    public_note: bool = False  # the note is shown to the reporter (reasons, requests)
    basis_pilkada: str = ""  # PILKADA; blank: the procedural regulation without an article


def transition_basis(tr: Transition, regime: str) -> str:
    """The basis cited for `tr` in the case's own regime (issue 12 point 9, DOMAIN §0)."""
    from netral.cases.regimes import regime_text
    from netral.elections.models import Regime

    if regime == Regime.PILKADA:
        return tr.basis_pilkada or regime_text(regime).procedure_short
    return tr.basis


P, R, X = Actor.PENGAWAS, Actor.PELAPOR, Actor.SISTEM


def _t(
    code: str,
    sources: set[Status],
    target: Status,
    actors: set[Actor],
    needs: tuple[Need, ...] = (),
    basis: str = "",
    *,
    public_note: bool = False,
    pilkada: str = "",
) -> Transition:
    return Transition(
        code, frozenset(sources), target, frozenset(actors), needs, basis, public_note, pilkada
    )


TRANSITIONS: list[Transition] = [
    _t(
        "T1",
        {S.DRAFT_PUBLIK},
        S.DITERIMA,
        {P},
        (),
        "Perbawaslu 7/2022 Ps. 8, 10, 11",
        pilkada="Perpu 1/2014 Ps. 134(2),(4) jo. UU 10/2016",
    ),
    _t("T2", {S.DITERIMA}, S.KAJIAN_AWAL, {P, X}, (), "Perbawaslu 7/2022 Ps. 15(1)"),
    _t(
        "T3",
        {S.KAJIAN_AWAL},
        S.MENUNGGU_KELENGKAPAN,
        {P},
        (Need.COMPLETION_REQUEST,),
        "Perbawaslu 7/2022 Ps. 22(1)",
        public_note=True,
    ),
    _t("T4", {S.MENUNGGU_KELENGKAPAN}, S.KAJIAN_AWAL, {P, R}, (), "Perbawaslu 7/2022 Ps. 22"),
    _t(
        "T5",
        {S.MENUNGGU_KELENGKAPAN},
        S.TIDAK_DIREGISTRASI,
        {P, X},
        (Need.COMPLETION_LAPSED,),
        "Perbawaslu 7/2022 Ps. 22(7)",
        public_note=True,
    ),
    _t(
        "T6",
        {S.KAJIAN_AWAL},
        S.TIDAK_DIREGISTRASI,
        {P},
        (Need.NOTE,),
        "Perbawaslu 7/2022 Ps. 15-16",
        public_note=True,
    ),
    _t(
        "T7",
        {S.DITERIMA, S.KAJIAN_AWAL, S.MENUNGGU_KELENGKAPAN},
        S.DICABUT,
        {R, P},
        (),
        "Perbawaslu 7/2022 Ps. 14(1)",
    ),
    _t(
        "T9",
        {S.KAJIAN_AWAL},
        S.DILIMPAHKAN,
        {P},
        (Need.TARGET_REGION, Need.NOTE),
        "Perbawaslu 7/2022 Ps. 20",
        public_note=True,
    ),
    _t(
        "T10",
        {S.KAJIAN_AWAL},
        S.DIREGISTRASI,
        {P},
        (Need.ASSESSMENT_REGISTRABLE, Need.REGISTRATION_NUMBER),
        "Perbawaslu 7/2022 Ps. 16(1)(a), 19, 20",
    ),
    _t("T11", {S.INFORMASI_AWAL}, S.PENELUSURAN, {P}, (), "Penelusuran informasi awal [S122]"),
    _t(
        "T12",
        {S.PENELUSURAN, S.HASIL_PENGAWASAN},
        S.TEMUAN_DITETAPKAN,
        {P},
        (Need.NOTE,),
        "UU 7/2017 Ps. 454(5)",
        pilkada="Perbawaslu 8/2020 Ps. 5",
    ),
    _t("T13", {S.PENELUSURAN}, S.ARSIP, {P}, (Need.NOTE,), "Disimpan sebagai LHP [S122]"),
    _t(
        "T14",
        {S.TEMUAN_DITETAPKAN},
        S.DIREGISTRASI,
        {P},
        (Need.REGISTRATION_NUMBER,),
        "UU 7/2017 Ps. 454",
    ),
    _t(
        "T15",
        {S.DIREGISTRASI},
        S.KLARIFIKASI,
        {P},
        (Need.CLARIFICATION,),
        "Perbawaslu 7/2022 (klarifikasi, Formulir Model B.9)",
    ),
    _t(
        "T16",
        {S.DIREGISTRASI, S.KLARIFIKASI},
        S.GAKKUMDU_PEMBAHASAN,
        {P},
        (Need.NOTE,),
        "UU 7/2017 Ps. 476(2)",
    ),
    _t(
        "T17",
        {S.KLARIFIKASI, S.GAKKUMDU_PEMBAHASAN},
        S.KAJIAN,
        {P},
        (),
        "Kajian dugaan pelanggaran",
    ),
    _t(
        "T18",
        {S.KAJIAN},
        S.PERPANJANGAN,
        {P},
        (Need.NOTE,),
        "UU 7/2017 Ps. 454(8)",
        pilkada="Perpu 1/2014 Ps. 134(6) jo. UU 10/2016",
    ),
    _t(
        "T19",
        {S.KAJIAN, S.PERPANJANGAN},
        S.DIPUTUS,
        {P},
        (Need.FINDINGS,),
        "UU 7/2017 Ps. 454(7),(8)",
        pilkada="Perpu 1/2014 Ps. 134(5),(6) jo. UU 10/2016",
    ),
    _t(
        "T20",
        {S.DIPUTUS},
        S.DITERUSKAN,
        {P},
        (Need.RECOMMENDATION,),
        "UU 7/2017 Ps. 455, 476(1)",
        public_note=False,
    ),
    _t(
        "T21",
        {S.DIPUTUS},
        S.DIHENTIKAN,
        {P},
        (Need.NOT_A_VIOLATION,),
        "Bukan pelanggaran; diumumkan/diberitahukan",
        public_note=True,
    ),
    _t("T22", {S.DITERUSKAN}, S.PEMANTAUAN_TINDAK_LANJUT, {P, X}, (), "UU 7/2017 Ps. 105 huruf e"),
    _t(
        "T23",
        {S.PEMANTAUAN_TINDAK_LANJUT},
        S.SELESAI,
        {P, X},
        (Need.FOLLOW_UP_DONE,),
        "Semua penerusan selesai ditindaklanjuti",
    ),
    # Kajian awal found a violation of other laws and the officer chose direct forwarding:
    # the report is "diteruskan kepada instansi yang berwenang" without registration (DOMAIN
    # §5.5 note on PERUU_LAIN; Perbawaslu 7/2022, article UNCONFIRMED: Ps. 21 or 22), once the
    # forwarding letter is recorded (issue 12 point 15).
    _t(
        "T25",
        {S.KAJIAN_AWAL},
        S.DITERUSKAN,
        {P},
        (Need.DIRECT_FORWARDING, Need.RECOMMENDATION),
        "Perbawaslu 7/2022 (kajian awal: diteruskan kepada instansi yang berwenang)",
        pilkada="Perbawaslu 8/2020 jo. Perbawaslu 9/2024 (kajian awal: diteruskan kepada "
        "instansi yang berwenang)",
    ),
    _t(
        "T24",
        {S.SELESAI, S.DIHENTIKAN, S.TIDAK_DIREGISTRASI},
        S.ARSIP,
        {P, X},
        (),
        "UU 7/2017 Ps. 105 (arsip)",
    ),
]

# from → to → transition (oscar's pipeline, as a lookup table).
ALLOWED: dict[str, dict[str, Transition]] = {}
for _tr in TRANSITIONS:
    for _src in _tr.sources:
        ALLOWED.setdefault(_src, {})[_tr.target] = _tr

# The moment each target state stamps on the case (first time only).
STAMPS: dict[str, str] = {
    S.DITERIMA: "received_at",
    S.KAJIAN_AWAL: "kajian_awal_at",
    S.MENUNGGU_KELENGKAPAN: "completion_requested_at",
    S.DIREGISTRASI: "registered_at",
    S.PERPANJANGAN: "extended_at",
    S.DIPUTUS: "decided_at",
    S.DITERUSKAN: "forwarded_at",
}


def allowed_targets(case: Case, *, actor_kind: Actor = Actor.PENGAWAS) -> list[Transition]:
    return [t for t in ALLOWED.get(case.status, {}).values() if actor_kind in t.actors]


def is_direct_forwarding(case: Case) -> bool:
    """Kajian awal chose direct forwarding of a PERUU_LAIN report, which stays unregistered
    (DOMAIN §5.5 note; issue 12 point 15)."""
    from netral.cases.models import InitialAssessment

    return (
        case.direct_forwarding
        and case.initial_assessment == InitialAssessment.PERUU_LAIN
        and not case.registration_number
    )


def _check_needs(case: Case, tr: Transition, note: str, updates: dict[str, Any]) -> None:
    for need in tr.needs:
        if need == Need.NOTE and not note.strip():
            raise InvalidTransition(_("Catatan/alasan wajib diisi untuk langkah ini."))
        if need == Need.ASSESSMENT_REGISTRABLE and (
            updates.get("initial_assessment", case.initial_assessment)
            not in REGISTRABLE_ASSESSMENTS
        ):
            raise InvalidTransition(_("Hasil kajian awal belum memenuhi syarat untuk registrasi."))
        if need == Need.REGISTRATION_NUMBER and not updates.get("registration_number"):
            raise InvalidTransition(_("Registrasi harus melalui pemberian nomor registrasi."))
        if (
            need == Need.COMPLETION_REQUEST
            and not case.completion_requests.filter(answered_at__isnull=True).exists()
        ):
            raise InvalidTransition(_("Tulis dulu permintaan kelengkapan kepada pelapor."))
        # The key must be given; its value None is Bawaslu RI, whose unit has no region
        # (services.case_forward checks the destination itself).
        if need == Need.TARGET_REGION and "forwarded_to_region_id" not in updates:
            raise InvalidTransition(_("Pilih unit tujuan pelimpahan."))
        if need == Need.CLARIFICATION and not case.clarifications.exists():
            raise InvalidTransition(_("Jadwalkan dulu klarifikasi (undangan Formulir B.9)."))
        if need == Need.FINDINGS:
            persons = list(case.reported_persons.all())
            if not persons or any(p.finding == PersonFinding.BELUM_DIPUTUS for p in persons):
                raise InvalidTransition(_("Setiap terlapor harus sudah diputus statusnya."))
        if (
            need == Need.NOT_A_VIOLATION
            and case.reported_persons.exclude(finding=PersonFinding.TIDAK_TERBUKTI).exists()
        ):
            raise InvalidTransition(
                _("Perkara hanya dapat dihentikan bila semua terlapor tidak terbukti.")
            )
        if need == Need.DIRECT_FORWARDING and not is_direct_forwarding(case):
            raise InvalidTransition(
                _(
                    "Hanya laporan dengan hasil kajian awal dugaan pelanggaran peraturan "
                    "perundang-undangan lainnya yang diteruskan langsung tanpa registrasi."
                )
            )
        if need == Need.RECOMMENDATION and not case.recommendations.exists():
            raise InvalidTransition(_("Catat dulu penerusan/rekomendasi kepada instansi."))
        if (
            need == Need.FOLLOW_UP_DONE
            and case.recommendations.exclude(status__in=FOLLOW_UP_TERMINAL).exists()
        ):
            raise InvalidTransition(_("Masih ada penerusan yang belum selesai ditindaklanjuti."))
        if need == Need.COMPLETION_LAPSED:
            _check_completion_lapsed(case, note)


def _check_completion_lapsed(case: Case, note: str) -> None:
    """T5 (Perbawaslu 7/2022 Ps. 22(7)): the completion window must have ended. The window is
    the LENGKAPI_WINDOW rule or, the rule left blank (UNCONFIRMED), the date the officer set in
    the request; with neither, the officer decides and must write the reason (issue 12 pt 5)."""
    from netral.cases.deadlines import completion_due

    deadline = completion_due(case)
    if deadline is None or deadline.due_at is None:
        if not note.strip():
            raise InvalidTransition(
                _(
                    "Batas waktu melengkapi belum ditetapkan; tulis alasan bahwa waktu yang "
                    "ditetapkan telah lewat."
                )
            )
        return
    if deadline.due_at > timezone.now():
        raise InvalidTransition(_("Batas waktu melengkapi laporan belum lewat."))


def case_transition(
    *,
    case: Case,
    to: Status,
    actor: User | None,
    actor_kind: Actor = Actor.PENGAWAS,
    note: str = "",
    updates: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
) -> Case:
    """Move `case` to `to` if the table allows it; returns the fresh case."""
    from netral.accounts.access import can_handle_case
    from netral.cases.deadlines import case_next_deadline
    from netral.cases.notifications import notify_reporter_status

    updates = dict(updates or {})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        tr = ALLOWED.get(locked.status, {}).get(to)
        if tr is None:
            raise InvalidTransition(
                _("Perubahan status dari %(from)s ke %(to)s tidak diperbolehkan.")
                % {"from": Status(locked.status).label, "to": Status(to).label}
            )
        if actor_kind not in tr.actors:
            raise InvalidTransition(_("Langkah ini tidak dapat dilakukan oleh pihak ini."))
        if actor_kind == Actor.PENGAWAS and (actor is None or not can_handle_case(actor, locked)):
            raise InvalidTransition(_("Anda tidak berwenang menangani perkara ini."))
        _check_needs(locked, tr, note, updates)

        now = timezone.now()
        stamp = STAMPS.get(to)
        if stamp and getattr(locked, stamp) is None and stamp not in updates:
            updates[stamp] = now
        if to in CLOSED_STATUSES:
            updates["closed_at"] = now
        before = {"status": locked.status}
        # The conditional update is the guard against a concurrent mover (STYLE §1.6).
        rows = Case.objects.filter(pk=locked.pk, status=locked.status).update(
            status=to, updated_at=now, **updates
        )
        if rows != 1:
            raise InvalidTransition(_("Perkara baru saja diubah oleh petugas lain; muat ulang."))
        fresh = Case.objects.get(pk=locked.pk)
        case_refresh_deadline(case=fresh, compute=case_next_deadline)
        CaseEvent.objects.create(
            case=fresh,
            type=CaseEvent.Type.TRANSITION,
            actor=actor,
            actor_label=str(actor) if actor else actor_kind.value,
            from_status=before["status"],
            to_status=to,
            note=note,
            parameters={
                "transition": tr.code,
                "basis": transition_basis(tr, fresh.regime),
                **(parameters or {}),
            },
            public=True,
        )
        audit_record(
            obj=fresh,
            action=f"case.transition.{tr.code}",
            actor=actor,
            before=before,
            after={
                "status": to,
                "basis": transition_basis(tr, fresh.regime),
                **{k: v for k, v in updates.items() if k != "checklist"},
            },
            region_code=fresh.audit_region_code,
            note=note,
        )
        notify_reporter_status(case=fresh, note=note if tr.public_note else "")
    return fresh


def deadline_fields(case: Case, compute: Any = None) -> dict[str, Any]:
    """The next deadline of `case` as the values of its due_* fields (not stored)."""
    if compute is None:
        from netral.cases.deadlines import case_next_deadline as compute
    deadline = None if case.status in CLOSED_STATUSES else compute(case)
    return {
        "due_at": deadline.due_at if deadline else None,
        "due_step": deadline.step if deadline else "",
        "due_basis": deadline.basis if deadline else "",
        "due_confidence": deadline.confidence if deadline else "",
    }


def case_refresh_deadline(*, case: Case, compute: Any = None) -> None:
    """Recompute and store the next deadline (due_at + its step and basis)."""
    fields = deadline_fields(case, compute)
    Case.objects.filter(pk=case.pk).update(**fields)
    for key, value in fields.items():
        setattr(case, key, value)
