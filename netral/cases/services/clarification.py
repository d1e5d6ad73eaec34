"""Clarification (klarifikasi): invitations (Formulir B.9) and their minutes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.deadlines import (
    compute_due,
    holidays_between,
    rule_get,
)
from netral.cases.models import (
    Case,
    CaseEvent,
    ClarificationSession,
    DeadlineStep,
    ReportedPerson,
    Status,
)
from netral.cases.workflow import (
    InvalidTransition,
    case_transition,
)
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from netral.accounts.models import User

from netral.cases.documents import document_generate
from netral.core.zones import case_zone

S = Status


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
            zone=case_zone(case),
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
