"""A small, hand-counted world for the dashboard tests.

Kab. Kutai Timur (64.08):
  Kec. Muara Ancalong (64.08.01): 2 kepala desa (K1 signs; K2's signature is revoked)
  Kec. Sangatta Utara (64.08.04): 2 PNS (fungsional) and 1 kepala desa (P1 and K3 sign)
  the regency itself (64.08):     1 PNS (JPT), does not sign
  plus 1 inactive PNS in 64.08.04 (never counted)
  -> 6 officials, 3 pledged (50.0 %); 64.08.01: 2/1 (50.0 %); 64.08.04: 3/2 (66.7 %)
Kab. Bogor (32.01): 4 PNS in Kec. Cibinong (32.01.01), 1 signs (25.0 %)
National: 10 officials, 4 pledged (40.0 %); Kalimantan Timur 6, Jawa Barat 4.
All signatures belong to Pilkada 2024 events and are dated in October 2024, except
Bogor's, dated in September 2024.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from netral.declarations import services as decl
from netral.declarations.models import PledgeKind
from netral.elections.models import ElectionEvent, Regime
from netral.registry.models import Official, PositionCategory, Region, SubjectType
from tests.factories import OfficialFactory


@dataclass
class World:
    pilkada: ElectionEvent
    pemilu: ElectionEvent
    officials: dict[str, Official]


def _official(
    key: str, region: str, subject_type: str, category: str = "", active: bool = True
) -> Official:
    official: Official = OfficialFactory(
        name=f"Pejabat {key}",
        region_id=region,
        subject_type=subject_type,
        position_category=category,
        is_active=active,
    )
    return official


def _sign(event: Any, template: Any, official: Official, day: dt.date) -> Any:
    decl.event_participant_rule_set(
        event=event,
        actor=None,
        region=Region.objects.get(code=official.region_id),
        subject_types=[official.subject_type],
    )
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    return decl.signature_record(
        event=event, template=template, official=official, actor=None, signed_at=at
    )


@pytest.fixture
def world(db: Any) -> World:
    pilkada = ElectionEvent.objects.create(
        regime=Regime.PILKADA,
        name="Pilkada Uji 2024",
        campaign_start=dt.date(2024, 9, 25),
        campaign_end=dt.date(2024, 11, 23),
        voting_day=dt.date(2024, 11, 27),
    )
    pemilu = ElectionEvent.objects.create(
        regime=Regime.PEMILU,
        name="Pemilu Uji 2024",
        campaign_start=dt.date(2023, 11, 28),
        campaign_end=dt.date(2024, 2, 10),
        voting_day=dt.date(2024, 2, 14),
    )
    o = {
        "K1": _official("K1", "64.08.01.2001", SubjectType.KEPALA_DESA),
        "K2": _official("K2", "64.08.01.2002", SubjectType.KEPALA_DESA),
        "P1": _official("P1", "64.08.04.2001", SubjectType.PNS, PositionCategory.FUNGSIONAL),
        "P2": _official("P2", "64.08.04.2001", SubjectType.PNS, PositionCategory.FUNGSIONAL),
        "K3": _official("K3", "64.08.04.2011", SubjectType.KEPALA_DESA),
        "J1": _official("J1", "64.08", SubjectType.PNS, PositionCategory.JPT),
        "X1": _official("X1", "64.08.04.2001", SubjectType.PNS, active=False),
    }
    for i in range(1, 5):
        o[f"B{i}"] = _official(
            f"B{i}", "32.01.01.1001", SubjectType.PNS, PositionCategory.PELAKSANA
        )
    template = decl.pledge_template_create(
        actor=None,
        kind=PledgeKind.choices[0][0],
        title="Ikrar uji",
        points=["Netral."],
        region=None,
    )
    kutim = decl.event_create(
        actor=None,
        title="Deklarasi netralitas Kutai Timur",
        kinds=["DEKLARASI"],
        date=dt.date(2024, 10, 1),
        region=Region.objects.get(code="64.08"),
        organiser="Bawaslu Kutai Timur",
        election_event=pilkada,
        pledges=[template],
    )
    bogor = decl.event_create(
        actor=None,
        title="Deklarasi netralitas Bogor",
        kinds=["DEKLARASI"],
        date=dt.date(2024, 9, 20),
        region=Region.objects.get(code="32.01"),
        organiser="Bawaslu Bogor",
        election_event=pilkada,
        pledges=[template],
    )
    october = dt.date(2024, 10, 1)
    _sign(kutim, template, o["K1"], october)
    revoked = _sign(kutim, template, o["K2"], october)
    decl.signature_revoke(signature=revoked, actor=None, reason="salah orang")
    _sign(kutim, template, o["P1"], october)
    _sign(kutim, template, o["K3"], october)
    _sign(bogor, template, o["B1"], dt.date(2024, 9, 20))
    return World(pilkada=pilkada, pemilu=pemilu, officials=o)
