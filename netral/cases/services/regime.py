"""Correcting a case's regime or election (issue 12 point 8).

The regime decides every clock and every citation (DOMAIN §0, §5.7): a correction is an
audited act that recomputes the case's deadlines and its open recommendations' follow-up
deadlines at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.cases.deadlines import recommendation_due
from netral.cases.models import FOLLOW_UP_TERMINAL, Case, CaseEvent, Recommendation
from netral.cases.workflow import InvalidTransition, case_refresh_deadline
from netral.core.errors import ApplicationError
from netral.core.zones import case_zone
from netral.elections.models import ElectionEvent, Regime

if TYPE_CHECKING:
    from netral.accounts.models import User


def case_regime_correct(
    *,
    case: Case,
    actor: User,
    regime: str = "",
    election_event: ElectionEvent | None = None,
    note: str,
) -> Case:
    """Set the case's election (its regime follows it) or, with no election, its regime; the
    reason is required; the clocks are recomputed in the same transaction."""
    from netral.accounts.access import can_handle_case

    if not can_handle_case(actor, case):
        raise InvalidTransition(_("Anda tidak berwenang menangani perkara ini."))
    if not note.strip():
        raise ApplicationError(_("Tulis alasan perbaikan rezim/pemilihan."))
    if election_event is not None:
        regime = election_event.regime
    if regime not in Regime.values:
        raise ApplicationError(_("Pilih jenis pemilihan (Pemilu atau Pilkada)."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.is_closed:
            raise InvalidTransition(_("Perkara yang sudah ditutup tidak dapat diubah."))
        before = {"regime": locked.regime, "election_event": locked.election_event_id}
        after = {
            "regime": regime,
            "election_event": election_event.pk if election_event else locked.election_event_id,
        }
        if (
            election_event is None
            and locked.election_event is not None
            and locked.election_event.regime != regime
        ):
            after["election_event"] = None  # the old election no longer fits
        if before == after:
            return locked
        Case.objects.filter(pk=locked.pk).update(
            regime=after["regime"], election_event_id=after["election_event"]
        )
        locked.refresh_from_db()
        case_refresh_deadline(case=locked)
        for rec in Recommendation.objects.filter(case=locked).exclude(
            status__in=FOLLOW_UP_TERMINAL
        ):
            due, basis = recommendation_due(
                regime=locked.regime,
                letter_date=rec.letter_date,
                recipient=rec.recipient,
                zone=case_zone(locked),
            )
            Recommendation.objects.filter(pk=rec.pk).update(due_at=due, due_basis=basis)
        CaseEvent.objects.create(
            case=locked,
            type=CaseEvent.Type.REGIME_CORRECTED,
            actor=actor,
            actor_label=str(actor),
            note=note.strip(),
            parameters={"before": before, "after": after},
        )
        audit_record(
            obj=locked,
            action="case.regime_correct",
            actor=actor,
            before=before,
            after={**after, "due_at": locked.due_at},
            region_code=locked.audit_region_code,
            note=note.strip(),
        )
    return locked
