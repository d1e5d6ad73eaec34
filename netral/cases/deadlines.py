"""Deadline arithmetic (DOMAIN.md §5.7): pure functions plus the rule/holiday lookups.

A deadline in days ends at the end of the last day (23:59:59.999999 local time): "paling lama
7 hari" leaves the whole seventh day. Working days skip Saturdays, Sundays and the dates in
the Holiday table (national holidays and cuti bersama). Hours count from the exact moment.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from netral.cases.models import (
    Anchor,
    Case,
    DayUnit,
    DeadlineRule,
    DeadlineStep,
    Holiday,
    Status,
    ViolationType,
)
from netral.core.ttlcache import TTLValue


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def add_working_days(start: dt.date, amount: int, holidays: Iterable[dt.date]) -> dt.date:
    """The `amount`-th working day after `start` (start itself does not count)."""
    off = set(holidays)
    day = start
    remaining = amount
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            remaining -= 1
    return day


def compute_due(
    *, anchor: dt.datetime, amount: int, unit: str, holidays: Iterable[dt.date] = ()
) -> dt.datetime:
    """The moment a deadline of `amount` `unit` from `anchor` ends."""
    if unit == DayUnit.HOURS:
        return anchor + dt.timedelta(hours=amount)
    start = timezone.localtime(anchor).date() if timezone.is_aware(anchor) else anchor.date()
    if unit == DayUnit.CALENDAR_DAYS:
        return _end_of_day(start + dt.timedelta(days=amount))
    if unit == DayUnit.WORKING_DAYS:
        return _end_of_day(add_working_days(start, amount, holidays))
    raise ValueError(unit)


# The rules (a few dozen rows) and the holiday calendar (a few dozen dates a year) are read
# on every new case and every deadline refresh; each process keeps them for
# NETRAL_DEADLINE_RULES_CACHE_SECONDS (the admin clears its own process's copy on save; other
# processes follow within the TTL). Cached rule objects are shared: read them, never modify.
def _load_rules() -> dict[tuple[str, str], DeadlineRule]:
    return {(r.regime, r.step): r for r in DeadlineRule.objects.all()}


def _load_holidays() -> list[dt.date]:
    return sorted(Holiday.objects.values_list("date", flat=True))


_rules = TTLValue(
    topic="deadline_rules", loader=_load_rules, ttl_setting="NETRAL_DEADLINE_RULES_CACHE_SECONDS"
)
_holidays = TTLValue(
    topic="deadline_rules",
    loader=_load_holidays,
    ttl_setting="NETRAL_DEADLINE_RULES_CACHE_SECONDS",
)


def holidays_between(start: dt.date, end: dt.date) -> list[dt.date]:
    days = _holidays.get()
    return days[bisect.bisect_left(days, start) : bisect.bisect_right(days, end)]


def rule_get(*, regime: str, step: str) -> DeadlineRule | None:
    return _rules.get().get((regime, step))


@dataclass(frozen=True)
class Deadline:
    step: str
    due_at: dt.datetime | None  # None: the rule has no configured amount (UNCONFIRMED)
    basis: str
    confidence: str
    rule_label: str

    @property
    def step_label(self) -> str:
        return str(DeadlineStep(self.step).label)


def _day_start(day: dt.date) -> dt.datetime:
    # A date anchor counts from that day: the start of the local day.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _date_anchor(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else _day_start(day)


def anchor_value(case: Case, anchor: str) -> dt.datetime | None:
    if anchor == Anchor.KNOWN_DATE:
        return _date_anchor(case.known_date)
    if anchor == Anchor.FOUND_DATE:
        return _date_anchor(case.found_date or case.known_date)
    if anchor == Anchor.RECEIVED_AT:
        return case.received_at
    if anchor == Anchor.KAJIAN_AWAL_AT:
        return case.kajian_awal_at
    if anchor == Anchor.COMPLETION_REQUESTED_AT:
        return case.completion_requested_at
    if anchor == Anchor.REGISTERED_AT:
        return case.registered_at
    if anchor == Anchor.DECIDED_AT:
        return case.decided_at
    return None


def deadline_for_rule(case: Case, rule: DeadlineRule, *, _depth: int = 0) -> Deadline | None:
    """The deadline of `rule` for `case`, or None when its anchor has not happened yet."""
    if rule.anchor == Anchor.PENANGANAN_DUE:
        base_rule = rule_get(regime=rule.regime, step=DeadlineStep.PENANGANAN)
        base = (
            deadline_for_rule(case, base_rule, _depth=_depth + 1)
            if base_rule and _depth < 2
            else None
        )
        anchor = base.due_at if base else None
    else:
        anchor = anchor_value(case, rule.anchor)
    if anchor is None:
        return None
    due: dt.datetime | None = None
    if rule.amount is not None and rule.unit:
        holidays: list[dt.date] = []
        if rule.unit == DayUnit.WORKING_DAYS:
            start = timezone.localtime(anchor).date()
            holidays = holidays_between(start, start + dt.timedelta(days=rule.amount * 3 + 60))
        due = compute_due(anchor=anchor, amount=rule.amount, unit=rule.unit, holidays=holidays)
    return Deadline(rule.step, due, rule.legal_basis, rule.confidence, rule.label)


# Which clocks run in which state (DOMAIN.md §8.2 "Deadline" column).
STEPS_BY_STATUS: dict[str, list[str]] = {
    Status.DRAFT_PUBLIK: [DeadlineStep.LAPORAN_WINDOW],
    Status.INFORMASI_AWAL: [DeadlineStep.TEMUAN_WINDOW],
    Status.PENELUSURAN: [DeadlineStep.TEMUAN_WINDOW],
    Status.HASIL_PENGAWASAN: [DeadlineStep.TEMUAN_WINDOW],
    Status.DITERIMA: [DeadlineStep.KAJIAN_AWAL, DeadlineStep.PENANGANAN],
    Status.KAJIAN_AWAL: [DeadlineStep.KAJIAN_AWAL, DeadlineStep.PENANGANAN],
    Status.MENUNGGU_KELENGKAPAN: [DeadlineStep.LENGKAPI_WINDOW],
    Status.DIREGISTRASI: [DeadlineStep.PENANGANAN],
    Status.KLARIFIKASI: [DeadlineStep.PENANGANAN],
    Status.KAJIAN: [DeadlineStep.PENANGANAN],
    Status.GAKKUMDU_PEMBAHASAN: [DeadlineStep.PENANGANAN],
    Status.PERPANJANGAN: [DeadlineStep.PENANGANAN_EXTENDED],
}


def case_next_deadline(case: Case) -> Deadline | None:
    """The earliest running deadline of `case` in its current state (None if no clock runs)."""
    steps = list(STEPS_BY_STATUS.get(case.status, []))
    if case.status == Status.DIPUTUS and any(
        ViolationType.PIDANA in (p.violation_types or []) for p in case.reported_persons.all()
    ):
        steps = [DeadlineStep.PIDANA_TO_POLRI]
    if case.status in (Status.DITERUSKAN, Status.PEMANTAUAN_TINDAK_LANJUT):
        from netral.cases.models import FOLLOW_UP_TERMINAL

        recs = [
            r
            for r in case.recommendations.all()
            if r.due_at is not None and r.status not in FOLLOW_UP_TERMINAL
        ]
        if recs:
            first = min(recs, key=lambda r: r.due_at or timezone.now())
            rule = rule_get(regime=case.regime, step=DeadlineStep.PPK_TINDAK_LANJUT)
            return Deadline(
                DeadlineStep.PPK_TINDAK_LANJUT,
                first.due_at,
                first.due_basis,
                rule.confidence if rule else "",
                rule.label if rule else "",
            )
        return None
    if not steps:
        return None
    rules = _rules.get()
    found: list[Deadline] = []
    for step in steps:
        rule = rules.get((case.regime, step))
        if rule is None:
            continue
        deadline = deadline_for_rule(case, rule)
        if deadline is not None:
            found.append(deadline)
    timed = [d for d in found if d.due_at is not None]
    if timed:
        return min(timed, key=lambda d: d.due_at or timezone.now())
    return found[0] if found else None


def recommendation_due(*, regime: str, letter_date: dt.date) -> tuple[dt.datetime | None, str]:
    rule = rule_get(regime=regime, step=DeadlineStep.PPK_TINDAK_LANJUT)
    if rule is None or rule.amount is None or not rule.unit:
        return None, rule.legal_basis if rule else ""
    anchor = _day_start(letter_date)
    holidays = holidays_between(letter_date, letter_date + dt.timedelta(days=rule.amount * 3 + 60))
    return compute_due(anchor=anchor, amount=rule.amount, unit=rule.unit, holidays=holidays), (
        rule.legal_basis
    )


def filing_is_late(*, regime: str, known_date: dt.date, received_at: dt.datetime) -> bool:
    """Whether a report arrives after LAPORAN_WINDOW (flagged, never refused: §8.2 T1)."""
    rule = rule_get(regime=regime, step=DeadlineStep.LAPORAN_WINDOW)
    if rule is None or rule.amount is None or not rule.unit:
        return False
    anchor = _day_start(known_date)
    holidays = holidays_between(known_date, known_date + dt.timedelta(days=rule.amount * 3 + 60))
    return received_at > compute_due(
        anchor=anchor, amount=rule.amount, unit=rule.unit, holidays=holidays
    )
