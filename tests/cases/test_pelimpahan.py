"""Pelimpahan (T9, DOMAIN §5.5 LIMPAH / §8.2; Perbawaslu 7/2022 Ps. 20): the source closes as
DILIMPAHKAN and a linked case opens at the receiving unit, in one transaction."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from netral.audit.models import AuditEntry
from netral.cases.models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseLinkType,
    DeadlineRule,
    Evidence,
    NotificationLog,
    Status,
)
from netral.cases.services import case_forward, case_kajian_awal_record, case_receive
from netral.cases.workflow import InvalidTransition, case_transition
from netral.core.errors import ApplicationError
from netral.registry.models import Official, Region
from tests.cases.conftest import PNG, client_for_user, file_report, reporter_data
from tests.factories import OfficialFactory
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db

KUTIM = "64.08"
BOGOR = "32.01"
NOTE = "Bukan kewenangan Panwaslu Kecamatan: terlapor ASN kabupaten."


def _received(actor: Any, **kw: Any) -> Any:
    filed = file_report(**kw)
    return filed, case_receive(case=filed.case, actor=actor)


def _chain(case: Case) -> str:
    return f"cases.case:{case.pk}"


def test_panwascam_forwards_to_bawaslu_kabkota_and_everything_carries_over(
    panwascam: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    official: Official = OfficialFactory(region=Region.objects.get(pk="64.08.04.2001"))
    from netral.cases.services import PersonData

    _filed, case = _received(
        panwascam,
        reporter=reporter_data(confidential=True),
        persons=[PersonData(official_id=official.pk), PersonData(name="Joko", position="Camat")],
    )
    assert case.handling_region_id == "64.08.04"
    source_evidence = list(case.evidence.all())
    assert source_evidence
    assert source_evidence[0].sha256 == hashlib.sha256(PNG).hexdigest()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done = case_forward(
            case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
        )
    source, target = done.source, done.target
    source.refresh_from_db()
    target.refresh_from_db()

    # The source: closed as DILIMPAHKAN at its own unit, destination recorded.
    assert source.status == Status.DILIMPAHKAN
    assert source.handling_region_id == "64.08.04"
    assert source.forwarded_to_region_id == KUTIM
    assert source.initial_assessment == "LIMPAH"
    assert source.closed_at is not None
    assert source.due_at is None
    # The new case: a received report at the receiving unit, with its deadline.
    assert target.pk != source.pk
    assert target.status == Status.DITERIMA
    assert target.handling_region_id == KUTIM
    for name in (
        "origin",
        "regime",
        "election_event_id",
        "incident_region_id",
        "incident_place",
        "title",
        "description",
        "event_date",
        "known_date",
        "filed_at",
        "late_filing",
        "channel",
    ):
        assert getattr(target, name) == getattr(source, name), name
    assert target.received_at is not None
    assert target.received_at >= source.received_at
    assert target.due_at is not None
    assert target.due_step in ("KAJIAN_AWAL", "PENANGANAN")
    assert target.due_basis
    assert target.tracking_number is None  # the reporter keeps the source's number
    # Reporter, with its confidentiality.
    assert target.reporter.name == "Rina Pelapor"
    assert target.reporter.confidential is True
    assert target.reporter.pk != source.reporter.pk
    # Reported persons with their registry links; witnesses.
    persons = {p.name: p for p in target.reported_persons.all()}
    assert persons[official.name].official_id == official.pk
    assert persons["Joko"].official_id is None
    assert persons["Joko"].position == "Camat"
    assert [w.name for w in target.witnesses.all()] == ["Ani"]
    # Evidence: the same stored file by reference, same digest, bytes readable.
    copies = list(target.evidence.all())
    assert [(e.sha256, e.file.name, e.size) for e in copies] == [
        (e.sha256, e.file.name, e.size) for e in source_evidence
    ]
    with copies[0].file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == copies[0].sha256
    # Linked, with events and audit entries on both.
    link = CaseLink.objects.get(type=CaseLinkType.PELIMPAHAN)
    assert (link.from_case_id, link.to_case_id) == (target.pk, source.pk)
    t9 = source.events.get(type=CaseEvent.Type.TRANSITION, to_status=Status.DILIMPAHKAN)
    assert t9.parameters["transition"] == "T9"
    assert t9.parameters["new_case"] == target.pk
    assert t9.parameters["to_region"] == KUTIM
    created = target.events.get(type=CaseEvent.Type.CREATED)
    assert created.parameters["forwarded_from"] == source.pk
    assert AuditEntry.objects.filter(chain_key=_chain(source), action="case.transition.T9").exists()
    assert AuditEntry.objects.filter(
        chain_key=_chain(target), action="case.pelimpahan.receive"
    ).exists()
    # The receiving unit's officer is told (by the worker), the reporter gets the status.
    run_jobs()
    logs = NotificationLog.objects.filter(case=target, kind=NotificationLog.Kind.NEW_CASE)
    assert [log.recipient_user_id for log in logs] == [alice.pk]
    assert [log.outcome for log in logs] == [NotificationLog.Outcome.SENT]
    assert any(m.to == [alice.email] for m in mail.outbox)
    assert any(m.to == ["rina@example.test"] for m in mail.outbox)


def test_kajian_awal_result_limpah_forwards_the_same_way(panwascam: Any, alice: Any) -> None:
    _filed, case = _received(panwascam)
    out = case_kajian_awal_record(
        case=case,
        actor=panwascam,
        formal={},
        material={},
        result="LIMPAH",
        note=NOTE,
        target_region=Region.objects.get(pk=KUTIM),
    )
    assert out.status == Status.DILIMPAHKAN
    assert out.handling_region_id == "64.08.04"
    target = Case.objects.get(links_out__to_case=out, links_out__type=CaseLinkType.PELIMPAHAN)
    assert target.status == Status.DITERIMA
    assert target.handling_region_id == KUTIM


def test_the_receiving_unit_handles_the_new_case(panwascam: Any, alice: Any) -> None:
    _filed, case = _received(panwascam)
    target = case_forward(
        case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
    ).target
    moved = case_transition(case=target, to=Status.KAJIAN_AWAL, actor=alice)  # T2
    assert moved.status == Status.KAJIAN_AWAL


def test_refusals_leave_the_case_as_it_was(panwascam: Any, alice: Any, charlie: Any) -> None:
    _filed, case = _received(panwascam)
    cases_before = Case.objects.count()
    refusals: list[tuple[Any, str, type[Exception]]] = [
        (charlie, KUTIM, InvalidTransition),  # not a handler of the source
        (panwascam, "64.08.04", ApplicationError),  # its own unit
        (panwascam, "64.08.04.2001", ApplicationError),  # a desa handles no case
        (panwascam, "61.04", ApplicationError),  # no active unit in Ketapang
    ]
    for actor, code, exc in refusals:
        with pytest.raises(exc):
            case_forward(case=case, actor=actor, destination=Region.objects.get(pk=code), note=NOTE)
    with pytest.raises(ApplicationError):
        case_forward(case=case, actor=panwascam, destination=None, note=NOTE)
    with pytest.raises(ApplicationError):  # reasons are required
        case_forward(case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note="")
    case.refresh_from_db()
    assert case.status == Status.KAJIAN_AWAL
    assert Case.objects.count() == cases_before
    assert not CaseLink.objects.exists()


def test_only_during_kajian_awal(panwascam: Any, alice: Any) -> None:
    filed = file_report()  # DRAFT_PUBLIK: not yet received
    with pytest.raises(InvalidTransition):
        case_forward(
            case=filed.case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
        )
    assert Case.objects.count() == 1


def test_all_or_nothing_when_a_late_step_fails(
    panwascam: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A misconfigured deadline rule (edited in the admin) makes the new case's deadline fail
    after the new case, its parts, the link and the source's T9 were written: none remain."""
    _filed, case = _received(panwascam)
    cases, evidence, events = (
        Case.objects.count(),
        Evidence.objects.count(),
        CaseEvent.objects.count(),
    )
    audits = AuditEntry.objects.count()
    DeadlineRule.objects.filter(regime=case.regime, step="PENANGANAN").update(amount=3, unit="BAD")
    run_jobs()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError, match="BAD"):
        case_forward(
            case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
        )
    case.refresh_from_db()
    assert case.status == Status.KAJIAN_AWAL
    assert case.forwarded_to_region_id is None
    assert Case.objects.count() == cases
    assert Evidence.objects.count() == evidence
    assert CaseEvent.objects.count() == events
    assert AuditEntry.objects.count() == audits
    assert not CaseLink.objects.exists()
    assert (
        not NotificationLog.objects.filter(kind=NotificationLog.Kind.NEW_CASE, case__isnull=False)
        .exclude(case=case)
        .exists()
    )
    run_jobs()  # nothing of the rolled-back forward was queued
    assert mail.outbox == []


