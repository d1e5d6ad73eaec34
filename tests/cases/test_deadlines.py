"""DeadlineRule arithmetic on the worked examples of DOMAIN.md §5.7."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from netral.cases.deadlines import (
    add_working_days,
    case_next_deadline,
    compute_due,
    deadline_for_rule,
    filing_is_late,
    holidays_between,
)
from netral.cases.models import Case, DeadlineRule, DeadlineStep, Holiday, Status

pytestmark = pytest.mark.django_db


def local(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date(y, m, d), dt.time(h)))


def end_of(y: int, m: int, d: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date(y, m, d), dt.time.max))


def test_working_days_skip_weekends_and_holidays() -> None:
    # Fri 22 Dec 2023 + 1 working day: Mon 25 (Natal) and Tue 26 (cuti bersama) are off.
    holidays = holidays_between(dt.date(2023, 12, 1), dt.date(2024, 1, 31))
    assert add_working_days(dt.date(2023, 12, 22), 1, holidays) == dt.date(2023, 12, 27)


def test_rules_of_both_regimes_are_seeded_with_basis_and_confidence() -> None:
    rule = DeadlineRule.objects.get(regime="PEMILU", step=DeadlineStep.PENANGANAN)
    assert (rule.amount, rule.unit, rule.confidence) == (7, "WORKING_DAYS", "CONFIRMED")
    assert "454(7)" in rule.legal_basis
    pilkada = DeadlineRule.objects.get(regime="PILKADA", step=DeadlineStep.PENANGANAN)
    assert (pilkada.amount, pilkada.unit) == (3, "CALENDAR_DAYS")
    unconfirmed = DeadlineRule.objects.get(regime="PEMILU", step=DeadlineStep.PPK_TINDAK_LANJUT)
    assert unconfirmed.confidence == "UNCONFIRMED"
    assert Holiday.objects.filter(date=dt.date(2024, 12, 25)).exists()


def _case(**fields: object) -> Case:
    defaults: dict[str, object] = {
        "origin": "LAPORAN",
        "channel": "KANTOR",
        "incident_region_id": "64.08.04.2001",
        "incident_place": "x",
        "title": "x",
        "description": "x",
        "event_date": dt.date(2024, 11, 9),
        "known_date": dt.date(2024, 11, 10),
    }
    defaults.update(fields)
    return Case.objects.create(**defaults)


def test_pilkada_kutai_kartanegara_example_three_calendar_days_weekends_count() -> None:
    # [S98]: received/registered Mon 11 Nov 2024, handled until Thu 14 Nov 2024.
    case = _case(
        regime="PILKADA",
        status=Status.DIREGISTRASI,
        received_at=local(2024, 11, 11),
        registered_at=local(2024, 11, 11),
    )
    deadline = case_next_deadline(case)
    assert deadline is not None
    assert deadline.step == DeadlineStep.PENANGANAN
    assert deadline.due_at == end_of(2024, 11, 14)
    assert "134(5)" in deadline.basis
    # With keterangan tambahan: +2 days after the 3 (Ps. 134(6)) = Sat 16 Nov 2024.
    case.status = Status.PERPANJANGAN
    extended = case_next_deadline(case)
    assert extended is not None
    assert extended.due_at == end_of(2024, 11, 16)


def test_pemilu_bekasi_example_fourteen_working_days_over_christmas_and_new_year() -> None:
    # [S127]: a Pemilu report on a kepala desa with final decision due 8 Jan 2024. Counting
    # 14 hari kerja from a registration on Thu 14 Dec 2023 skips 25-26 Dec and 1 Jan.
    case = _case(
        regime="PEMILU",
        status=Status.PERPANJANGAN,
        received_at=local(2023, 12, 13),
        registered_at=local(2023, 12, 14),
    )
    deadline = case_next_deadline(case)
    assert deadline is not None
    assert deadline.due_at == end_of(2024, 1, 8)
    # The basic 7 hari kerja end on Wed 27 Dec 2023 (not Fri 22 Dec + weekend).
    case.status = Status.KAJIAN
    assert case_next_deadline(case).due_at == end_of(2023, 12, 27)  # type: ignore[union-attr]


def test_bawaslu_ri_example_window_still_open_five_days_after_the_event() -> None:
    # [S93]: event 2 Dec 2022, report not yet accepted on 7 Dec 2022: still within 7 Hari.
    assert not filing_is_late(
        regime="PEMILU", known_date=dt.date(2022, 12, 2), received_at=local(2022, 12, 7)
    )
    # Pemilu counts hari kerja: Fri 2 Dec + 7 = Tue 13 Dec 2022.
    assert not filing_is_late(
        regime="PEMILU", known_date=dt.date(2022, 12, 2), received_at=local(2022, 12, 13, 15)
    )
    assert filing_is_late(
        regime="PEMILU", known_date=dt.date(2022, 12, 2), received_at=local(2022, 12, 14, 8)
    )
    # Pilkada counts calendar days: 2 Dec + 7 = 9 Dec.
    assert filing_is_late(
        regime="PILKADA", known_date=dt.date(2022, 12, 2), received_at=local(2022, 12, 10, 8)
    )


def test_hours_count_from_the_moment_for_pidana_to_polri() -> None:
    assert compute_due(anchor=local(2024, 2, 1, 9), amount=24, unit="HOURS") == local(2024, 2, 2, 9)


def test_an_unconfirmed_rule_without_amount_runs_no_clock_but_shows_its_basis() -> None:
    # Pilkada kajian awal duration is UNCONFIRMED (DOMAIN §14.4): no due time, basis shown.
    rule = DeadlineRule.objects.get(regime="PILKADA", step=DeadlineStep.KAJIAN_AWAL)
    case = _case(regime="PILKADA", status=Status.KAJIAN_AWAL, received_at=local(2024, 11, 11))
    deadline = deadline_for_rule(case, rule)
    assert deadline is not None
    assert deadline.due_at is None
    assert deadline.confidence == "UNCONFIRMED"
    # ... while the 3-day handling clock from receipt still applies and is the next deadline.
    nxt = case_next_deadline(case)
    assert nxt is not None
    assert nxt.step == DeadlineStep.PENANGANAN


def test_editing_a_rule_in_the_table_changes_the_computed_deadline() -> None:
    DeadlineRule.objects.filter(regime="PEMILU", step=DeadlineStep.KAJIAN_AWAL).update(
        amount=3, unit="CALENDAR_DAYS"
    )
    case = _case(regime="PEMILU", status=Status.KAJIAN_AWAL, received_at=local(2024, 3, 1))
    assert case_next_deadline(case).due_at == end_of(2024, 3, 4)  # type: ignore[union-attr]
