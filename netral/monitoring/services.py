"""The deadline watcher (healthchecks `sendalerts`): warnings, alerts and escalations.

Each alert is claimed by inserting a DeadlineAlert row under a unique constraint, so the
same (case or recommendation, step, kind, due time) fires exactly once however many
watchers run. Nothing here changes a case's status: a missed deadline is an alert, not an
automatic state change (DOMAIN.md §8.2 invariant). Overdue recommendations escalate to the
supervising unit (the Bawaslu Kab/Kota above a Panwaslu Kecamatan, or the unit itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from netral.accounts.access import case_handlers_for_region
from netral.audit.services import audit_record
from netral.cases.models import (
    CLOSED_STATUSES,
    FOLLOW_UP_TERMINAL,
    Case,
    CaseEvent,
    DeadlineRule,
    NotificationLog,
    Recommendation,
)
from netral.cases.models.deadlines import DeadlineStep
from netral.cases.notifications import notify_officer
from netral.core.zones import case_zone, format_local
from netral.monitoring.models import DeadlineAlert

if TYPE_CHECKING:
    from netral.accounts.models import User


@dataclass
class WatchResult:
    warnings: int = 0
    overdue: int = 0
    escalations: int = 0


def _claim(**fields: object) -> DeadlineAlert | None:
    try:
        with transaction.atomic():
            return DeadlineAlert.objects.create(**fields)
    except IntegrityError:
        return None  # already fired (by us earlier, or by a concurrent watcher)


def _warn_hours() -> dict[tuple[str, str], int]:
    return {(r.regime, r.step): r.warn_before_hours for r in DeadlineRule.objects.all()}


def _recipients(case: Case) -> list[User]:
    if case.assigned_to_id is not None and case.assigned_to is not None:
        return [case.assigned_to]
    return list(
        case_handlers_for_region(case.handling_region_id).filter(
            assignments__region_id=case.handling_region_id
        )
        if case.handling_region_id
        else []
    )


def _alert_case(case: Case, kind: str, label: str) -> None:
    CaseEvent.objects.create(
        case=case,
        type=CaseEvent.Type.DEADLINE_MISSED
        if kind == DeadlineAlert.Kind.OVERDUE
        else CaseEvent.Type.DEADLINE_WARNING,
        actor_label="SISTEM",
        parameters={
            "step": case.due_step,
            "due_at": case.due_at.isoformat() if case.due_at else None,
            "basis": case.due_basis,
        },
    )
    audit_record(
        obj=case,
        action=f"deadline.{kind.lower()}",
        actor=None,
        after={"step": case.due_step, "due_at": case.due_at},
        region_code=case.audit_region_code,
    )
    for user in _recipients(case):
        notify_officer(
            case=case,
            user=user,
            kind=NotificationLog.Kind.DEADLINE,
            subject=label % {"ref": case.reference},
            message=_("Tahap %(step)s, tenggat %(due)s (%(basis)s).")
            % {
                # the step's label, never its stored code
                "step": (
                    DeadlineStep(case.due_step).label
                    if case.due_step in DeadlineStep.values
                    else case.due_step
                ),
                # in the handling unit's zone, with its name (issue 12 point 7)
                "due": format_local(case.due_at, case_zone(case)),
                "basis": case.due_basis,
            },
        )


def deadlines_watch(*, now: dt.datetime | None = None) -> WatchResult:
    """One pass over open cases and recommendations. Idempotent; safe to run concurrently.

    Runs outside any request, so messages use the site's default language (Indonesian)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _watch(now or timezone.now())


