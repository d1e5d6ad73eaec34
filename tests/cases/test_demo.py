"""Demo cases: several states in Kutai Timur and Bogor, and `netral demo` stays idempotent."""

from __future__ import annotations

import pytest

from netral.cases.models import Case, Status
from netral.demo import demo_load

pytestmark = pytest.mark.django_db


def test_demo_cases_cover_several_states_and_are_idempotent() -> None:
    demo_load()
    first = Case.objects.count()
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        Status.DRAFT_PUBLIK,
        Status.KAJIAN_AWAL,
        Status.MENUNGGU_KELENGKAPAN,
        Status.KLARIFIKASI,
        Status.SELESAI,
        Status.HASIL_PENGAWASAN,
        Status.PEMANTAUAN_TINDAK_LANJUT,
        Status.DIHENTIKAN,
    } <= statuses
    assert Case.objects.filter(incident_region__code__startswith="32.01.").exists()
    demo_load()
    assert Case.objects.count() == first
