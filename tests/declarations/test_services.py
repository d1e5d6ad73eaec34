"""Services: texts and versions, events, the three ways of signing, revocation, bad input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from netral.audit.models import AuditEntry
from netral.core.errors import ApplicationError
from netral.declarations import otp, selectors, services, signing
from netral.declarations.models import (
    EventDocument,
    PledgeTemplate,
    Signature,
    SignatureMethod,
    SigningInvitation,
)
from netral.registry.models import Region, SubjectType
from tests.declarations.helpers import PDF_BYTES, PNG_BYTES, event, official, standard
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def _code_from_outbox() -> str:
    run_jobs()  # the code is delivered by the worker (issue 15 §1)
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match
    return match.group(1)


# --- texts ---------------------------------------------------------------------------


def test_the_standard_library_holds_the_four_point_ikrar_and_the_six_point_pledge() -> None:
    assert len(standard().points) == 4
    assert "politik uang" in standard().points[3]
    assert len(standard("deklarasi-pemilu-damai").points) == 6
    assert standard("ikrar-netralitas-pilkada").regime == "PILKADA"


def test_a_region_copy_is_editable_in_place_until_signed(alice: Any) -> None:
    copy = services.pledge_template_copy(
        template=standard(), region=Region.objects.get(code="64.08"), actor=alice
    )
    edited = services.pledge_template_update(
        template=copy, actor=alice, title="Ikrar Kutim", points=["Satu", "Dua"]
    )
    assert edited.pk == copy.pk
    assert edited.version == 1
    assert edited.copied_from == standard()


def test_editing_a_signed_text_creates_a_new_version_and_keeps_the_old(alice: Any) -> None:
    # given a signed copy
    copy = services.pledge_template_copy(
        template=standard(), region=Region.objects.get(code="64.08"), actor=alice
    )
    ev = event(pledges=[copy])
    services.signature_institutional(
        event=ev,
        template=copy,
        actor=alice,
        name="Bupati",
        title="Bupati",
        institution="Pemkab Kutai Timur",
    )
    # when
    new = services.pledge_template_update(
        template=copy, actor=alice, title="Ikrar v2", points=["Butir baru"]
    )
    # then
    copy.refresh_from_db()
    assert (new.family, new.version) == (copy.family, 2)
    assert copy.points == standard().points
    assert Signature.objects.get().pledge_snapshot["points"] == standard().points


def test_standard_texts_cannot_be_edited(alice: Any) -> None:
    with pytest.raises(ApplicationError):
        services.pledge_template_update(template=standard(), actor=alice, title="x", points=["y"])


def test_a_text_needs_points(alice: Any) -> None:
    with pytest.raises(ApplicationError, match="Butir"):
        services.pledge_template_create(
            actor=alice, kind="PAKTA_INTEGRITAS", title="T", points=["", "  "], region=None
        )


# --- events and the checklist --------------------------------------------------------


def test_a_participant_rule_materialises_the_checklist_once(alice: Any) -> None:
    heads = [
        official(region=code)
        for code in Region.objects.filter(code__startswith="64.08.04.", level="DESA").values_list(
            "code", flat=True
        )
    ]
    official(region="32.01.02.2001")  # elsewhere
    official(region="64.08.04.2001", subject_type=SubjectType.PNS)  # another type
    ev = event()
    added = services.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08"),
        subject_types=["KEPALA_DESA"],
    )
    assert added == len(heads) > 0
    assert (
        services.event_participant_rule_set(
            event=ev,
            actor=alice,
            region=Region.objects.get(code="64.08"),
            subject_types=["KEPALA_DESA"],
        )
        == 0
    )
    assert ev.participants.count() == len(heads)


def test_the_participant_region_must_lie_in_the_event_region(alice: Any) -> None:
    ev = event(region="64.08.04")
    with pytest.raises(ApplicationError):
        services.event_participant_rule_set(
            event=ev,
            actor=alice,
            region=Region.objects.get(code="32.01"),
            subject_types=["KEPALA_DESA"],
        )


def test_an_event_needs_a_kind(alice: Any) -> None:
    with pytest.raises(ApplicationError, match="Jenis kegiatan"):
        services.event_create(
            actor=alice,
            title="x",
            kinds=[],
            date=dt.date(2024, 1, 1),
            region=Region.objects.get(code="64.08"),
            organiser="o",
        )


def test_a_scanned_sheet_that_is_not_a_pdf_or_image_is_refused(
    alice: Any, settings: Any, tmp_path: Any
) -> None:
    # A media folder of its own: the same PDF saved by another test in this process this
    # month would give the name a storage suffix (the name is the content's digest).
    settings.MEDIA_ROOT = tmp_path
    ev = event()
    with pytest.raises(ApplicationError, match="PDF"):
        services.event_document_upload(
            event=ev, actor=alice, kind="SIGNED_SHEET", data=b"MZ\x90\x00 this is an exe"
        )
    assert EventDocument.objects.count() == 0
    doc = services.event_document_upload(event=ev, actor=alice, kind="SIGNED_SHEET", data=PDF_BYTES)
    assert doc.content_type == "application/pdf"
    assert doc.file.name.endswith(f"{doc.sha256[:24]}.pdf")
    with pytest.raises(ApplicationError):
        services.event_document_upload(event=ev, actor=alice, kind="PHOTO", data=PDF_BYTES)
    assert (
        services.event_document_upload(
            event=ev, actor=alice, kind="PHOTO", data=PNG_BYTES
        ).content_type
        == "image/png"
    )


# --- (a) recorded by an officer --------------------------------------------------------


def _event_with_participant(alice: Any, **kw: Any) -> tuple[Any, Any]:
    person = official(
        region="64.08.04.2001", email="kades@example.test", nip="197001011990011001", **kw
    )
    ev = event(pledges=[standard(), standard("deklarasi-pemilu-damai")])
    services.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["KEPALA_DESA"],
    )
    return ev, person


def test_an_officer_records_a_sealed_signature_with_the_exact_text(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    sheet = services.event_document_upload(
        event=ev, actor=alice, kind="SIGNED_SHEET", data=PDF_BYTES
    )
    sig = services.signature_record(
        event=ev, template=standard(), official=person, actor=alice, evidence=sheet
    )
    assert sig.method == SignatureMethod.RECORDED_BY_OFFICER
    assert sig.pledge_snapshot["points"] == standard().points
    assert sig.event_snapshot["venue"] == "Hotel Victoria"
    assert signing.verification_status(sig) == signing.VerificationStatus.VALID
    assert ev.participants.get(official=person).present
    assert AuditEntry.objects.filter(action="signature.created", object_id=str(sig.pk)).exists()


def test_a_second_signature_of_the_same_text_is_refused(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    with pytest.raises(ApplicationError, match="sudah menandatangani"):
        services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    assert Signature.objects.count() == 1


def test_after_revocation_the_person_may_sign_again(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    sig = services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    services.signature_revoke(signature=sig, actor=alice, reason="Salah orang")
    assert signing.verification_status(sig) == signing.VerificationStatus.REVOKED
    services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    assert Signature.objects.count() == 2  # revocation never deletes


def test_revocation_needs_a_reason_and_happens_once(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    sig = services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    with pytest.raises(ApplicationError, match="Alasan"):
        services.signature_revoke(signature=sig, actor=alice, reason=" ")
    services.signature_revoke(signature=sig, actor=alice, reason="Ditarik")
    with pytest.raises(ApplicationError, match="sudah dicabut"):
        services.signature_revoke(signature=sig, actor=alice, reason="Lagi")


def test_a_non_participant_cannot_be_recorded(alice: Any) -> None:
    ev, _person = _event_with_participant(alice)
    stranger = official(region="64.08.01.2001")
    with pytest.raises(ApplicationError, match="daftar peserta"):
        services.signature_record(event=ev, template=standard(), official=stranger, actor=alice)


def test_a_text_not_chosen_for_the_event_cannot_be_signed(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    with pytest.raises(ApplicationError, match="tidak ditandatangani pada kegiatan"):
        services.signature_record(
            event=ev, template=standard("ikrar-netralitas-pilkada"), official=person, actor=alice
        )


def test_a_tampered_stored_record_verifies_as_invalid(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    sig = services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    Signature.objects.filter(pk=sig.pk).update(signer_name="Orang Lain")
    assert selectors.signature_verify(code=sig.code).status == signing.VerificationStatus.INVALID


def test_rotate_signing_key_keeps_old_signatures_valid(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    old = services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    call_command("rotate_signing_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    new = services.signature_institutional(
        event=ev,
        template=standard(),
        actor=alice,
        name="Kapolres",
        title="Kapolres",
        institution="Polres Kutai Timur",
    )
    assert new.seal_key_id != old.seal_key_id
    assert selectors.signature_verify(code=old.code).status == signing.VerificationStatus.VALID
    assert selectors.signature_verify(code=new.code).status == signing.VerificationStatus.VALID


# --- (c) institutional -----------------------------------------------------------------


def test_institutional_signatories_need_no_registry_entry_but_sign_once(alice: Any) -> None:
    ev = event(pledges=[standard("deklarasi-pemilu-damai")])
    tpl = standard("deklarasi-pemilu-damai")
    sig = services.signature_institutional(
        event=ev,
        template=tpl,
        actor=alice,
        name="Ardiansyah Sulaiman",
        title="Bupati",
        institution="Pemerintah Kabupaten Kutai Timur",
    )
    assert sig.official is None
    assert sig.method == SignatureMethod.INSTITUTIONAL
    with pytest.raises(ApplicationError, match="sudah menandatangani"):
        services.signature_institutional(
            event=ev,
            template=tpl,
            actor=alice,
            name="ardiansyah sulaiman",
            title="Bupati",
            institution="Pemerintah Kabupaten Kutai Timur",
        )
    with pytest.raises(ApplicationError, match="Instansi"):
        services.signature_institutional(
            event=ev, template=tpl, actor=alice, name="X", title="Y", institution=""
        )


# --- (b) online with a one-time code ---------------------------------------------------


def _link(alice: Any) -> tuple[Any, Any, services.InvitationLink]:
    ev, person = _event_with_participant(alice)
    return ev, person, services.invitation_create(event=ev, official=person, actor=alice)


def test_online_signing_with_the_emailed_code(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ev, _person, link = _link(alice)
    invitation = services.invitation_get(token=link.token)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.otp_send(invitation=invitation)
    assert sent.channel == "email"
    assert sent.masked_destination == "k***@example.test"
    code = _code_from_outbox()
    assert mail.outbox[-1].to == ["kades@example.test"]
    stored = SigningInvitation.objects.get(pk=invitation.pk)
    assert code not in stored.otp_hash
    assert stored.otp_hash
    sigs = services.signature_sign_online(
        invitation=invitation, code=code, templates=list(ev.pledges.all())
    )
    assert len(sigs) == 2
    assert {s.method for s in sigs} == {SignatureMethod.ONLINE_OTP}
    assert all(signing.verification_status(s) == "VALID" for s in sigs)


def test_a_reused_code_is_refused(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    _ev, _person, link = _link(alice)
    invitation = services.invitation_get(token=link.token)
    with django_capture_on_commit_callbacks(execute=True):
        services.otp_send(invitation=invitation)
    code = _code_from_outbox()
    services.signature_sign_online(invitation=invitation, code=code, templates=[standard()])
    with pytest.raises(ApplicationError, match="sudah digunakan"):
        services.signature_sign_online(
            invitation=invitation, code=code, templates=[standard("deklarasi-pemilu-damai")]
        )
    assert Signature.objects.count() == 1


def test_wrong_codes_count_and_lock_after_the_limit(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _ev, _person, link = _link(alice)
    invitation = services.invitation_get(token=link.token)
    with django_capture_on_commit_callbacks(execute=True):
        services.otp_send(invitation=invitation)
    code = _code_from_outbox()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in range(otp.OTP_MAX_ATTEMPTS - 1, -1, -1):
        with pytest.raises(ApplicationError, match=f"Sisa percobaan: {left}"):
            services.signature_sign_online(
                invitation=invitation, code=wrong, templates=[standard()]
            )
    with pytest.raises(ApplicationError, match="Terlalu banyak"):
        services.signature_sign_online(invitation=invitation, code=code, templates=[standard()])
    assert Signature.objects.count() == 0


def test_an_expired_code_is_refused(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    _ev, _person, link = _link(alice)
    invitation = services.invitation_get(token=link.token)
    with django_capture_on_commit_callbacks(execute=True):
        services.otp_send(invitation=invitation)
    code = _code_from_outbox()
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11), tick=False),
        pytest.raises(ApplicationError, match="kedaluwarsa"),
    ):
        services.signature_sign_online(invitation=invitation, code=code, templates=[standard()])


def test_codes_are_rate_limited(alice: Any) -> None:
    _ev, _person, link = _link(alice)
    invitation = services.invitation_get(token=link.token)
    services.otp_send(invitation=invitation)
    with pytest.raises(ApplicationError, match="Tunggu"):
        services.otp_send(invitation=invitation)
    start = dt.datetime.now(dt.UTC)
    for i in range(1, otp.OTP_MAX_SENDS):
        with time_machine.travel(start + dt.timedelta(minutes=2 * i), tick=False):
            services.otp_send(invitation=invitation)
    with (
        time_machine.travel(start + dt.timedelta(minutes=30), tick=False),
        pytest.raises(ApplicationError, match="Batas pengiriman"),
    ):
        services.otp_send(invitation=invitation)


def test_unknown_and_expired_links_are_refused(alice: Any) -> None:
    with pytest.raises(ApplicationError, match="tidak dikenal"):
        services.invitation_get(token="not-a-real-token")
    _ev, _person, link = _link(alice)
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=15), tick=False),
        pytest.raises(ApplicationError, match="kedaluwarsa"),
    ):
        services.invitation_get(token=link.token)


def test_the_event_qr_flow_finds_the_participant_by_nip(alice: Any) -> None:
    ev, person = _event_with_participant(alice)
    link = services.invitation_from_qr(event=ev, identifier="19700101 1990011001")
    assert link.invitation.official == person
    assert link.invitation.via == SigningInvitation.Via.QR
    with pytest.raises(ApplicationError, match="tidak ditemukan"):
        services.invitation_from_qr(event=ev, identifier="199999999999999999")


def test_the_sms_channel_uses_the_logging_sender(alice: Any, settings: Any, caplog: Any) -> None:
    settings.NETRAL_OTP_CHANNEL = "sms"
    ev, person = _event_with_participant(alice, phone="081234567890")
    link = services.invitation_create(event=ev, official=person, actor=alice)
    sent = services.otp_send(invitation=services.invitation_get(token=link.token))
    assert sent.channel == "sms"
    assert sent.masked_destination.endswith("890")
    with caplog.at_level("INFO", logger="netral.declarations.otp"):
        run_jobs()
    assert "SMS OTP to *********890" in caplog.text
    assert mail.outbox == []


def test_the_code_travels_sealed_in_the_job_and_is_sent_by_the_worker(alice: Any) -> None:
    """An administrator reading the job's arguments does not see the code (issue 15 §1)."""
    from netral.jobs.models import Job

    _ev, _person, link = _link(alice)
    services.otp_send(invitation=services.invitation_get(token=link.token))
    assert mail.outbox == []  # nothing is sent inside the request
    job = Job.objects.get(handler="netral.jobs.mail.otp_deliver_job")
    code = _code_from_outbox()
    assert code not in str(job.kwargs)
    assert "kades@example.test" not in str(job.kwargs)


