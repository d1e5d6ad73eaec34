"""Penerusan (DOMAIN §6): the recommendation to the competent authority, its forwarding
letter and follow-up tracking (T20-T23)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.deadlines import recommendation_due
from netral.cases.models import (
    FOLLOW_UP_TERMINAL,
    Case,
    CaseEvent,
    FollowUp,
    PersonFinding,
    Recipient,
    RecipientProfile,
    Recommendation,
    ReportedPerson,
    Status,
)
from netral.cases.selectors import recipient_available
from netral.cases.workflow import (
    Actor,
    InvalidTransition,
    case_refresh_deadline,
    case_transition,
    is_direct_forwarding,
)
from netral.core.errors import ApplicationError
from netral.core.zones import case_zone

if TYPE_CHECKING:
    from netral.accounts.models import User

from netral.cases.documents import document_generate

S = Status


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
    """One penerusan (§6) with letter number and date; the first one moves the case (T20, or
    T25 for a report that kajian awal forwards directly without registration, DOMAIN §5.5)."""
    direct = is_direct_forwarding(case)
    if (
        reported_person is not None
        and not direct
        and reported_person.finding != PersonFinding.TERBUKTI
    ):
        raise ApplicationError(_("Penerusan hanya untuk terlapor yang terbukti."))
    if not letter_number.strip():
        raise ApplicationError(_("Nomor surat wajib diisi."))
    if recipient not in Recipient.values:
        raise ApplicationError(_("Pilih penerima penerusan."))
    profile = RecipientProfile.objects.filter(recipient=recipient).first()
    if not recipient_available(profile, case):
        # KASN was dissolved (UU 20/2023, Perpres 91 and 92/2024; SE MenPANRB 4/2024):
        # ASN recommendations go to BKN (DOMAIN §1.2, §6.1; issue 12 point 12).
        raise ApplicationError(
            _(
                "%(recipient)s hanya untuk perkara yang diputus sampai %(date)s; rekomendasi "
                "netralitas ASN kini disampaikan kepada BKN."
            )
            % {
                "recipient": Recipient(recipient).label,
                "date": profile.available_until.strftime("%d-%m-%Y")
                if profile is not None and profile.available_until
                else "-",
            }
        )
    due, basis = recommendation_due(
        regime=case.regime, letter_date=letter_date, recipient=recipient, zone=case_zone(case)
    )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        direct = is_direct_forwarding(case)
        if case.status not in (S.DIPUTUS, S.DITERUSKAN, S.PEMANTAUAN_TINDAK_LANJUT) and not (
            direct and case.status == S.KAJIAN_AWAL
        ):
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
        if case.status in (S.DIPUTUS, S.KAJIAN_AWAL):
            case_transition(case=case, to=S.DITERUSKAN, actor=actor)  # T20 / T25
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


def document_bytes_store(*, content: bytes) -> ContentFile[bytes]:
    return ContentFile(content)