def _login_status(client: Client, tracking_number: str, pin: str) -> None:
    response = client.post(
        reverse("cases:public_status"),
        {"action": "login", "tracking_number": tracking_number, "pin": pin},
    )
    assert response.status_code == 302


def test_the_reporter_follows_the_forwarded_report_with_the_same_number(
    client: Client, panwascam: Any, alice: Any
) -> None:
    filed, case = _received(panwascam)
    target = case_forward(
        case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
    ).target
    _login_status(client, case.tracking_number, filed.pin)
    page = client.get(reverse("cases:public_status")).content.decode()
    assert case.tracking_number in page
    assert 'data-testid="forwarded"' in page
    assert "KUTAI TIMUR" in page.upper()
    assert "64.08" in page
    assert NOTE in page  # the reasons of T9 are public
    assert "Diterima" in page  # the new case's status is the current one
    # The reporter acts on the new case: withdrawal before registration (T7) lands there.
    client.post(reverse("cases:public_status"), {"action": "withdraw", "note": "Salah kirim"})
    target.refresh_from_db()
    case.refresh_from_db()
    assert target.status == Status.DICABUT
    assert case.status == Status.DILIMPAHKAN


def test_officer_page_action_and_cross_region_access(
    panwascam: Any, alice: Any, charlie: Any
) -> None:
    """Kutai Timur forwards to Bogor: charlie (Bogor) never sees the source, and handles the
    new case only after the pelimpahan; alice keeps reading it (incident in her region) but
    cannot act on it."""
    filed = file_report(incident_region=Region.objects.get(pk="64.08.01.2001"))
    case = filed.case
    assert case.handling_region_id == KUTIM
    alice_c, charlie_c, siti_c = (client_for_user(u) for u in (alice, charlie, panwascam))
    detail = reverse("cases:detail", args=[case.pk])
    assert charlie_c.get(detail).status_code == 404
    assert siti_c.post(reverse("cases:action", args=[case.pk, "forward"]), {}).status_code == 404
    alice_c.post(reverse("cases:action", args=[case.pk, "receive"]))
    page = alice_c.get(detail).content.decode()
    assert 'data-testid="forward"' in page
    assert f'value="{BOGOR}"' in page
    assert f'value="{KUTIM}"' not in page  # not its own unit
    # charlie cannot forward a case that is not his (404, like every other action).
    assert (
        charlie_c.post(
            reverse("cases:action", args=[case.pk, "forward"]),
            {"destination": KUTIM, "note": NOTE},
        ).status_code
        == 404
    )
    # A bad destination is refused with a message, nothing created.
    response = alice_c.post(
        reverse("cases:action", args=[case.pk, "forward"]),
        {"destination": "99.99", "note": NOTE},
        follow=True,
    )
    assert "tidak dikenal" in response.content.decode()
    assert Case.objects.count() == 1
    response = alice_c.post(
        reverse("cases:action", args=[case.pk, "forward"]),
        {"destination": BOGOR, "note": NOTE},
    )
    assert response.status_code == 302
    target = Case.objects.get(links_out__to_case=case)
    assert target.handling_region_id == BOGOR
    assert charlie_c.get(detail).status_code == 404  # still not his
    target_page = charlie_c.get(reverse("cases:detail", args=[target.pk]))
    assert target_page.status_code == 200
    assert 'data-testid="forwarded-from"' in target_page.content.decode()
    assert case.tracking_number in target_page.content.decode()
    source_link = f'href="{reverse("cases:detail", args=[case.pk])}"'
    assert source_link not in target_page.content.decode()  # the source is not his to open
    assert charlie_c.post(reverse("cases:action", args=[target.pk, "receive"])).status_code == 302
    assert alice_c.get(reverse("cases:detail", args=[target.pk])).status_code == 200
    assert (
        alice_c.post(
            reverse("cases:action", args=[target.pk, "forward"]),
            {"destination": KUTIM, "note": NOTE},
        ).status_code
        == 404
    )
    source_page = alice_c.get(detail).content.decode()
    assert 'data-testid="forwarded-to"' in source_page
    # alice sees the target (the incident lies in her regency), so the source links to it
    assert f'href="{reverse("cases:detail", args=[target.pk])}"' in source_page


