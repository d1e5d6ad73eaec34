"""Case management by officers: assignment, links between cases, the reporter's identity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseLinkType,
    NotificationLog,
    Reporter,
    ReporterIdentityView,
)
from netral.cases.notifications import (
    notify_officer,
)
from netral.core.errors import ApplicationError

if TYPE_CHECKING:
    from netral.accounts.models import User


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
