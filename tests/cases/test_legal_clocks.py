"""Issue 12, clocks (points 1-7): regime-true statutory clocks, DOMAIN §5.7 and §8.2.

Each test is named after the point it proves and fails on the code before issue 12."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from netral.accounts.models import Role, User
from netral.audit.models import AuditEntry
from netral.cases.deadlines import case_deadlines, persons_missing_polri_forwarding
from netral.cases.models import (
    Case,
    DeadlineRule,
    DeadlineStep,
    PersonFinding,
    Recipient,
    Status,
)
from netral.cases.services import (
    case_decide,
    case_forward,
    case_intake_finding,
    case_kajian_awal_record,
    case_receive,
    case_register,
    completion_notice_record,
    recommendation_create,
    reported_person_decide,
)
from netral.cases.workflow import InvalidTransition, case_transition
from netral.core.errors import ApplicationError
from netral.monitoring.services import deadlines_watch
from netral.registry.models import Region, RegionLevel
from tests.cases.conftest import case_data, file_report, reporter_data
from tests.cases.test_workflow import ALL_MET, MATERIAL, register
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")
UTC = dt.UTC


def end_of(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=tz)


def at(y: int, m: int, d: int, h: int, mi: int = 0, tz: Any = UTC) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=tz)


def lengkapi(case: Case, actor: User, **extra: Any) -> Case:
    return case_kajian_awal_record(
        case=case,
        actor=actor,
        formal={**ALL_MET, "IDENTITAS_PELAPOR": False},
        material=MATERIAL,
        result="LENGKAPI",
        message="Lampirkan fotokopi KTP.",
        **extra,
    )


def decide(case: Case, actor: User, kinds: list[str]) -> Case:
    case = case_transition(case=case, to=Status.GAKKUMDU_PEMBAHASAN, actor=actor, note="x")
    case = case_transition(case=case, to=Status.KAJIAN, actor=actor)
    reported_person_decide(
        person=case.reported_persons.get(),
        actor=actor,
        finding=PersonFinding.TERBUKTI,
        violation_types=kinds,
        skb_codes=[],
        articles=["UU 10/2016 Ps. 71(1)", "UU 10/2016 Ps. 188"],
        reasoning="Terbukti",
    )
    return case_decide(case=case, actor=actor)


def test_point_01_pilkada_temuan_gets_three_plus_two_days_from_registration(
    panwascam: User,
) -> None:
    # A temuan is never "received": its Pilkada handling clock counts from registration.
    with time_machine.travel(at(2024, 11, 11, 2), tick=False):  # Mon 10:00 WITA
        temuan = case_intake_finding(
            actor=panwascam,
            origin="TEMUAN",
            data=case_data(
                event_date=dt.date(2024, 11, 9),
                known_date=dt.date(2024, 11, 10),
                found_date=dt.date(2024, 11, 10),
            ),
            files=[],
        )
        temuan = case_transition(
            case=temuan, to=Status.TEMUAN_DITETAPKAN, actor=panwascam, note="Pleno"
        )
        temuan = case_register(case=temuan, actor=panwascam)
    assert temuan.received_at is None
    assert temuan.due_step == DeadlineStep.PENANGANAN
    assert temuan.due_at == end_of(dt.date(2024, 11, 14), WITA)  # 3 calendar days
    temuan.status = Status.PERPANJANGAN  # keterangan tambahan: +2 (Ps. 134(6))
    extended = {d.step: d.due_at for d in case_deadlines(temuan)}
    assert extended[DeadlineStep.PENANGANAN_EXTENDED] == end_of(dt.date(2024, 11, 16), WITA)
    # warnings and alerts like any report
    temuan.refresh_from_db()
    assert deadlines_watch(now=at(2024, 11, 14, 12)).warnings == 1
    assert deadlines_watch(now=at(2024, 11, 15, 1)).overdue == 1


def test_point_02_polri_clock_runs_until_forwarded_to_polri_whatever_else_is_sent(
    panwascam: User,
) -> None:
    case = decide(register(file_report().case, panwascam), panwascam, ["PERUU_LAINNYA", "PIDANA"])
    assert case.due_step == DeadlineStep.PIDANA_TO_POLRI
    person = case.reported_persons.get()
    recommendation_create(
        case=case,
        actor=panwascam,
        reported_person=person,
        recipient=Recipient.BUPATI_WALIKOTA,
        recipient_name="Bupati Kutai Timur",
        letter_number="1/2024",
        letter_date=timezone.localdate(),
    )
    case.refresh_from_db()
    # another letter does not stop the 1x24 h clock, and the case is flagged
    assert case.due_step == DeadlineStep.PIDANA_TO_POLRI
    assert [p.pk for p in persons_missing_polri_forwarding(case)] == [person.pk]
    page = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="polri-missing"' in page
    recommendation_create(
        case=case,
        actor=panwascam,
        reported_person=person,
        recipient=Recipient.SENTRA_GAKKUMDU,
        recipient_name="Sentra Gakkumdu Kutai Timur",
        letter_number="2/2024",
        letter_date=timezone.localdate(),
    )
    case.refresh_from_db()
    assert case.due_step != DeadlineStep.PIDANA_TO_POLRI
    assert persons_missing_polri_forwarding(case) == []
    page = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="polri-missing"' not in page


def test_point_03_completion_neither_hides_nor_pushes_back_the_pilkada_clock(
    panwascam: User,
) -> None:
    with time_machine.travel(at(2024, 11, 11, 2), tick=False):
        case = case_receive(case=file_report().case, actor=panwascam)
    assert case.due_at == end_of(dt.date(2024, 11, 14), WITA)
    with time_machine.travel(at(2024, 11, 12, 2), tick=False):
        case = lengkapi(case, panwascam)
    assert case.status == Status.MENUNGGU_KELENGKAPAN
    # the window to complete ends on the 15th, the statutory clock still on the 14th
    assert case.due_step == DeadlineStep.PENANGANAN
    assert case.due_at == end_of(dt.date(2024, 11, 14), WITA)


def test_point_03_pelimpahan_keeps_the_pilkada_clock_received_11_forwarded_13_due_14(
    panwascam: User, alice: User
) -> None:
    # DOMAIN §5.7's worked example: received 11 Nov, forwarded 13 Nov, due 14 Nov.
    with time_machine.travel(at(2024, 11, 11, 2), tick=False):
        case = case_receive(
            case=file_report(
                event_date=dt.date(2024, 11, 9), known_date=dt.date(2024, 11, 10)
            ).case,
            actor=panwascam,
        )
    with time_machine.travel(at(2024, 11, 13, 2), tick=False):
        done = case_forward(
            case=case,
            actor=panwascam,
            destination=Region.objects.get(pk="64.08"),
            note="Kewenangan Bawaslu Kabupaten",
        )
    assert done.target.due_step == DeadlineStep.PENANGANAN
    assert done.target.due_at == end_of(dt.date(2024, 11, 14), WITA)


def test_point_04_the_one_day_completion_notice_clock_is_computed(panwascam: User) -> None:
    # Pemilu: the reporter must be told within 1 Hari (Perbawaslu 7/2022 Ps. 22(1)); a
    # reporter without e-mail is told by the officer, who records it.
    with time_machine.travel(at(2024, 1, 8, 2), tick=False):  # Mon
        filed = file_report(
            regime="PEMILU",
            reporter=reporter_data(email=""),
            event_date=dt.date(2024, 1, 5),
            known_date=dt.date(2024, 1, 6),
        )
        case = lengkapi(case_receive(case=filed.case, actor=panwascam), panwascam)
    assert case.due_step == DeadlineStep.NOTIF_LENGKAPI
    assert case.due_at == end_of(dt.date(2024, 1, 9), WITA)  # 1 working day
    page = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="completion-notice"' in page
    case = completion_notice_record(case=case, actor=panwascam, means="Telepon 0812")
    assert case.due_step == DeadlineStep.LENGKAPI_WINDOW
    assert AuditEntry.objects.filter(action="case.completion_notice").count() == 1


def test_point_04_the_notice_clock_stops_when_the_e_mail_leaves(
    panwascam: User, django_capture_on_commit_callbacks: Any
) -> None:
    filed = file_report(regime="PEMILU")
    case = case_receive(case=filed.case, actor=panwascam)
    with django_capture_on_commit_callbacks(execute=True):
        case = lengkapi(case, panwascam)
    case.refresh_from_db()
    assert case.due_step == DeadlineStep.NOTIF_LENGKAPI  # the mail waits for the worker
    run_jobs()
    case.refresh_from_db()
    assert case.due_step == DeadlineStep.LENGKAPI_WINDOW


def test_point_05_a_blank_completion_window_does_not_make_t5_impossible(
    panwascam: User,
) -> None:
    DeadlineRule.objects.filter(step=DeadlineStep.LENGKAPI_WINDOW).update(amount=None, unit="")
    with time_machine.travel(at(2024, 11, 11, 2), tick=False):
        case = case_receive(case=file_report().case, actor=panwascam)
        with pytest.raises(ApplicationError):
            lengkapi(case, panwascam)  # the officer must set the date
        case = lengkapi(case, panwascam, respond_by=dt.date(2024, 11, 12))
        with pytest.raises(InvalidTransition):
            case_transition(case=case, to=Status.TIDAK_DIREGISTRASI, actor=panwascam, note="x")
    window = {d.step: d.due_at for d in case_deadlines(case)}
    assert window[DeadlineStep.LENGKAPI_WINDOW] == end_of(dt.date(2024, 11, 12), WITA)
    with time_machine.travel(at(2024, 11, 12, 17), tick=False):  # 01:00 WITA on the 13th
        case = case_transition(
            case=case, to=Status.TIDAK_DIREGISTRASI, actor=panwascam, note="Tidak dilengkapi"
        )
    assert case.status == Status.TIDAK_DIREGISTRASI


def test_point_06_recompute_deadlines_applies_a_rule_change_to_open_cases(
    panwascam: User,
) -> None:
    with time_machine.travel(at(2024, 11, 11, 2), tick=False):
        case = register(file_report().case, panwascam)
    old = case.due_at
    assert old == end_of(dt.date(2024, 11, 14), WITA)
    DeadlineRule.objects.filter(regime="PILKADA", step=DeadlineStep.PENANGANAN).update(amount=5)
    out = StringIO()
    call_command("recompute_deadlines", "--dry-run", stdout=out)
    assert case.reference in out.getvalue()
    assert "14-11-2024 23:59 WITA" in out.getvalue()
    assert "16-11-2024 23:59 WITA" in out.getvalue()
    case.refresh_from_db()
    assert case.due_at == old  # a dry run changes nothing
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    case.refresh_from_db()
    assert case.due_at == end_of(dt.date(2024, 11, 16), WITA)
    assert AuditEntry.objects.filter(action="case.deadline_recompute").count() == 1
    call_command("recompute_deadlines", stdout=(again := StringIO()))
    assert "0 deadline(s) changed." in again.getvalue()


def test_point_06_the_admin_offers_the_recompute_after_a_rule_edit(panwascam: User) -> None:
    with time_machine.travel(at(2024, 11, 11, 2), tick=False):
        case = register(file_report().case, panwascam)
    admin = User.objects.create_superuser("root", "root@example.test", "x-Pass-12345")
    client = client_for(admin)
    rule = DeadlineRule.objects.get(regime="PILKADA", step=DeadlineStep.PENANGANAN)
    url = reverse("admin:cases_deadlinerule_change", args=[rule.pk])
    response = client.post(
        url,
        {
            "regime": "PILKADA",
            "step": "PENANGANAN",
            "amount": 4,
            "unit": "CALENDAR_DAYS",
            "anchor": rule.anchor,
            "legal_basis": rule.legal_basis,
            "confidence": rule.confidence,
            "note": rule.note,
            "warn_before_hours": 24,
        },
        follow=True,
    )
    recompute = reverse("admin:cases_deadlinerule_recompute")
    assert recompute in response.content.decode()
    listing = client.get(recompute).content.decode()
    assert case.reference in listing
    assert "15-11-2024 23:59 WITA" in listing
    client.post(recompute)
    case.refresh_from_db()
    assert case.due_at == end_of(dt.date(2024, 11, 15), WITA)
    assert AuditEntry.objects.filter(action="case.deadline_recompute", actor=admin).exists()


def _papua_unit() -> Region:
    """A WIT handling unit: Kabupaten Jayapura (91.03) with an active Bawaslu officer."""
    province = Region.objects.create(
        code="91", name="PAPUA", level=RegionLevel.PROVINSI, edition="test"
    )
    kab = Region.objects.create(
        code="91.03",
        name="KABUPATEN JAYAPURA",
        level=RegionLevel.KABKOTA,
        parent=province,
        edition="test",
    )
    kec = Region.objects.create(
        code="91.03.01", name="SENTANI", level=RegionLevel.KECAMATAN, parent=kab, edition="test"
    )
    return Region.objects.create(
        code="91.03.01.2001", name="HINEKOMBE", level=RegionLevel.DESA, parent=kec, edition="test"
    )


@pytest.mark.parametrize(
    ("zone", "receive_utc", "late"),
    [
        # WITA (Kutai Timur): the 7-day window of a report known on 1 Nov ends at 23:59 WITA
        # on 8 Nov = 15:59 UTC. At 16:30 UTC it is already 9 Nov there (23:30 WIB, 8 Nov).
        ("WITA", at(2024, 11, 8, 15, 30), False),
        ("WITA", at(2024, 11, 8, 16, 30), True),
        # WIT (Jayapura): the window ends at 23:59 WIT = 14:59 UTC.
        ("WIT", at(2024, 11, 8, 14, 30), False),
        ("WIT", at(2024, 11, 8, 15, 30), True),
    ],
)
def test_point_07_a_report_is_dated_by_the_units_local_day_across_midnight(
    panwascam: User, zone: str, receive_utc: dt.datetime, late: bool
) -> None:
    tz = WITA if zone == "WITA" else WIT
    officer = panwascam
    overrides: dict[str, Any] = {
        "event_date": dt.date(2024, 10, 31),
        "known_date": dt.date(2024, 11, 1),
    }
    if zone == "WIT":
        overrides["incident_region"] = _papua_unit()
        officer = UserFactory(username="yosua", role=Role.BAWASLU_KABKOTA, region="91.03")
    with time_machine.travel(at(2024, 11, 2, 1), tick=False):
        filed = file_report(**overrides)
    assert filed.case.handling_region_id.startswith("91" if zone == "WIT" else "64")
    with time_machine.travel(receive_utc, tick=False):
        case = case_receive(case=filed.case, actor=officer)
    assert case.late_filing is late
    local_day = receive_utc.astimezone(tz).date()
    assert case.due_at == end_of(local_day + dt.timedelta(days=3), tz)
    page = client_for(officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    shown = receive_utc.astimezone(tz).strftime("%d-%m-%Y %H:%M")
    assert f"{shown} {zone}" in page
