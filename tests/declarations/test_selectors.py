"""Coverage: desa, perangkat desa and ASN per agency, revoked signatures not counted."""

from __future__ import annotations

from typing import Any

import pytest

from netral.declarations import selectors, services
from netral.registry.models import Agency, Region, SubjectType
from tests.declarations.helpers import event, official, pilkada, standard

pytestmark = pytest.mark.django_db


def test_coverage_counts_each_group_and_ignores_revoked(alice: Any) -> None:
    # given two agencies with ASN, two perangkat desa and two kepala desa
    dinas = Agency.objects.create(name="Dinas Pendidikan", name_folded="dinas pendidikan")
    setda = Agency.objects.create(name="Sekretariat Daerah", name_folded="sekretariat daerah")
    guru = official(region="64.08.04", subject_type=SubjectType.PNS, name="Guru", agency=dinas)
    official(region="64.08.04", subject_type=SubjectType.PNS, name="Guru 2", agency=dinas)
    kasi = official(region="64.08", subject_type=SubjectType.PNS, name="Kasi", agency=setda)
    sekdes = official(
        region="64.08.04.2001", subject_type=SubjectType.PERANGKAT_DESA, name="Sekdes"
    )
    official(region="64.08.04.2011", subject_type=SubjectType.PERANGKAT_DESA, name="Kaur")
    kades = official(region="64.08.04.2001", name="Kades A")
    other_kades = official(region="64.08.04.2011", name="Kades B")
    ev = event()
    services.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08"),
        subject_types=["PNS", "PERANGKAT_DESA", "KEPALA_DESA"],
    )
    for person in (guru, kasi, sekdes, kades, other_kades):
        services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    services.signature_revoke(signature=kasi.pledge_signatures.get(), actor=alice, reason="Keliru")
    # when
    cov = selectors.coverage(region=Region.objects.get(code="64.08"), election_event=pilkada())
    # then
    assert cov["desa"]["total"] == 139
    assert cov["desa"]["signed"] == 2
    assert cov["perangkat_desa"] == {"total": 2, "signed": 1, "spoken": 0, "share": 0.5}
    assert cov["asn"] == {"total": 3, "signed": 1, "spoken": 0, "share": round(1 / 3, 4)}
    by_agency = {a["agency"]: (a["signed"], a["total"]) for a in cov["asn_by_agency"]}
    assert by_agency == {"Dinas Pendidikan": (1, 2), "Sekretariat Daerah": (0, 1)}
    assert [p["name"] for p in cov["not_signed"]["asn"]] == ["Kasi", "Guru 2"]
    assert cov["regions"]["64.08"]["asn"] == {"total": 1, "signed": 0, "spoken": 0, "share": 0.0}
    assert cov["regions"]["64.08.04"]["desa"]["signed"] == 2
    # a desa without a registered kepala desa is listed by name
    missing = [p for p in cov["not_signed"]["kepala_desa"] if p["official_id"] is None]
    assert len(missing) == 139 - 2


def test_coverage_of_another_election_counts_nothing(alice: Any) -> None:
    from netral.elections.models import ElectionEvent

    kades = official(region="64.08.04.2001")
    ev = event()
    services.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["KEPALA_DESA"],
    )
    services.signature_record(event=ev, template=standard(), official=kades, actor=alice)
    pemilu = ElectionEvent.objects.create(
        name="Pemilu",
        regime="PEMILU",
        campaign_start="2023-11-28",
        campaign_end="2024-02-10",
        voting_day="2024-02-14",
    )
    region = Region.objects.get(code="64.08.04")
    assert selectors.coverage(region=region, election_event=pemilu)["desa"]["signed"] == 0
    assert selectors.coverage(region=region, election_event=None)["desa"]["signed"] == 1
