"""Issue 12 point 7, pages outside a case: a time that belongs to a place is shown in that
place's zone (a capture or a takedown letter: its unit; a pledge signature: its event's region;
an audit entry: its region), and a time that belongs to no place in the viewer's own unit's
zone (UnitZoneMiddleware); anonymous and national viewers (Bawaslu RI, Jakarta) see WIB.

One moment throughout: 16:30 UTC on 8 November 2024, which is 23:30 WIB on the 8th but already
00:30 WITA (Kutai Timur, province 64) and 01:30 WIT (Kabupaten Jayapura, province 91) on the 9th.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netral.accounts.models import Role, User
from netral.audit.services import audit_record
from netral.patrol.models import Capture, CaptureMethod, CaptureStatus
from netral.registry.models import Region
from tests.conftest import client_for
from tests.factories import OfficialFactory, UserFactory

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2024, 11, 8, 16, 30, tzinfo=dt.UTC)


@pytest.fixture
def kutim() -> User:
    return UserFactory(username="siti", role=Role.BAWASLU_KABKOTA, region="64.08")


@pytest.fixture
def papua() -> User:
    from tests.cases.test_legal_clocks import _papua_unit

    _papua_unit()  # Kabupaten Jayapura (91.03) and a desa under it
    return UserFactory(username="yosua", role=Role.BAWASLU_KABKOTA, region="91.03")


@pytest.fixture
def national() -> User:
    return UserFactory(username="dora", role=Role.BAWASLU_RI, region=None)


def _capture(user: User, region: str) -> Capture:
    return Capture.objects.create(
        unit_region=Region.objects.get(code=region),
        method=CaptureMethod.PERAMBAN,
        status=CaptureStatus.SELESAI,
        url="https://www.facebook.com/budi/posts/1",
        captured_at=MOMENT,
        seen_at=MOMENT,
        requested_by=user,
    )


def test_the_zone_of_a_province_code() -> None:
    from netral.core.zones import WIB, WIT, WITA, zone_for_code

    assert zone_for_code("64.08") is WITA  # Kutai Timur
    assert zone_for_code("91.03") is WIT  # Kabupaten Jayapura
    assert zone_for_code("94.01") is WIT  # Papua (new provinces keep 9x)
    assert zone_for_code("31.71") is WIB
    assert zone_for_code(None) is WIB  # Bawaslu RI


def test_the_viewers_zone_is_their_units(kutim: User, papua: User, national: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    from netral.core.zones import WIB, WIT, WITA, viewer_zone

    assert viewer_zone(kutim) is WITA
    assert viewer_zone(papua) is WIT
    assert viewer_zone(national) is WIB
    assert viewer_zone(AnonymousUser()) is WIB
    assert viewer_zone(None) is WIB


def test_a_kutai_timur_capture_shows_wita_to_every_viewer(kutim: User, national: User) -> None:
    capture = _capture(kutim, "64.08")
    url = reverse("patrol:capture", args=[capture.pk])
    for viewer in (kutim, national):
        page = client_for(viewer).get(url).content.decode()
        assert "09-11-2024 00:30:00 WITA" in page, viewer.username
        assert "WIB" not in page, viewer.username
    page = client_for(kutim).get(reverse("patrol:captures")).content.decode()
    wita = ZoneInfo("Asia/Makassar")
    assert f"{capture.created_at.astimezone(wita):%d-%m-%Y %H:%M} WITA" in page
    # the public verification page (anonymous): the capture's zone as well
    page = Client().get(reverse("patrol:verify", args=[capture.code])).content.decode()
    assert "09-11-2024 00:30 WITA" in page


def test_a_papua_capture_shows_wit_across_midnight(papua: User, national: User) -> None:
    capture = _capture(papua, "91.03")
    for viewer in (papua, national):
        page = client_for(viewer).get(reverse("patrol:capture", args=[capture.pk]))
        text = page.content.decode()
        assert "09-11-2024 01:30:00 WIT" in text, viewer.username
        assert "08-11-2024" not in text, viewer.username


def test_the_takedown_letter_prints_its_units_zone(kutim: User) -> None:
    from pypdf import PdfReader

    from netral.patrol.letters import letter_pdf
    from netral.patrol.models import TakedownLetter, TakedownRecipient

    capture = _capture(kutim, "64.08")
    with time_machine.travel(MOMENT, tick=False):
        letter = TakedownLetter.objects.create(
            unit_region=Region.objects.get(code="64.08"),
            year=2024,
            sequence=1,
            number="001/PP/2024",
            unit_name="Bawaslu Kabupaten Kutai Timur",
            recipient=TakedownRecipient.choices[0][0],
            recipient_name="Meta",
            created_by=kutim,
        )
    # rendered while a Jayapura viewer's zone is active: the letter keeps its own
    with timezone.override(ZoneInfo("Asia/Jayapura")):
        pdf = letter_pdf(letter=letter, captures=[capture], verify_url=lambda code: code)
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "09-11-2024 00:30 WITA" in text
    assert "09 November 2024" in text


def _audit(region: str | None) -> None:
    official = OfficialFactory(region_id=region or "32.01")
    with time_machine.travel(MOMENT, tick=False), transaction.atomic():
        audit_record(obj=official, action=f"test.{region}", actor=None, region_code=region)


def test_audit_entries_show_their_regions_zone_else_the_viewers(
    national: User, kutim: User, papua: User
) -> None:
    _audit("64.08")
    _audit("91.03")
    _audit(None)
    page = client_for(national).get(reverse("audit:recent")).content.decode()
    assert "9 Nov 2024 00:30:00 WITA" in page
    assert "9 Nov 2024 01:30:00 WIT" in page
    assert "8 Nov 2024 23:30:00 WIB" in page  # no region: the national viewer's WIB
    # a Kutai Timur viewer sees their own entries in WITA
    page = client_for(kutim).get(reverse("audit:recent")).content.decode()
    assert "9 Nov 2024 00:30:00 WITA" in page
    assert "WIB" not in page


def test_times_of_no_place_are_in_the_viewers_zone(papua: User, national: User) -> None:
    from netral.accounts.models import ApiToken

    for user in (papua, national):
        ApiToken.objects.create(
            user=user,
            name="laporan",
            prefix=f"nt_{user.pk:05d}",
            token_hash=f"{user.pk:064d}",
            permissions=["VIEW"],
            expires_at=MOMENT + dt.timedelta(days=30),
            last_used_at=MOMENT,
        )
    page = client_for(papua).get(reverse("accounts:account")).content.decode()
    assert "2024-11-09 01:30 WIT" in page
    page = client_for(national).get(reverse("accounts:account")).content.decode()
    assert "2024-11-08 23:30 WIB" in page


def test_a_papua_pledge_signature_is_shown_in_wit(papua: User, national: User) -> None:
    from netral.declarations import services
    from tests.declarations import helpers

    event = helpers.event(region="91.03", actor=papua)
    person = helpers.official(region="91.03.01.2001")
    from netral.declarations.models import EventParticipant

    EventParticipant.objects.create(event=event, official=person)
    signature = services.signature_record(
        event=event, template=helpers.standard(), official=person, actor=papua, signed_at=MOMENT
    )
    page = Client().get(reverse("declarations:verify", args=[signature.code])).content.decode()
    assert "2024-11-09 01:30:00 WIT" in page
    # on the official's page, in a national viewer's request (WIB): still the event's WIT
    url = reverse("registry:official_detail", args=[person.pk])
    page = client_for(national).get(url).content.decode()
    assert "2024-11-09 01:30 WIT" in page


def test_the_zone_does_not_outlive_the_request(papua: User) -> Any:
    client_for(papua).get(reverse("accounts:account"))
    assert timezone.get_current_timezone_name() == "Asia/Jakarta"


def test_a_case_document_prints_the_units_local_time_whoever_asks(kutim: User) -> None:
    """A Kutai Timur report filed at 00:30 WITA on the 9th: its report form says so, also
    when rendered in a request with another zone active (`|date` shows the active zone)."""
    from pypdf import PdfReader

    from netral.cases.documents import _read, document_generate
    from netral.cases.models import DeadlineRule, DocumentKind
    from netral.cases.services import case_receive
    from tests.cases.conftest import file_report, seed_deadline_rules

    if not DeadlineRule.objects.exists():
        seed_deadline_rules()
    receiver = UserFactory(username="rina", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
    with time_machine.travel(MOMENT, tick=False):
        case = file_report(event_date=dt.date(2024, 11, 6), known_date=dt.date(2024, 11, 7)).case
        case = case_receive(case=case, actor=receiver)
    assert case.handling_region_id == "64.08.04"
    with timezone.override(ZoneInfo("Asia/Jayapura")):
        doc = document_generate(case=case, kind=DocumentKind.REPORT_FORM, actor=receiver)
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(_read(doc))).pages).split()
    )
    assert "9 November 2024 pukul 00:30 WITA" in text


def test_a_report_just_after_local_midnight_may_say_it_became_known_today() -> None:
    """00:30 WITA on 9 November in Kutai Timur is still the 8th in Jakarta: the 9th is today
    where it happened, not a day in the future."""
    from netral.cases.models import DeadlineRule
    from tests.cases.conftest import file_report, seed_deadline_rules

    if not DeadlineRule.objects.exists():
        seed_deadline_rules()
    with time_machine.travel(MOMENT, tick=False):
        filed = file_report(event_date=dt.date(2024, 11, 9), known_date=dt.date(2024, 11, 9))
    assert filed.case.known_date == dt.date(2024, 11, 9)


def test_the_zone_filters() -> None:
    from django.template import engines

    template = engines["django"].from_string(
        '{% load zones %}{{ m|zoned }} | {{ m|zoned:"91.03" }} | '
        '{{ m|in_zone:"64.08"|date:"H:i T" }}'
    )
    with timezone.override(ZoneInfo("Asia/Jakarta")):  # a national or anonymous viewer
        assert (
            template.render({"m": MOMENT})
            == "08-11-2024 23:30 WIB | 09-11-2024 01:30 WIT | 00:30 WITA"
        )
    with timezone.override(ZoneInfo("Asia/Makassar")):  # a Kutai Timur viewer
        assert template.render({"m": MOMENT}).startswith("09-11-2024 00:30 WITA |")


def test_a_time_typed_on_a_case_page_is_the_handling_units(national: User) -> None:
    """A national officer in Jakarta schedules a clarification of a Kutai Timur case at
    10:00: 10:00 WITA, as the case page and the invitation print it."""
    from netral.cases.models import Case, ClarificationSession, DeadlineRule, Status
    from netral.cases.services import case_receive
    from tests.cases.conftest import file_report, seed_deadline_rules

    if not DeadlineRule.objects.exists():
        seed_deadline_rules()
    receiver = UserFactory(username="rina", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
    with time_machine.travel(MOMENT, tick=False):
        case = file_report(event_date=dt.date(2024, 11, 6), known_date=dt.date(2024, 11, 7)).case
        case = case_receive(case=case, actor=receiver)
    Case.objects.filter(pk=case.pk).update(status=Status.DIREGISTRASI)
    client = client_for(national)
    with time_machine.travel(MOMENT, tick=False):
        client.post(
            reverse("cases:action", args=[case.pk, "clarification"]),
            {
                "party": "PELAPOR",
                "party_name": "Rina",
                "scheduled_at": "2024-11-20T10:00",
                "mode": "TATAP_MUKA",
                "location": "Kantor Bawaslu Kutai Timur",
            },
        )
    session = ClarificationSession.objects.get(case=case)
    assert session.scheduled_at == dt.datetime(2024, 11, 20, 2, 0, tzinfo=dt.UTC)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "20-11-2024 10:00 WITA" in page
