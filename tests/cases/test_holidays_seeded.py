"""The seeded Holiday table against the SKB 3 Menteri of 2023-2026 (migrations 0002 and 0007).

Totals and dates: the SKB of each year with its amendments and the two Keppres voting days;
the sources are listed in the docstring of migration 0007 and in docs/cases.md.
"""

from __future__ import annotations

import datetime as dt
import importlib
from types import ModuleType

import pytest
from django.apps import apps as django_apps

from netral.cases.models import Holiday

pytestmark = pytest.mark.django_db

N, CB = Holiday.Kind.LIBUR_NASIONAL, Holiday.Kind.CUTI_BERSAMA

# year: (libur nasional incl. Keppres voting days, cuti bersama)
OFFICIAL_TOTALS = {
    2023: (16, 11),
    2024: (19, 10),
    2025: (17, 11),
    2026: (17, 8),
}

WELL_KNOWN = [
    # 2023: Idulfitri 22-23 Apr with cuti moved to 19-21, 24-25 Apr; Iduladha cuti 28 and 30 Jun
    ("2023-04-19", CB),
    ("2023-04-22", N),
    ("2023-04-23", N),
    ("2023-04-25", CB),
    ("2023-06-28", CB),
    ("2023-06-29", N),
    ("2023-06-30", CB),
    ("2023-08-17", N),
    ("2023-12-25", N),
    ("2023-12-26", CB),
    # 2024: the two Keppres voting days, Idulfitri 10-11 Apr
    ("2024-02-14", N),
    ("2024-03-31", N),
    ("2024-04-08", CB),
    ("2024-04-10", N),
    ("2024-04-11", N),
    ("2024-04-15", CB),
    ("2024-08-17", N),
    ("2024-11-27", N),
    ("2024-12-25", N),
    ("2024-12-26", CB),
    # 2025: Idulfitri 31 Mar-1 Apr, the cuti bersama of 18 Aug added in August 2025
    ("2025-03-31", N),
    ("2025-04-01", N),
    ("2025-04-07", CB),
    ("2025-06-06", N),
    ("2025-08-17", N),
    ("2025-08-18", CB),
    ("2025-12-25", N),
    ("2025-12-26", CB),
    # 2026: Idulfitri 21-22 Mar, cuti bersama Natal before Christmas
    ("2026-03-20", CB),
    ("2026-03-21", N),
    ("2026-03-22", N),
    ("2026-03-24", CB),
    ("2026-08-17", N),
    ("2026-12-24", CB),
    ("2026-12-25", N),
]


def _migration_0007() -> ModuleType:
    return importlib.import_module("netral.cases.migrations.0007_correct_holidays_2023_iduladha")


@pytest.mark.parametrize(("day", "kind"), WELL_KNOWN)
def test_well_known_day_is_seeded_with_its_kind(day: str, kind: str) -> None:
    holiday = Holiday.objects.get(date=dt.date.fromisoformat(day))
    assert holiday.kind == kind


@pytest.mark.parametrize("year", sorted(OFFICIAL_TOTALS))
def test_each_year_has_the_official_number_of_days(year: int) -> None:
    days = Holiday.objects.filter(date__year=year)
    libur, cuti = OFFICIAL_TOTALS[year]
    assert (days.filter(kind=N).count(), days.filter(kind=CB).count()) == (libur, cuti)


def test_idulfitri_2023_days_off_run_from_19_to_25_april() -> None:
    # 19-25 Apr 2023 were all days off (Sat 22 and Sun 23 are Idulfitri itself).
    days = set(
        Holiday.objects.filter(
            date__range=(dt.date(2023, 4, 19), dt.date(2023, 4, 25))
        ).values_list("date", flat=True)
    )
    expected = {dt.date(2023, 4, d) for d in (19, 20, 21, 22, 23, 24, 25)}
    assert days == expected


def test_correction_is_idempotent_and_reversible() -> None:
    # given the corrected table
    module = _migration_0007()
    before = list(Holiday.objects.order_by("date").values_list("date", "name", "kind"))
    # when it runs again, nothing changes
    module.add_missing(django_apps, None)
    assert list(Holiday.objects.order_by("date").values_list("date", "name", "kind")) == before
    # when it is reversed, only the added day goes
    module.remove_added(django_apps, None)
    assert not Holiday.objects.filter(date=dt.date(2023, 6, 30)).exists()
    assert Holiday.objects.count() == len(before) - 1
    # and forward again restores it
    module.add_missing(django_apps, None)
    assert list(Holiday.objects.order_by("date").values_list("date", "name", "kind")) == before


def test_reverse_keeps_a_day_edited_in_the_admin() -> None:
    # given an officer renamed the added day in the admin
    Holiday.objects.filter(date=dt.date(2023, 6, 30)).update(name="Cuti bersama Iduladha 1444 H")
    # when the correction is reversed
    _migration_0007().remove_added(django_apps, None)
    # then the edited row stays
    assert Holiday.objects.filter(date=dt.date(2023, 6, 30)).exists()
