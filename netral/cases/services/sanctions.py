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
    SanctionType,
)
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from netral.accounts.models import User

from netral.cases.services.forwarding import recommendation_update


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
