"""Sanctions imposed by the competent authority (DOMAIN §4), closing a penerusan."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.models import (
    CaseEvent,
    FollowUp,
    Recommendation,
    ReportedPerson,
    Sanction,
    SanctionLevel,
    SanctionType,
)
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from netral.accounts.models import User

from netral.cases import sanction_rules as rules
from netral.cases.services.forwarding import recommendation_update
from netral.registry.models import SubjectType


def _check_consistency(
    recommendation: Recommendation, person: ReportedPerson, level: str, type: str
) -> None:
    """Issue 12 point 13 (DOMAIN §1.3, §4): refuse a sanction that cannot be right."""
    type_label = SanctionType(type).label
    if (
        recommendation.reported_person_id is not None
        and recommendation.reported_person_id != person.pk
    ):
        raise ApplicationError(
            _("Terlapor %(name)s tidak termasuk dalam penerusan %(letter)s.")
            % {"name": person.name, "letter": recommendation.letter_number}
        )
    if type not in rules.types_for_subject(person.subject_type):
        raise ApplicationError(
            _("Sanksi %(type)s tidak berlaku bagi %(subject)s.")
            % {
                "type": type_label,
                "subject": SubjectType(person.subject_type).label
                if person.subject_type in SubjectType.values
                else _("terlapor tanpa jenis subjek"),
            }
        )
    if not rules.level_fits(type, level):
        raise ApplicationError(
            _("Tingkat %(level)s tidak sesuai dengan sanksi %(type)s.")
            % {"level": SanctionLevel(level).label, "type": type_label}
        )
    allowed = rules.TYPES_BY_RECIPIENT.get(recommendation.recipient)
    if allowed is not None and type not in allowed:
        raise ApplicationError(
            _("Sanksi %(type)s tidak dijatuhkan oleh %(recipient)s (penerima penerusan ini).")
            % {"type": type_label, "recipient": recommendation.get_recipient_display()}
        )


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
    if level not in SanctionLevel.values:
        raise ApplicationError(_("Tingkat sanksi tidak dikenal."))
    if reported_person.case_id != recommendation.case_id:
        raise ApplicationError(_("Terlapor bukan bagian dari perkara ini."))
    _check_consistency(recommendation, reported_person, level, type)
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
