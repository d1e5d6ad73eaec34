"""Deadline arithmetic (DOMAIN.md §5.7): pure functions plus the rule/holiday lookups.

A deadline in days ends at the end of the last day (23:59:59.999999 local time of the handling
unit's zone, WIB/WITA/WIT, netral/core/zones.py): "paling lama 7 hari" leaves the whole
seventh day. Working days skip Saturdays, Sundays and the dates in
the Holiday table (national holidays and cuti bersama). Hours count from the exact moment.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from netral.cases.models import (
    FOLLOW_UP_TERMINAL,
    Anchor,
    Case,
    CompletionRequest,
    Confidence,
    DayUnit,
    DeadlineRule,
    DeadlineStep,
    Holiday,
    NotificationLog,
    Origin,
    Recipient,
    ReportedPerson,
    Status,
    ViolationType,
)
from netral.core.ttlcache import TTLValue
from netral.core.zones import WIB, Zone, case_zone, day_start

# Recipients that count as the forwarding of a crime to Polri (T20, UU 7/2017 Ps. 476(1):
# "kepada Kepolisian ... paling lama 1 x 24 jam", directly or through Sentra Gakkumdu).
POLRI_RECIPIENTS = frozenset({Recipient.POLRI_PENYIDIK, Recipient.SENTRA_GAKKUMDU})
# The SKB 2022 covers ASN only (DOMAIN §3): its follow-up rule is for these recipients when no
# RecipientProfile row says otherwise.
ASN_RECIPIENTS = frozenset({Recipient.BKN, Recipient.PPK, Recipient.KASN})


def _end_of_day(day: dt.date, zone: Zone = WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=zone.tz)


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
    *,
    anchor: dt.datetime,
    amount: int,
    unit: str,
    holidays: Iterable[dt.date] = (),
    zone: Zone = WIB,
) -> dt.datetime:
    """The moment a deadline of `amount` `unit` from `anchor` ends; days are the local days of
    `zone` (a report received at 00:30 WITA is dated that day, not the day before in WIB)."""
    if unit == DayUnit.HOURS:
        return anchor + dt.timedelta(hours=amount)
    start = anchor.astimezone(zone.tz).date() if timezone.is_aware(anchor) else anchor.date()
    if unit == DayUnit.CALENDAR_DAYS:
        return _end_of_day(start + dt.timedelta(days=amount), zone)
    if unit == DayUnit.WORKING_DAYS:
        return _end_of_day(add_working_days(start, amount, holidays), zone)
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

    @property
    def confidence_label(self) -> str:
        try:
            return str(Confidence(self.confidence).label)
        except ValueError:
            return self.confidence


def _date_anchor(day: dt.date | None, zone: Zone) -> dt.datetime | None:
    return None if day is None else day_start(day, zone)


def anchor_value(case: Case, anchor: str) -> dt.datetime | None:
    zone = case_zone(case)
    if anchor == Anchor.KNOWN_DATE:
        return _date_anchor(case.known_date, zone)
    if anchor == Anchor.FOUND_DATE:
        return _date_anchor(case.found_date or case.known_date, zone)
    if anchor == Anchor.RECEIVED_AT:
        if case.received_at is None and case.origin != Origin.LAPORAN:
            # A temuan (or informasi awal) is never "received": the Pilkada handling clock
            # (Perpu 1/2014 Ps. 134(5)-(6), 3 + 2 hari) counts from its registration, as in
            # DOMAIN §5.7's worked example ("didaftarkan" 11 Nov, handled until 14 Nov).
            return case.registered_at
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
    zone = case_zone(case)
    if rule.amount is not None and rule.unit:
        due = _due(anchor, rule.amount, rule.unit, zone)
    elif rule.step == DeadlineStep.LENGKAPI_WINDOW:
        # The rule is left blank (UNCONFIRMED): the date the officer set in the request
        # ("waktu yang ditetapkan", Perbawaslu 7/2022 Ps. 22(7)) ends the window.
        request = _open_completion_request(case)
        if request is not None and request.respond_by is not None:
            due = _end_of_day(request.respond_by, zone)
    return Deadline(rule.step, due, rule.legal_basis, rule.confidence, rule.label)


def _due(anchor: dt.datetime, amount: int, unit: str, zone: Zone) -> dt.datetime:
    holidays: list[dt.date] = []
    if unit == DayUnit.WORKING_DAYS:
        start = anchor.astimezone(zone.tz).date()
        holidays = holidays_between(start, start + dt.timedelta(days=amount * 3 + 60))
    return compute_due(anchor=anchor, amount=amount, unit=unit, holidays=holidays, zone=zone)


def _open_completion_request(case: Case) -> CompletionRequest | None:
    if case.pk is None:
        return None
    return case.completion_requests.filter(answered_at__isnull=True).first()


def completion_notice_given(case: Case) -> bool:
    """Whether the reporter has been told to complete the report (NOTIF_LENGKAPI is met): the
    officer recorded it, or the request's e-mail left."""
    request = _open_completion_request(case)
    if request is None:
        return True
    if request.notified_at is not None:
        return True
    return NotificationLog.objects.filter(
        case=case,
        kind=NotificationLog.Kind.COMPLETION_REQUESTED,
        outcome=NotificationLog.Outcome.SENT,
        created_at__gte=request.created_at,
    ).exists()


