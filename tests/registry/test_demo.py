from __future__ import annotations

import pytest

from netral.demo import DEMO_REGENCIES, demo_load
from netral.registry.models import Official, SubjectType
from netral.registry.selectors import region_subtree_q
from tests.registry.helpers import db_state

pytestmark = pytest.mark.django_db


def test_the_demo_has_officials_of_every_type_in_every_demo_regency_once() -> None:
    demo_load()
    state = db_state()

    demo_load()  # a second run changes nothing

    assert db_state() == state
    for regency in DEMO_REGENCIES:
        types = set(
            Official.objects.filter(region_subtree_q(regency)).values_list(
                "subject_type", flat=True
            )
        )
        assert {
            SubjectType.PNS,
            SubjectType.PPPK,
            SubjectType.KEPALA_DESA,
            SubjectType.PERANGKAT_DESA,
            SubjectType.TNI,
            SubjectType.POLRI,
        } <= types, regency
