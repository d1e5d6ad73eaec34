"""Issue 12, sanctions and data-driven authorities (points 13-15)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from netral.accounts.models import User
from netral.cases.forms import SanctionForm
from netral.cases.models import PersonFinding, Recipient, RecipientProfile
from netral.cases.sanction_rules import suggested_level
from netral.cases.selectors import recipients_for
from netral.cases.services import PersonData, reported_person_decide, sanction_record
from netral.core.errors import ApplicationError
from tests.cases.conftest import file_report
from tests.cases.test_legal_letters import decided, forward
from tests.cases.test_workflow import register
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def sanction(rec: Any, person: Any, actor: User, level: str, type: str) -> Any:
    return sanction_record(
        recommendation=rec,
        actor=actor,
        reported_person=person,
        level=level,
        type=type,
        decree_number="800/1/2024",
        decree_date=timezone.localdate(),
        imposed_by="Pejabat Pembina Kepegawaian",
    )


def test_point_13_inconsistent_sanctions_and_skb_codes_are_refused(panwascam: User) -> None:
    # SKB codes only on ASN subjects: the default reported person is a kepala desa
    case = register(file_report().case, panwascam)
    from netral.cases.models import Status
    from netral.cases.workflow import case_transition

    case = case_transition(case=case, to=Status.GAKKUMDU_PEMBAHASAN, actor=panwascam, note="x")
    case = case_transition(case=case, to=Status.KAJIAN, actor=panwascam)
    with pytest.raises(ApplicationError, match="ASN"):
        reported_person_decide(
            person=case.reported_persons.get(),
            actor=panwascam,
            finding=PersonFinding.TERBUKTI,
            violation_types=["PERUU_LAINNYA"],
            skb_codes=["DS02"],
            articles=[],
            reasoning="",
        )
    # a PNS forwarded to BKN
    asn = decided(panwascam, kinds=["PERUU_LAINNYA"])
    person = asn.reported_persons.get()
    rec = forward(asn, panwascam, Recipient.BKN, "1/2024")
    with pytest.raises(ApplicationError, match="tidak berlaku"):
        sanction(rec, person, panwascam, "RINGAN", "DESA_TEGURAN_TERTULIS")  # UU Desa on a PNS
    with pytest.raises(ApplicationError, match="tidak sesuai"):
        sanction(rec, person, panwascam, "RINGAN", "PTDH")  # PTDH is never ringan
    gakkumdu = forward(asn, panwascam, Recipient.SENTRA_GAKKUMDU, "2/2024")
    with pytest.raises(ApplicationError, match="tidak dijatuhkan"):
        sanction(gakkumdu, person, panwascam, "BERAT", "PTDH")  # a court does not dismiss
    other = asn.reported_persons.create(name="Orang Lain", subject_type="PNS")
    with pytest.raises(ApplicationError, match="tidak termasuk"):
        sanction(rec, other, panwascam, "BERAT", "PTDH")  # not covered by this letter
    assert sanction(rec, person, panwascam, "BERAT", "PTDH").type == "PTDH"


def test_point_14_target_status_is_settable_and_the_level_is_suggested_not_decided(
    panwascam: User,
) -> None:
    from netral.cases.models import Status
    from netral.cases.workflow import case_transition
    from tests.cases.test_legal_letters import civil_servant

    case = register(file_report(persons=civil_servant()).case, panwascam)
    case = case_transition(case=case, to=Status.GAKKUMDU_PEMBAHASAN, actor=panwascam, note="x")
    case = case_transition(case=case, to=Status.KAJIAN, actor=panwascam)
    person = case.reported_persons.get()
    reported_person_decide(
        person=person,
        actor=panwascam,
        finding=PersonFinding.TERBUKTI,
        violation_types=["PERUU_LAINNYA"],
        skb_codes=["DS02"],  # BERAT, worded for a "calon"
        articles=[],
        reasoning="",
    )
    person.refresh_from_db()
    assert suggested_level(person) == ("BERAT", [])
    reported_person_decide(
        person=person,
        actor=panwascam,
        finding=PersonFinding.TERBUKTI,
        violation_types=["PERUU_LAINNYA"],
        skb_codes=["DS02", "DS03"],
        articles=[],
        reasoning="",
        target_status="BAKAL_CALON",
    )
    person.refresh_from_db()
    assert person.target_status == "BAKAL_CALON"
    level, mismatched = suggested_level(person)
    assert level == "BERAT"
    assert mismatched == ["DS02"]  # DS02's row is for a calon; the officer decides
    page = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="skb-suggestion"' in page
    assert "Berat" in page


def test_point_15_unconfirmed_authorities_are_data_and_pppk_choices_are_marked(
    panwascam: User,
) -> None:
    labels = dict(SanctionForm().fields["type"].choices)  # type: ignore[attr-defined]
    assert "belum terkonfirmasi" in str(labels["PPPK_TURUN_GOLONGAN_1TH"])
    assert "belum terkonfirmasi" not in str(labels["PPPK_PHPK_HORMAT"])
    case = register(
        file_report(
            persons=[PersonData(name="Serda Budi", subject_type="TNI", position="Babinsa")]
        ).case,
        panwascam,
    )
    person = case.reported_persons.get()
    person.violation_types = ["PERUU_LAINNYA"]
    assert recipients_for(person) == [Recipient.PANGLIMA_TNI]
    # an administrator changes the TNI authority: no code change
    RecipientProfile.objects.filter(recipient=Recipient.PANGLIMA_TNI).update(subject_types=[])
    RecipientProfile.objects.filter(recipient=Recipient.KAPOLRI_PROPAM).update(
        subject_types=["POLRI", "TNI"]
    )
    assert recipients_for(person) == [Recipient.KAPOLRI_PROPAM]


def test_point_08_the_regime_follows_the_election_and_an_officer_corrects_it_audited(
    panwascam: User,
) -> None:
    import datetime as dt

    from netral.audit.models import AuditEntry
    from netral.cases.forms import EventForm
    from netral.cases.models import CaseEvent
    from netral.cases.services import case_regime_correct
    from netral.elections.models import ElectionEvent

    # never silently defaulted: no regime and no election is an error on the form
    form = EventForm(data={"title": "x", "incident_place": "x", "description": "x"})
    assert form.fields["regime"].initial is None
    assert not form.is_valid()
    assert "regime" in form.errors
    pemilu = ElectionEvent.objects.create(
        regime="PEMILU",
        name="Pemilu 2024",
        campaign_start=dt.date(2023, 11, 28),
        campaign_end=dt.date(2024, 2, 10),
        voting_day=dt.date(2024, 2, 14),
    )
    # the election decides the regime, whatever the radio said
    filed = file_report(regime="PILKADA", election_event=pemilu)
    assert filed.case.regime == "PEMILU"
    # an officer corrects a case's regime: audited, clocks recomputed
    case = register(file_report().case, panwascam)
    assert case.due_step == "PENANGANAN"
    pilkada_due = case.due_at
    with pytest.raises(ApplicationError):
        case_regime_correct(case=case, actor=panwascam, regime="PEMILU", note="")
    case = case_regime_correct(
        case=case, actor=panwascam, election_event=pemilu, note="Peristiwa dalam Pemilu 2024"
    )
    assert case.regime == "PEMILU"
    assert case.election_event_id == pemilu.pk
    assert case.due_at != pilkada_due  # 7 hari kerja from registration (UU 7/2017 Ps. 454(7))
    assert AuditEntry.objects.filter(action="case.regime_correct").count() == 1
    assert case.events.filter(type=CaseEvent.Type.REGIME_CORRECTED).count() == 1


def test_point_16_every_standard_pledge_text_names_its_source(panwascam: User) -> None:
    from netral.declarations.models import PledgeTemplate

    national = PledgeTemplate.objects.filter(region__isnull=True, is_standard=True)
    assert national.count() == 3
    for text in national:
        if text.slug == "deklarasi-pemilu-damai":
            assert text.is_example  # no source: an example to adapt
        else:
            assert text.source
            assert not text.is_example
    damai = national.get(title__startswith="Deklarasi Pemilihan Damai")
    page = (
        client_for(panwascam)
        .get(reverse("declarations:template_detail", args=[damai.pk]))
        .content.decode()
    )
    assert 'data-testid="pledge-example"' in page
    listing = client_for(panwascam).get(reverse("declarations:template_list")).content.decode()
    assert listing.count('data-testid="pledge-example"') == 1


def test_point_15_a_campaign_only_article_outside_the_campaign_is_flagged(
    panwascam: User,
) -> None:
    import datetime as dt

    from netral.elections.models import ElectionEvent

    pemilu = ElectionEvent.objects.create(
        regime="PEMILU",
        name="Pemilu 2024",
        campaign_start=dt.date(2023, 11, 28),
        campaign_end=dt.date(2024, 2, 10),
        voting_day=dt.date(2024, 2, 14),
    )
    case = file_report(election_event=pemilu).case  # the event is after the campaign
    case.reported_persons.update(articles=["UU 7/2017 Ps. 282", "UU 6/2014 Ps. 29"])
    page = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="campaign-warning"' in page
    assert "UU 7/2017 Ps. 282" in page
    assert "Pasca pemungutan" in page
    case.reported_persons.update(articles=["UU 6/2014 Ps. 29"])
    page = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="campaign-warning"' not in page
