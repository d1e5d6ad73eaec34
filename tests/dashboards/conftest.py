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

Cases (Pilkada; the place of incident decides the region):
  C1 laporan, 64.08.04.2001, received 2 Oct 09:00, registered 3 Oct, decided 5 Oct 10:00
     (on time: 3 calendar days from receipt end 5 Oct); terlapor P1 TERBUKTI
     [PERUU_LAINNYA] [DS06]; recommendation to BKN, SANKSI_DIJATUHKAN, sanction SEDANG
     POTONG_TUKIN_25_6BLN
  C2 temuan, 64.08.04.2011, received/registered 10 Oct, decided 20 Oct (late); terlapor K3
     TERBUKTI [PERUU_LAINNYA, PIDANA]; recommendation to the bupati, DITERUSKAN, due
     25 Oct 2024 (overdue)
  C3 laporan, 64.08.01.2001, TIDAK_DIREGISTRASI, no terlapor
  C4 laporan, 64.08.01.2002, DIREGISTRASI, due 1 Nov 2024 (overdue); terlapor typed by hand
     (PNS, "Dinas Uji"), not decided
  C5 a public draft in 64.08 (not a case yet: never counted)
  C6 laporan, 32.01.01.1001 (Bogor), registered; terlapor B1 TIDAK_TERBUKTI
     [BUKAN_PELANGGARAN]
-> alice: 4 cases, 3 registered (75.0 %), 2 of 2 decided terlapor proven (100.0 %),
   1 of 2 recommendations answered (50.0 %), 1 of 2 decisions on time (50.0 %), 2 overdue
-> dora: 5 cases, 4 registered (80.0 %), 2 of 3 proven (66.7 %)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from netral.cases.models import (
    Case,
    FollowUp,
    Origin,
    PersonFinding,
    Recipient,
    Recommendation,
    ReportedPerson,
    Sanction,
    SanctionLevel,
    SanctionType,
    Status,
)
from netral.declarations import services as decl
from netral.declarations.models import PledgeKind
from netral.elections.models import ElectionEvent, Regime
from netral.registry.models import Official, PositionCategory, Region, SubjectType
from tests.factories import OfficialFactory


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """The public page caches its aggregates; each test starts and ends with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
    _cases(pilkada, o)
    return World(pilkada=pilkada, pemilu=pemilu, officials=o)


def _at(day: int, hour: int = 9, month: int = 10) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, 0, tzinfo=timezone.get_current_timezone())


def _case(event: ElectionEvent, origin: str, status: str, region: str, **kw: Any) -> Case:
    return Case.objects.create(
        origin=origin,
        regime=event.regime,
        election_event=event,
        status=status,
        channel="KANTOR",
        handling_region_id=region[:5],
        incident_region_id=region,
        incident_place="Uji",
        title="Uji",
        description="Uji",
        event_date=dt.date(2024, 10, 1),
        known_date=dt.date(2024, 10, 1),
        **kw,
    )


def _person(
    case: Case,
    official: Official | None,
    finding: str,
    types: list[str],
    skb: list[str] | None = None,
    **kw: Any,
) -> ReportedPerson:
    return ReportedPerson.objects.create(
        case=case,
        official=official,
        name=official.name if official else "Terlapor Uji",
        subject_type=official.subject_type if official else kw.pop("subject_type"),
        finding=finding,
        violation_types=types,
        skb_codes=skb or [],
        **kw,
    )


def _cases(pilkada: ElectionEvent, o: dict[str, Official]) -> None:
    from netral.cases.models import DeadlineRule
    from tests.factories import UserFactory

    # The seeded rule (cases migration 0002); a transactional test may have flushed it.
    DeadlineRule.objects.update_or_create(
        regime="PILKADA",
        step="PENANGANAN",
        defaults={
            "amount": 3,
            "unit": "CALENDAR_DAYS",
            "anchor": "RECEIVED_AT",
            "legal_basis": "Perpu 1/2014 Ps. 134(5) jo. UU 10/2016",
            "confidence": "CONFIRMED",
        },
    )

    clerk = UserFactory(username="clerk")
    c1 = _case(
        pilkada,
        Origin.LAPORAN,
        Status.DITERUSKAN,
        "64.08.04.2001",
        received_at=_at(2),
        registered_at=_at(3, 10),
        decided_at=_at(5, 10),
    )
    p1 = _person(c1, o["P1"], PersonFinding.TERBUKTI, ["PERUU_LAINNYA"], ["DS06"])
    r1 = Recommendation.objects.create(
        case=c1,
        reported_person=p1,
        recipient=Recipient.BKN,
        recipient_name="Kepala BKN",
        letter_number="R1",
        letter_date=dt.date(2024, 10, 6),
        status=FollowUp.SANKSI_DIJATUHKAN,
    )
    Sanction.objects.create(
        recommendation=r1,
        reported_person=p1,
        level=SanctionLevel.SEDANG,
        type=SanctionType.POTONG_TUKIN_25_6BLN,
        decree_number="SK-1",
        decree_date=dt.date(2024, 11, 1),
        imposed_by="Bupati",
        recorded_by=clerk,
    )
    c2 = _case(
        pilkada,
        Origin.TEMUAN,
        Status.DITERUSKAN,
        "64.08.04.2011",
        received_at=_at(10),
        registered_at=_at(10, 10),
        decided_at=_at(20),
    )
    p2 = _person(c2, o["K3"], PersonFinding.TERBUKTI, ["PERUU_LAINNYA", "PIDANA"])
    Recommendation.objects.create(
        case=c2,
        reported_person=p2,
        recipient=Recipient.BUPATI_WALIKOTA,
        recipient_name="Bupati",
        letter_number="R2",
        letter_date=dt.date(2024, 10, 21),
        status=FollowUp.DITERUSKAN,
        due_at=_at(25),
    )
    _case(pilkada, Origin.LAPORAN, Status.TIDAK_DIREGISTRASI, "64.08.01.2001", received_at=_at(11))
    c4 = _case(
        pilkada,
        Origin.LAPORAN,
        Status.DIREGISTRASI,
        "64.08.01.2002",
        received_at=_at(12),
        registered_at=_at(13),
        due_at=_at(1, month=11),
    )
    _person(c4, None, PersonFinding.BELUM_DIPUTUS, [], subject_type="PNS", agency_name="Dinas Uji")
    _case(pilkada, Origin.LAPORAN, Status.DRAFT_PUBLIK, "64.08.04.2001")
    c6 = _case(
        pilkada,
        Origin.LAPORAN,
        Status.DIPUTUS,
        "32.01.01.1001",
        received_at=_at(14),
        registered_at=_at(15),
    )
    _person(c6, o["B1"], PersonFinding.TIDAK_TERBUKTI, ["BUKAN_PELANGGARAN"])
