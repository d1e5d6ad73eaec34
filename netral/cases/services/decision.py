"""The decision: each reported person's finding (§8.2) and the case's status (T19)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.models import (
    Case,
    CaseEvent,
    PersonFinding,
    ReportedPerson,
    SkbCode,
    Status,
    TargetStatus,
    ViolationType,
)
from netral.cases.sanction_rules import ASN_SUBJECTS
from netral.cases.workflow import (
    InvalidTransition,
    case_transition,
)
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from netral.accounts.models import User

S = Status


def reported_person_decide(
    *,
    person: ReportedPerson,
    actor: User,
    finding: str,
    violation_types: list[str],
    skb_codes: list[str],
    articles: list[str],
    reasoning: str,
    target_status: str = "",
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
    if target_status and target_status not in TargetStatus.values:
        raise ApplicationError(_("Status sasaran tidak dikenal."))
    if skb_codes and person.subject_type not in ASN_SUBJECTS:
        # The SKB 2022 catalogue is for ASN only (DOMAIN §3; issue 12 point 13).
        raise ApplicationError(
            _("Kode SKB 2022 hanya untuk terlapor ASN (PNS, PPPK, camat, lurah).")
        )
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
        if target_status:
            # bakal calon / calon (DOMAIN §3): which SKB row applies; the officer's choice
            person.target_status = target_status
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