def _watch(now: dt.datetime) -> WatchResult:
    result = WatchResult()
    warn = _warn_hours()
    horizon = now + dt.timedelta(hours=max(warn.values(), default=24))
    # A case whose alert for its current deadline has fired is not read again: every pass
    # tried to claim it anew and failed on the unique index, so a backlog of 250,000 open
    # overdue cases made each minute's pass 250,000 refused INSERTs (issue 15, Session 16).
    # The claim below still decides between concurrent watchers.
    fired = DeadlineAlert.objects.filter(
        case=OuterRef("pk"),
        recommendation__isnull=True,
        step=OuterRef("due_step"),
        due_at=OuterRef("due_at"),
    )
    open_cases = (
        Case.objects.exclude(status__in=CLOSED_STATUSES)
        .filter(due_at__isnull=False, due_at__lte=horizon)
        .exclude(Exists(fired.filter(kind=DeadlineAlert.Kind.OVERDUE)))
        # warned and not yet due: nothing to say until the deadline passes
        .exclude(Q(due_at__gt=now) & Exists(fired.filter(kind=DeadlineAlert.Kind.WARNING)))
        .select_related("assigned_to")
        .order_by("due_at")
    )
    for case in open_cases.iterator(chunk_size=500):
        if case.due_at is None:
            continue
        if case.due_at <= now:
            kind, label = DeadlineAlert.Kind.OVERDUE, _("Tenggat terlewati: %(ref)s")
        elif case.due_at - dt.timedelta(hours=warn.get((case.regime, case.due_step), 24)) <= now:
            kind, label = DeadlineAlert.Kind.WARNING, _("Tenggat mendekat: %(ref)s")
        else:
            continue
        with transaction.atomic():
            if _claim(case=case, step=case.due_step, kind=kind, due_at=case.due_at) is None:
                continue
            _alert_case(case, kind, label)
        if kind == DeadlineAlert.Kind.OVERDUE:
            result.overdue += 1
        else:
            result.warnings += 1

    escalated = DeadlineAlert.objects.filter(
        recommendation=OuterRef("pk"),
        step="PPK_TINDAK_LANJUT",
        kind=DeadlineAlert.Kind.ESCALATION,
        due_at=OuterRef("due_at"),
    )
    overdue_recs = (
        Recommendation.objects.exclude(status__in=FOLLOW_UP_TERMINAL)
        .filter(due_at__isnull=False, due_at__lte=now)
        .exclude(Exists(escalated))
        .select_related("case")
    )
    for rec in overdue_recs.iterator(chunk_size=500):
        if rec.due_at is None:
            continue
        with transaction.atomic():
            if (
                _claim(
                    case=rec.case,
                    recommendation=rec,
                    step="PPK_TINDAK_LANJUT",
                    kind=DeadlineAlert.Kind.ESCALATION,
                    due_at=rec.due_at,
                )
                is None
            ):
                continue
            Recommendation.objects.filter(pk=rec.pk).update(escalated_at=now)
            CaseEvent.objects.create(
                case=rec.case,
                type=CaseEvent.Type.ESCALATED,
                actor_label="SISTEM",
                parameters={
                    "recommendation": rec.pk,
                    "recipient": rec.recipient,
                    "letter_number": rec.letter_number,
                },
            )
            audit_record(
                obj=rec.case,
                action="deadline.escalation",
                actor=None,
                after={"recommendation": rec.pk},
                region_code=rec.case.audit_region_code,
            )
            # Escalate one level up: the Kab/Kota unit above a kecamatan (or the unit itself).
            unit = rec.case.handling_region_id
            upper = unit.rsplit(".", 1)[0] if unit and unit.count(".") >= 2 else unit
            for user in (
                case_handlers_for_region(upper).filter(assignments__region_id=upper)
                if upper
                else []
            ):
                notify_officer(
                    case=rec.case,
                    user=user,
                    kind=NotificationLog.Kind.DEADLINE,
                    subject=_("Rekomendasi belum ditindaklanjuti: %(ref)s")
                    % {"ref": rec.case.reference},
                    message=_("Penerusan %(no)s kepada %(to)s melewati tenggat tindak lanjut.")
                    % {"no": rec.letter_number, "to": rec.recipient_name},
                )
        result.escalations += 1
    return result