def test_api_forward(alice: Any, charlie: Any) -> None:
    filed = file_report(incident_region=Region.objects.get(pk="64.08.01.2001"))
    case_receive(case=filed.case, actor=alice)
    url = f"/api/v1/cases/{filed.case.pk}/forward"
    body = {"destination": BOGOR, "note": NOTE}
    charlie_c, alice_c = client_for_user(charlie), client_for_user(alice)
    assert charlie_c.post(url, body, content_type="application/json").status_code == 404
    bad = alice_c.post(url, {"destination": "61.04", "note": NOTE}, content_type="application/json")
    assert bad.status_code == 400
    ok = alice_c.post(url, body, content_type="application/json")
    assert ok.status_code == 200, ok.content
    data = ok.json()
    assert data["source"]["status"] == "DILIMPAHKAN"
    assert data["source"]["forwarded_to_region"] == BOGOR
    assert data["target"]["status"] == "DITERIMA"
    assert data["target"]["handling_region"] == BOGOR
    assert charlie_c.get(f"/api/v1/cases/{data['target']['id']}").status_code == 200
    assert charlie_c.get(f"/api/v1/cases/{filed.case.pk}").status_code == 404


def test_the_receiving_unit_asks_the_reporter_by_the_original_number(
    client: Client, panwascam: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    filed, case = _received(panwascam)
    target = case_forward(
        case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
    ).target
    run_jobs()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_kajian_awal_record(
            case=target,
            actor=alice,
            formal={},
            material={},
            result="LENGKAPI",
            message="Lampirkan foto kegiatan yang lebih jelas.",
        )
    run_jobs()
    to_reporter = [m for m in mail.outbox if m.to == ["rina@example.test"]]
    assert to_reporter
    assert all(case.tracking_number in m.subject for m in to_reporter)
    assert all("None" not in m.subject + m.body for m in to_reporter)
    _login_status(client, case.tracking_number, filed.pin)
    page = client.get(reverse("cases:public_status")).content.decode()
    assert 'data-testid="completion-request"' in page
    client.post(
        reverse("cases:public_status"),
        {"action": "answer", "answer": "Foto terlampir di kantor desa."},
    )
    target.refresh_from_db()
    assert target.status == Status.KAJIAN_AWAL
    assert target.completion_requests.get().answer == "Foto terlampir di kantor desa."


def test_the_clock_anchor_is_a_setting(panwascam: Any, alice: Any, settings: Any) -> None:
    settings.NETRAL_PELIMPAHAN_ANCHOR = "ORIGINAL"
    _filed, case = _received(panwascam)
    target = case_forward(
        case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
    ).target
    assert target.received_at == case.received_at
    assert target.due_at is not None


def test_a_report_forwarded_twice_is_followed_to_the_last_unit(
    client: Client, panwascam: Any, alice: Any, charlie: Any
) -> None:
    filed, case = _received(panwascam)
    kab = case_forward(
        case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
    ).target
    bogor = case_forward(
        case=kab,
        actor=alice,
        destination=Region.objects.get(pk=BOGOR),
        note="Tempat kejadian di Bogor.",
    ).target
    assert Case.objects.get(pk=kab.pk).status == Status.DILIMPAHKAN
    _login_status(client, case.tracking_number, filed.pin)
    page = client.get(reverse("cases:public_status")).content.decode()
    assert page.count("Laporan Anda dilimpahkan") == 2
    assert "Tempat kejadian di Bogor." in page
    client.post(reverse("cases:public_status"), {"action": "withdraw", "note": "x"})
    assert Case.objects.get(pk=bogor.pk).status == Status.DICABUT


def test_a_stale_copy_cannot_forward_twice(panwascam: Any, alice: Any) -> None:
    _filed, case = _received(panwascam)
    stale = Case.objects.get(pk=case.pk)
    case_forward(case=case, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE)
    with pytest.raises(InvalidTransition):
        case_forward(
            case=stale, actor=panwascam, destination=Region.objects.get(pk=KUTIM), note=NOTE
        )
    assert Case.objects.filter(links_out__type=CaseLinkType.PELIMPAHAN).count() == 1


@pytest.fixture
def _postgres_regions(transactional_db: Any) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite is covered by the stale-copy test")
    from netral.registry.services.regions_load import regions_load
    from tests.cases.conftest import seed_deadline_rules
    from tests.conftest import SAMPLE_REGIONS

    regions_load(path=SAMPLE_REGIONS, edition="sample")
    seed_deadline_rules()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgres_regions")
def test_two_officers_forwarding_at_once_open_one_case(panwascam: Any, alice: Any) -> None:
    from tests.cases.test_workflow import _in_threads

    _filed, case = _received(panwascam)
    kutim = Region.objects.get(pk=KUTIM)
    errors = _in_threads(
        2,
        lambda i: case_forward(
            case=Case.objects.get(pk=case.pk), actor=panwascam, destination=kutim, note=NOTE
        ),
    )
    assert sum(e is None for e in errors) == 1
    assert all(isinstance(e, InvalidTransition) for e in errors if e is not None)
    assert Case.objects.filter(links_out__type=CaseLinkType.PELIMPAHAN).count() == 1
    assert Case.objects.count() == 2
