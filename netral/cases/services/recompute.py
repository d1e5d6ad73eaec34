"""Rule changes apply to open cases (issue 12 point 6): recompute every open deadline from the
current DeadlineRule rows, holidays and recipient profiles (DOMAIN §5.7, §14: the UNCONFIRMED
rules are edited in the admin while cases run).

Each change is listed (case, step, old, new), written in its own transaction with an audit entry
(`case.deadline_recompute` / `recommendation.deadline_recompute`), and nothing is written with
`dry_run`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from netral.audit.services import audit_record
from netral.cases.deadlines import recommendation_due
from netral.cases.models import CLOSED_STATUSES, FOLLOW_UP_TERMINAL, Case, Recommendation
from netral.cases.workflow import deadline_fields
from netral.core import ttlcache
from netral.core.progress import ProgressCallback, noop_progress
from netral.core.zones import case_zone

if TYPE_CHECKING:
    from netral.accounts.models import User


@dataclass(frozen=True)
class DeadlineChange:
    case_id: int
    reference: str
    step: str  # the step after the change (the recipient's follow-up for a recommendation)
    old: dt.datetime | None
    new: dt.datetime | None
    old_step: str = ""
    recommendation_id: int | None = None


def deadlines_recompute(
    *, dry_run: bool = False, actor: User | None = None, progress: ProgressCallback = noop_progress
) -> list[DeadlineChange]:
    """Recompute the stored next deadline of every open case and the follow-up deadline of
    every open recommendation; return what changed (or would change, with `dry_run`)."""
    ttlcache.invalidate("deadline_rules")  # this process reads the rules as they are now
    changes: list[DeadlineChange] = []
    cases = Case.objects.exclude(status__in=CLOSED_STATUSES).order_by("pk")
    total = cases.count()
    for done, case in enumerate(cases.iterator(chunk_size=500), start=1):
        fields = deadline_fields(case)
        if (fields["due_at"], fields["due_step"]) != (case.due_at, case.due_step):
            change = DeadlineChange(
                case_id=case.pk,
                reference=case.reference,
                step=fields["due_step"],
                old=case.due_at,
                new=fields["due_at"],
                old_step=case.due_step,
            )
            changes.append(change)
            if not dry_run:
                with transaction.atomic():
                    Case.objects.filter(pk=case.pk).update(**fields)
                    audit_record(
                        obj=case,
                        action="case.deadline_recompute",
                        actor=actor,
                        before={"due_at": case.due_at, "due_step": case.due_step},
                        after={"due_at": fields["due_at"], "due_step": fields["due_step"]},
                        region_code=case.audit_region_code,
                    )
        progress(done, total)
    recs = (
        Recommendation.objects.exclude(status__in=FOLLOW_UP_TERMINAL)
        .exclude(case__status__in=CLOSED_STATUSES)
        .select_related("case")
        .order_by("pk")
    )
    for rec in recs.iterator(chunk_size=500):
        due, basis = recommendation_due(
            regime=rec.case.regime,
            letter_date=rec.letter_date,
            recipient=rec.recipient,
            zone=case_zone(rec.case),
        )
        if due == rec.due_at:
            continue
        changes.append(
            DeadlineChange(
                case_id=rec.case_id,
                reference=rec.case.reference,
                step="PPK_TINDAK_LANJUT",
                old=rec.due_at,
                new=due,
                old_step="PPK_TINDAK_LANJUT",
                recommendation_id=rec.pk,
            )
        )
        if not dry_run:
            with transaction.atomic():
                Recommendation.objects.filter(pk=rec.pk).update(due_at=due, due_basis=basis)
                audit_record(
                    obj=rec.case,
                    action="recommendation.deadline_recompute",
                    actor=actor,
                    before={"recommendation": rec.pk, "due_at": rec.due_at},
                    after={"recommendation": rec.pk, "due_at": due},
                    region_code=rec.case.audit_region_code,
                )
    if not dry_run and any(c.recommendation_id for c in changes):
        # A case in follow-up shows its earliest recommendation deadline: store it again.
        for case_id in {c.case_id for c in changes if c.recommendation_id}:
            case = Case.objects.get(pk=case_id)
            fields = deadline_fields(case)
            if (fields["due_at"], fields["due_step"]) != (case.due_at, case.due_step):
                Case.objects.filter(pk=case.pk).update(**fields)
    return changes
