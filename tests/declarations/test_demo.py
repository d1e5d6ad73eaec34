"""The demo covers each kind of event of issue 4, is idempotent, and the first event
reaches "139 of 139 desa"."""

from __future__ import annotations

import pytest

from netral.declarations import selectors, signing
from netral.declarations.models import Event, Signature
from netral.demo import demo_load
from netral.elections.models import ElectionEvent
from netral.registry.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_builds_every_kind_of_event_once() -> None:
    demo_load()
    counts = (Event.objects.count(), Signature.objects.count())
    demo_load()
    assert (Event.objects.count(), Signature.objects.count()) == counts
    assert counts[0] == 5
    kinds = [set(e.kinds) for e in Event.objects.all()]
    assert {"SOSIALISASI", "DEKLARASI"} in kinds
    assert {"RAKOR", "DEKLARASI"} in kinds
    assert {"APEL", "DEKLARASI"} in kinds
    assert {"DEKLARASI"} in kinds
    apel = Event.objects.get(is_apel=True)
    assert apel.signatures.filter(method="INSTITUTIONAL").count() == 8
    two_texts = Event.objects.get(region_id="64.08.04")
    assert two_texts.pledges.count() == 2
    assert two_texts.witnesses
    # coverage: all 139 desa of Kutai Timur signed the fakta integritas
    cov = selectors.coverage(
        region=Region.objects.get(code="64.08"),
        election_event=ElectionEvent.objects.get(name="Pilkada Serentak 2024"),
    )
    assert (cov["desa"]["signed"], cov["desa"]["total"]) == (139, 139)
    assert cov["not_signed"]["kepala_desa"] == []
    sample = Signature.objects.order_by("?").first()
    assert sample is not None
    assert signing.verification_status(sample) == signing.VerificationStatus.VALID


def test_the_demo_shows_issue_13() -> None:
    """Real signing dates, a batch sheet per kecamatan, a spoken pledge, a joint
    declaration, event facts and speaker rows, and a text written from scratch."""
    import datetime as dt

    from netral.declarations.models import JointDeclaration, PledgeTemplate, SpokenPledge

    demo_load()
    assert not Signature.objects.filter(signed_at__gte=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    kutim = Event.objects.get(is_sosialisasi=True, region_id="64.08")
    assert kutim.villages_represented == 139
    assert kutim.opened_by
    assert kutim.speakers.exclude(position="").count() == 4
    sheets = kutim.documents.filter(kind="SIGNED_SHEET")
    assert sheets.count() > 1  # one per kecamatan
    assert not kutim.signatures.filter(evidence__isnull=True).exists()
    rakor = Event.objects.get(is_rakor=True)
    spoken = SpokenPledge.objects.get(event=rakor)
    assert spoken.present_count == rakor.participants.count() > 0
    assert spoken.evidence.count() == 2
    apel = Event.objects.get(is_apel=True)
    joint = JointDeclaration.objects.get(event=apel)
    assert len(joint.record["signatories"]) == 8
    assert signing.joint_status(joint) == signing.VerificationStatus.VALID
    fakta = PledgeTemplate.objects.get(title__startswith="Fakta Integritas Netralitas Kepala Desa")
    assert fakta.kind == "PAKTA_INTEGRITAS"
    assert fakta.subject_types == ["KEPALA_DESA"]
    written = PledgeTemplate.objects.get(title__startswith="Pakta Integritas Netralitas Perangkat")
    assert written.copied_from is None
    assert written.election_event is not None