def completion_due(case: Case) -> Deadline | None:
    """The end of the reporter's completion window (T5 may be taken after it)."""
    rule = rule_get(regime=case.regime, step=DeadlineStep.LENGKAPI_WINDOW)
    return deadline_for_rule(case, rule) if rule is not None else None


def persons_missing_polri_forwarding(case: Case) -> list[ReportedPerson]:
    """Reported persons qualified PIDANA with no forwarding to Polri (directly or through
    Sentra Gakkumdu) that covers them (UU 7/2017 Ps. 476(1); DOMAIN §7, §8.2 T20)."""
    persons = [
        p for p in case.reported_persons.all() if ViolationType.PIDANA in (p.violation_types or [])
    ]
    if not persons:
        return []
    covered = set()
    whole_case = False
    for rec in case.recommendations.all():
        if rec.recipient in POLRI_RECIPIENTS:
            if rec.reported_person_id is None:
                whole_case = True
            covered.add(rec.reported_person_id)
    if whole_case:
        return []
    return [p for p in persons if p.pk not in covered]


# Which clocks run in which state (DOMAIN.md §8.2 "Deadline" column).
STEPS_BY_STATUS: dict[str, list[str]] = {
    Status.DRAFT_PUBLIK: [DeadlineStep.LAPORAN_WINDOW],
    Status.INFORMASI_AWAL: [DeadlineStep.TEMUAN_WINDOW],
    Status.PENELUSURAN: [DeadlineStep.TEMUAN_WINDOW],
    Status.HASIL_PENGAWASAN: [DeadlineStep.TEMUAN_WINDOW],
    Status.DITERIMA: [DeadlineStep.KAJIAN_AWAL, DeadlineStep.PENANGANAN],
    Status.KAJIAN_AWAL: [DeadlineStep.KAJIAN_AWAL, DeadlineStep.PENANGANAN],
    # The completion state neither hides nor pushes back the statutory handling clock: Pilkada's
    # PENANGANAN counts from receipt (Perpu 1/2014 Ps. 134(5)) and keeps running; Pemilu's
    # counts from registration (UU 7/2017 Ps. 454(7)) and has not started yet (issue 12 pt 3).
    Status.MENUNGGU_KELENGKAPAN: [
        DeadlineStep.NOTIF_LENGKAPI,
        DeadlineStep.LENGKAPI_WINDOW,
        DeadlineStep.PENANGANAN,
    ],
    Status.DIREGISTRASI: [DeadlineStep.PENANGANAN],
    Status.KLARIFIKASI: [DeadlineStep.PENANGANAN],
    Status.KAJIAN: [DeadlineStep.PENANGANAN],
    Status.GAKKUMDU_PEMBAHASAN: [DeadlineStep.PENANGANAN],
    Status.PERPANJANGAN: [DeadlineStep.PENANGANAN_EXTENDED],
}


