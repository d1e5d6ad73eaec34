"""The official's profile shows their cases and sanctions (cases/_official_cases.html)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netral.cases.models import PersonFinding, Recipient, Status
from netral.cases.services import (
    PersonData,
    case_decide,
    recommendation_create,
    reported_person_decide,
    sanction_record,
)
from netral.cases.workflow import case_transition
from tests.cases.conftest import DESA, file_report
from tests.cases.test_workflow import register
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def test_profile_lists_cases_and_sanctions_in_scope(
    panwascam: Any, alice_client: Client, charlie_client: Client
) -> None:
    official = OfficialFactory(name="Budi Santoso", subject_type="KEPALA_DESA", region_id=DESA)
    case = register(file_report(persons=[PersonData(official_id=official.pk)]).case, panwascam)
    case = case_transition(case=case, to=Status.GAKKUMDU_PEMBAHASAN, actor=panwascam, note="x")
    case = case_transition(case=case, to=Status.KAJIAN, actor=panwascam)
    person = case.reported_persons.get()
    reported_person_decide(
        person=person,
        actor=panwascam,
        finding=PersonFinding.TERBUKTI,
        violation_types=["PERUU_LAINNYA"],
        skb_codes=[],
        articles=["UU 6/2014 Ps. 29"],
        reasoning="",
    )
    case = case_decide(case=case, actor=panwascam)
    rec = recommendation_create(
        case=case,
        actor=panwascam,
        reported_person=person,
        recipient=Recipient.BUPATI_WALIKOTA,
        recipient_name="Bupati",
        letter_number="9/2024",
        letter_date=timezone.localdate(),
    )
    sanction_record(
        recommendation=rec,
        actor=panwascam,
        reported_person=person,
        level="RINGAN",
        type="DESA_TEGURAN_TERTULIS",
        decree_number="SK-77/2024",
        decree_date=timezone.localdate(),
        imposed_by="Bupati",
    )
    url = reverse("registry:official_detail", args=[official.pk])
    body = alice_client.get(url).content.decode()
    assert "Perkara dan sanksi" in body
    assert case.registration_number in body
    assert "SK-77/2024" in body
    # charlie (another regency) cannot open this profile at all
    assert charlie_client.get(url).status_code == 404


def test_a_case_against_an_official_who_signed_a_pledge_shows_the_pledge(
    panwascam: Any, alice: Any
) -> None:
    from netral.declarations import services as declarations
    from netral.registry.models import Region
    from tests.cases.conftest import client_for_user
    from tests.declarations.helpers import event, official, standard

    kades = official(region=DESA, name="Kades Berikrar")
    # at the kecamatan, so the Panwaslu Kecamatan may see the event (issue 14 §16)
    ev = event(region="64.08.04")
    declarations.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["KEPALA_DESA"],
    )
    declarations.signature_record(event=ev, template=standard(), official=kades, actor=alice)
    case = file_report(persons=[PersonData(official_id=kades.pk)]).case
    body = client_for_user(panwascam).get(reverse("cases:detail", args=[case.pk])).content
    text = body.decode()
    assert "Ikrar netralitas yang ditandatangani terlapor" in text
    from django.utils.html import escape

    assert escape(str(kades.pledge_signatures.get())) in text


def test_a_case_page_shows_only_pledges_from_events_the_viewer_may_see(
    panwascam: Any, alice: Any, charlie: Any, alice_client: Client
) -> None:
    """Issue 14 §16: a pledge signed at a Bogor event names that event, its title and date;
    an officer of Kutai Timur handling a case against the signer must not see it, neither on
    the case page nor on the official's profile; the Kutai Timur pledge stays visible."""
    from django.utils.html import escape

    from netral.declarations import services as declarations
    from netral.declarations.models import EventParticipant
    from tests.cases.conftest import client_for_user
    from tests.declarations.helpers import event, official, standard

    kades = official(region=DESA, name="Kades Dua Ikrar")
    home = event(region="64.08.04", title="Deklarasi Kutai Timur")
    damai = standard("deklarasi-pemilu-damai")
    away = event(region="32.01", title="Sosialisasi Rahasia Bogor", actor=charlie, pledges=[damai])
    for ev, actor, text in ((home, alice, standard()), (away, charlie, damai)):
        EventParticipant.objects.create(event=ev, official=kades)
        declarations.signature_record(event=ev, template=text, official=kades, actor=actor)
    case = file_report(persons=[PersonData(official_id=kades.pk)]).case

    for client, url in (
        (client_for_user(panwascam), reverse("cases:detail", args=[case.pk])),
        (alice_client, reverse("registry:official_detail", args=[kades.pk])),
    ):
        text = client.get(url).content.decode()
        assert escape(standard().title) in text, url
        assert escape(damai.title) not in text, url
        assert "Sosialisasi Rahasia Bogor" not in text, url
