"""Triage into a temuan, uploads, takedown letters, watch lists (services, no browser)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from netral.accounts.models import Role
from netral.audit.models import AuditEntry
from netral.cases.models import Evidence, Origin, ReportedPerson, Status
from netral.core.errors import ApplicationError
from netral.patrol import services
from netral.patrol.models import (
    ActKind,
    CaptureMethod,
    CaptureStatus,
    ProposalStatus,
    TakedownState,
    Triage,
)
from netral.registry.models import Region, SocialAccount
from tests.factories import UserFactory
from tests.patrol.conftest import DESA, make_election, make_kades

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(username="pat", role=Role.BAWASLU_KABKOTA, region="64.08")


def _captured(officer, url, event=None):
    unit = Region.objects.get(code="64.08")
    c = services.capture_request(actor=officer, url=url, unit_region=unit, election_event=event)
    return services.capture_run(capture_id=c.pk)  # the task's body, run here


def test_a_finding_opens_a_temuan_with_the_sealed_evidence(site, officer):
    account = make_kades()
    event = make_election()
    capture = _captured(officer, f"{site.url}/budi.santoso.kades/post/1", event)
    capture = services.capture_triage(
        capture=capture,
        actor=officer,
        data=services.TriageData(
            decision=Triage.TEMUAN, act_kind=ActKind.UNGGAHAN, note="Ajakan memilih paslon 2"
        ),
    )
    case = capture.case
    assert case.origin == Origin.TEMUAN
    assert case.status == Status.HASIL_PENGAWASAN
    assert case.incident_region_id == DESA
    assert case.election_event == event
    assert case.due_at is not None  # the temuan's clock started
    # the campaign has started: the target is a calon, a post is DS02
    assert capture.suggested_skb == "DS02"
    assert "DS02" in case.description
    assert str(capture.code) in case.description
    person = ReportedPerson.objects.get(case=case)
    assert person.official == account.official
    evidence = {e.sha256 for e in Evidence.objects.filter(case=case)}
    assert {f.sha256 for f in capture.files.all()} <= evidence
    assert AuditEntry.objects.filter(action="patrol.capture_triage").exists()
    with pytest.raises(ApplicationError):
        services.capture_triage(
            capture=capture, actor=officer, data=services.TriageData(decision=Triage.TEMUAN)
        )


def test_skb_suggestion_follows_the_act_and_the_phase():
    event = make_election()
    before = event.campaign_start - dt.timedelta(days=1)
    assert services.skb_suggest(act_kind=ActKind.SUKA, election_event=event, day=before) == "KE04"
    assert (
        services.skb_suggest(act_kind=ActKind.SUKA, election_event=event, day=event.campaign_start)
        == "DS06"
    )
    assert (
        services.skb_suggest(
            act_kind=ActKind.FOTO_PROFIL, election_event=event, day=event.campaign_start
        )
        == "DS07"
    )


def test_not_relevant_and_watching_open_no_case(site, officer):
    capture = _captured(officer, f"{site.url}/post/3")
    capture = services.capture_triage(
        capture=capture, actor=officer, data=services.TriageData(decision=Triage.PANTAU)
    )
    assert capture.triage == Triage.PANTAU
    assert capture.case is None
    capture = services.capture_triage(
        capture=capture, actor=officer, data=services.TriageData(decision=Triage.TIDAK_RELEVAN)
    )
    assert capture.triage == Triage.TIDAK_RELEVAN


def test_an_upload_is_sealed_with_the_statement(officer):
    from tests.cases.conftest import PNG

    capture = services.capture_upload(
        actor=officer,
        data=services.UploadData(
            url="https://www.facebook.com/budi.santoso.kades/posts/99",
            seen_at=timezone.now() - dt.timedelta(hours=2),
            seen_where="HP dinas, aplikasi Facebook",
            statement="Unggahan terlihat di beranda; halaman meminta login.",
        ),
        files=[SimpleUploadedFile("a.png", PNG, content_type="image/png")],
        unit_region=Region.objects.get(code="64.08"),
    )
    assert capture.method == CaptureMethod.UNGGAHAN
    assert capture.status == CaptureStatus.SELESAI
    assert capture.platform == "Facebook"
    assert capture.record["statement"].startswith("Unggahan terlihat")
    assert services.capture_verify(capture=capture).intact


def test_an_upload_is_checked_by_content(officer):
    with pytest.raises(ApplicationError):
        services.capture_upload(
            actor=officer,
            data=services.UploadData(url="", seen_at=timezone.now(), seen_where="x", statement="y"),
            files=[
                SimpleUploadedFile("a.png", b"MZ\x90\x00not an image", content_type="image/png")
            ],
            unit_region=None,
        )


def test_an_upload_matches_a_registered_profile_url(officer):
    from tests.cases.conftest import PNG

    account = make_kades(handle="https://www.instagram.com/budi.kades/", platform="Instagram")
    capture = services.capture_upload(
        actor=officer,
        data=services.UploadData(
            url="https://instagram.com/budi.kades/p/Cx1",
            seen_at=timezone.now(),
            seen_where="HP",
            statement="Terlihat",
        ),
        files=[SimpleUploadedFile("a.png", PNG, content_type="image/png")],
        unit_region=Region.objects.get(code="64.08"),
    )
    assert capture.official == account.official


def test_a_takedown_letter_for_three_captures(site, officer):
    make_kades()
    captures = [_captured(officer, f"{site.url}/budi.santoso.kades/post/{n}") for n in (1, 2, 4)]
    letter = services.takedown_letter_create(
        actor=officer,
        captures=captures,
        data=services.LetterData(
            recipient="KOMDIGI",
            recipient_name="Dirjen Pengawasan Ruang Digital",
            unit_name="Bawaslu Kabupaten Kutai Timur",
        ),
        unit_region=Region.objects.get(code="64.08"),
        verify_url=lambda code: f"https://netral.example/verifikasi/tangkapan/{code}/",
    )
    assert letter.number.startswith("001/")
    assert letter.items.count() == 3
    with letter.pdf.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(fh).pages)
    flat = text.replace("\n", "")
    for c in captures:
        assert c.seal["digest"][:20] in flat
    assert letter.number in flat
    second = services.takedown_letter_create(
        actor=officer,
        captures=captures[:1],
        data=services.LetterData(
            recipient="PLATFORM", recipient_name="Meta", unit_name="Bawaslu Kabupaten Kutai Timur"
        ),
        unit_region=Region.objects.get(code="64.08"),
        verify_url=lambda code: code,
    )
    assert second.number.startswith("002/")


def test_a_recheck_of_a_page_gone_marks_it_taken_down(site, officer):
    capture = _captured(officer, f"{site.url}/post/1")
    letter = services.takedown_letter_create(
        actor=officer,
        captures=[capture],
        data=services.LetterData(
            recipient="KOMDIGI", recipient_name="Komdigi", unit_name="Bawaslu"
        ),
        unit_region=Region.objects.get(code="64.08"),
        verify_url=lambda c: c,
    )
    item = letter.items.get()
    capture.url = f"{site.url}/gone"  # the platform removed the post
    capture.save()
    item = services.takedown_recheck(item_id=item.pk)
    assert item.last_check_status == 404
    assert item.state == TakedownState.DITURUNKAN


def test_watch_list_checks_proposals_and_split(officer):
    account = make_kades()
    services.account_check_nothing(account=account, actor=officer)
    assert account.patrol_checks.get().result == "NIHIL"
    manager = UserFactory(username="reg", role=Role.BKPSDM, region="64.08")
    proposal = services.account_propose(
        official=account.official, platform="TikTok", handle="@budi_kades", note="", actor=officer
    )
    services.account_proposal_decide(proposal=proposal, confirm=True, actor=manager)
    assert proposal.status == ProposalStatus.DIKONFIRMASI
    assert SocialAccount.objects.filter(official=account.official, platform="TikTok").exists()
    other = UserFactory(username="pat2", role=Role.PANWASLU_KECAMATAN, region="64.08.04")
    n = services.watch_list_split(
        accounts=list(SocialAccount.objects.all()),
        officers=[officer, other],
        actor=officer,
        region_code="64.08",
    )
    assert n == 2  # one official's accounts stay with one officer


def test_a_large_upload_is_checked_whole_before_it_is_sealed(officer, settings):
    """A patrol upload is sealed at once: the deep check cannot wait for the worker as case
    evidence does above NETRAL_EVIDENCE_WORKER_CHECK_KB (issue 15 §1)."""
    from tests.cases.test_evidence_check import corrupt_pixels, noisy_png

    settings.NETRAL_EVIDENCE_WORKER_CHECK_KB = 1
    damaged = corrupt_pixels(noisy_png())
    with pytest.raises(ApplicationError, match=r"foto\.png"):
        services.capture_upload(
            actor=officer,
            data=services.UploadData(url="", seen_at=timezone.now(), seen_where="x", statement="y"),
            files=[SimpleUploadedFile("foto.png", damaged, content_type="image/png")],
            unit_region=None,
        )