def case_deadlines(case: Case) -> list[Deadline]:
    """Every clock running for `case` in its current state (DOMAIN §5.7, §8.2)."""
    steps = list(STEPS_BY_STATUS.get(case.status, []))
    if DeadlineStep.NOTIF_LENGKAPI in steps and completion_notice_given(case):
        steps.remove(DeadlineStep.NOTIF_LENGKAPI)
    # The 24-hour Polri clock runs from the decision until a forwarding to Polri is recorded
    # for every person qualified PIDANA, whatever other letters are sent (issue 12 point 2).
    if case.status in (
        Status.DIPUTUS,
        Status.DITERUSKAN,
        Status.PEMANTAUAN_TINDAK_LANJUT,
    ) and persons_missing_polri_forwarding(case):
        steps.append(DeadlineStep.PIDANA_TO_POLRI)
    rules = _rules.get()
    found: list[Deadline] = []
    for step in steps:
        rule = rules.get((case.regime, step))
        if rule is None:
            continue
        deadline = deadline_for_rule(case, rule)
        if deadline is not None:
            found.append(deadline)
    if case.status in (Status.DITERUSKAN, Status.PEMANTAUAN_TINDAK_LANJUT):
        recs = [
            r
            for r in case.recommendations.all()
            if r.due_at is not None and r.status not in FOLLOW_UP_TERMINAL
        ]
        if recs:
            first = min(recs, key=lambda r: r.due_at or timezone.now())
            rule = rule_get(regime=case.regime, step=DeadlineStep.PPK_TINDAK_LANJUT)
            found.append(
                Deadline(
                    DeadlineStep.PPK_TINDAK_LANJUT,
                    first.due_at,
                    first.due_basis,
                    rule.confidence if rule else "",
                    rule.label if rule else "",
                )
            )
    return found


def case_next_deadline(case: Case) -> Deadline | None:
    """The earliest running deadline of `case` in its current state (None if no clock runs)."""
    found = case_deadlines(case)
    timed = [d for d in found if d.due_at is not None]
    if timed:
        return min(timed, key=lambda d: d.due_at or timezone.now())
    return found[0] if found else None


def recommendation_due(
    *, regime: str, letter_date: dt.date, recipient: str = "", zone: Zone = WIB
) -> tuple[dt.datetime | None, str]:
    """The follow-up deadline of a penerusan, by recipient (issue 12 point 11): the SKB 2022
    covers ASN only, so its rule (DeadlineRule PPK_TINDAK_LANJUT) applies only to recipients
    whose profile says `asn_follow_up` (BKN, PPK, historically KASN); any other recipient gets
    a deadline only from its own profile row (admin: Profil penerima penerusan)."""
    from netral.cases.models import RecipientProfile

    profile = RecipientProfile.objects.filter(recipient=recipient).first() if recipient else None
    anchor = day_start(letter_date, zone)
    if profile is None and recipient and recipient not in ASN_RECIPIENTS:
        return None, ""
    if profile is not None and not profile.asn_follow_up:
        if profile.follow_up_amount is None or not profile.follow_up_unit:
            return None, ""
        due = _due(anchor, profile.follow_up_amount, profile.follow_up_unit, zone)
        return due, profile.follow_up_basis
    rule = rule_get(regime=regime, step=DeadlineStep.PPK_TINDAK_LANJUT)
    if rule is None or rule.amount is None or not rule.unit:
        return None, rule.legal_basis if rule else ""
    return _due(anchor, rule.amount, rule.unit, zone), rule.legal_basis


def filing_is_late(
    *, regime: str, known_date: dt.date, received_at: dt.datetime, zone: Zone = WIB
) -> bool:
    """Whether a report arrives after LAPORAN_WINDOW (flagged, never refused: §8.2 T1); the
    window ends at local midnight of the receiving unit's zone."""
    rule = rule_get(regime=regime, step=DeadlineStep.LAPORAN_WINDOW)
    if rule is None or rule.amount is None or not rule.unit:
        return False
    return received_at > _due(day_start(known_date, zone), rule.amount, rule.unit, zone)