def test_invitations_are_emailed_to_participants_who_have_not_signed(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ev, person = _event_with_participant(alice)
    official(region="64.08.04.2011")  # no email: skipped
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(
            event=ev, actor=alice, link_url=lambda t: f"http://testserver/t/{t}/"
        )
    assert sent == 1
    assert mail.outbox == []
    from netral.jobs.models import Job

    # the personal link is a credential: sealed in the job's arguments
    assert "testserver/t/" not in str(Job.objects.get().kwargs)
    run_jobs()
    assert "http://testserver/t/" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [person.email]


def test_invitations_skip_participants_who_signed_every_text(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given: two participants with an email; one signed both texts, the other only one
    done = official(region="64.08.04.2011", email="done@example.test")
    half = official(region="64.08.04.2012", email="half@example.test")
    ev, person = _event_with_participant(alice)
    for template in (standard(), standard("deklarasi-pemilu-damai")):
        services.signature_record(event=ev, template=template, official=done, actor=alice)
    services.signature_record(event=ev, template=standard(), official=half, actor=alice)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(
            event=ev, actor=alice, link_url=lambda t: f"http://testserver/t/{t}/"
        )
    # then
    assert sent == 2
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([person.email, half.email])


def test_templates_are_unaffected_when_signing_fails_midway(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Signing two texts where the second is already signed leaves nothing half-written."""
    ev, person, link = _link(alice)
    services.signature_record(
        event=ev, template=standard("deklarasi-pemilu-damai"), official=person, actor=alice
    )
    invitation = services.invitation_get(token=link.token)
    with django_capture_on_commit_callbacks(execute=True):
        services.otp_send(invitation=invitation)
    code = _code_from_outbox()
    with pytest.raises(ApplicationError, match="sudah menandatangani"):
        services.signature_sign_online(
            invitation=invitation,
            code=code,
            templates=[standard(), standard("deklarasi-pemilu-damai")],
        )
    assert Signature.objects.count() == 1
    assert SigningInvitation.objects.get(pk=invitation.pk).completed_at is None
    assert PledgeTemplate.objects.filter(is_standard=True).count() == 3


def test_the_same_text_may_be_signed_again_for_another_election(alice: Any) -> None:
    from netral.elections.models import ElectionEvent

    ev, person = _event_with_participant(alice)
    services.signature_record(event=ev, template=standard(), official=person, actor=alice)
    pemilu = ElectionEvent.objects.create(
        name="Pemilu 2024",
        regime="PEMILU",
        campaign_start=dt.date(2023, 11, 28),
        campaign_end=dt.date(2024, 2, 10),
        voting_day=dt.date(2024, 2, 14),
    )
    other = event(election=pemilu, title="Deklarasi Pemilu")
    services.event_participant_rule_set(
        event=other,
        actor=alice,
        region=Region.objects.get(code="64.08.04"),
        subject_types=["KEPALA_DESA"],
    )
    services.signature_record(event=other, template=standard(), official=person, actor=alice)
    assert Signature.objects.filter(official=person).count() == 2


def test_the_event_qr_flow_keeps_one_live_invitation_per_official_and_event(alice: Any) -> None:
    """Issue 14 §17: scanning the QR code again reuses the live invitation (a fresh token,
    the old link dead, the code counters kept), and an officer's link joins it too."""
    ev, person = _event_with_participant(alice)
    first = services.invitation_from_qr(event=ev, identifier="197001011990011001")
    services.otp_send(invitation=first.invitation)
    links = [
        services.invitation_from_qr(event=ev, identifier="197001011990011001") for _ in range(5)
    ]
    links.append(services.invitation_create(event=ev, official=person, actor=alice))
    assert SigningInvitation.objects.filter(event=ev, official=person).count() == 1
    assert {link.invitation.pk for link in links} == {first.invitation.pk}
    assert services.invitation_get(token=links[-1].token).otp_sends == 1
    with pytest.raises(ApplicationError, match="tidak dikenal"):
        services.invitation_get(token=first.token)


def test_the_code_cap_holds_per_official_across_invitations(alice: Any) -> None:
    """Issue 14 §17: an invitation that expired and a new one from the QR code share the
    official's cap on one-time codes."""
    ev, person = _event_with_participant(alice)
    start = dt.datetime.now(dt.UTC)
    sends = 0
    with time_machine.travel(start, tick=False):
        link = services.invitation_from_qr(event=ev, identifier="197001011990011001")
        services.otp_send(invitation=link.invitation)
        sends += 1
    for i in range(1, otp.OTP_MAX_SENDS + 2):
        # each round comes after the previous QR invitation expired: a new one each time
        with time_machine.travel(start + dt.timedelta(minutes=31 * i), tick=False):
            link = services.invitation_from_qr(event=ev, identifier="197001011990011001")
            if sends < otp.OTP_MAX_SENDS:
                services.otp_send(invitation=link.invitation)
                sends += 1
            else:
                with pytest.raises(ApplicationError, match="Batas pengiriman"):
                    services.otp_send(invitation=link.invitation)
    assert SigningInvitation.objects.filter(event=ev, official=person).count() > 1
    total = sum(
        SigningInvitation.objects.filter(official=person).values_list("otp_sends", flat=True)
    )
    assert total == otp.OTP_MAX_SENDS
