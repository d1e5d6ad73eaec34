"""Issue 13 §1-7: signing time, texts, many signers, spoken pledges, joint declarations,
event facts and the event page at scale."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netral.audit.models import AuditEntry
from netral.core.errors import ApplicationError
from netral.declarations import certificates, selectors, services, signing
from netral.declarations.models import (
    Event,
    JointDeclaration,
    PledgeTemplate,
    Signature,
    SignatureMethod,
    SpokenPledge,
)
from netral.registry.models import Region
from tests.declarations.helpers import PDF_BYTES, PNG_BYTES, event, official, pilkada, standard

pytestmark = pytest.mark.django_db

WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def kutim(alice: Any) -> Event:
    ev = event(actor=alice)  # 2024-09-20 in Kab. Kutai Timur (WITA)
    for n, desa in enumerate(["64.08.04.2001", "64.08.04.2011", "64.08.04.2012"]):
        official(region=desa, name=f"Kades {n + 1}")
    official(region="64.08.01.2001", name="Kades Lain")
    services.event_participant_rule_set(
        event=ev,
        actor=alice,
        region=Region.objects.get(code="64.08"),
        subject_types=["KEPALA_DESA"],
    )
    return ev


def _people(ev: Event) -> list[Any]:
    return [p.official for p in selectors.event_participants(event=ev)]


# --- §1 signing time ------------------------------------------------------------------


def test_a_signature_recorded_later_gets_the_events_date_not_the_recording_time(
    alice: Any, kutim: Event
) -> None:
    sig = services.signature_record(
        event=kutim, template=standard(), official=_people(kutim)[0], actor=alice
    )
    assert sig.signed_at == dt.datetime(2024, 9, 20, 9, 0, tzinfo=WITA)  # default start 09:00
    assert sig.created_at.date() > dt.date(2025, 1, 1)  # recorded now
    entry = AuditEntry.objects.filter(action="signature.created").latest("id")
    assert entry.after["signed_at"] == "2024-09-20T01:00:00Z"
    assert entry.created_at >= sig.created_at  # the recording time stays in the trail
    assert signing.verification_status(sig) == "VALID"


def test_the_event_start_time_and_an_explicit_time_are_used(alice: Any, kutim: Event) -> None:
    Event.objects.filter(pk=kutim.pk).update(start_time=dt.time(13, 30))
    kutim.refresh_from_db()
    first, second = _people(kutim)[:2]
    sig = services.signature_record(event=kutim, template=standard(), official=first, actor=alice)
    assert sig.signed_at == dt.datetime(2024, 9, 20, 13, 30, tzinfo=WITA)
    at = dt.datetime(2024, 9, 21, 10, 15, tzinfo=WITA)
    sig2 = services.signature_record(
        event=kutim, template=standard(), official=second, actor=alice, signed_at=at
    )
    assert sig2.signed_at == at


def test_a_signing_time_before_the_event_or_in_the_future_is_refused(
    alice: Any, kutim: Event
) -> None:
    person = _people(kutim)[0]
    with pytest.raises(ApplicationError, match="sebelum tanggal kegiatan"):
        services.signature_record(
            event=kutim,
            template=standard(),
            official=person,
            actor=alice,
            signed_at=dt.datetime(2024, 9, 19, 23, 0, tzinfo=WITA),
        )
    with pytest.raises(ApplicationError, match="masa depan"):
        services.signature_institutional(
            event=kutim,
            template=standard(),
            actor=alice,
            name="Bupati",
            title="Bupati",
            institution="Pemkab",
            signed_at=dt.datetime(2099, 1, 1, tzinfo=WITA),
        )
    assert not Signature.objects.exists()


def test_period_counts_and_pages_use_the_signing_date(
    alice: Any, alice_client: Client, kutim: Event
) -> None:
    from netral.dashboards.forms import DashboardFilters
    from netral.dashboards.selectors import signatures_in_scope

    sig = services.signature_institutional(
        event=kutim,
        template=standard(),
        actor=alice,
        name="Bupati",
        title="Bupati",
        institution="Pemkab",
    )
    in_2024 = DashboardFilters(
        region_code="64.08",
        event=None,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
    )
    this_year = DashboardFilters(
        region_code="64.08",
        event=None,
        date_from=timezone.localdate().replace(month=1, day=1),
        date_to=None,
    )
    assert signatures_in_scope(user=alice, filters=in_2024).count() == 1
    assert signatures_in_scope(user=alice, filters=this_year).count() == 0
    verify = alice_client.get(reverse("declarations:verify", args=[sig.code])).content.decode()
    assert "2024-09-20" in verify
    pdf = certificates.certificate_for(signature=sig, verify_url=lambda c: f"https://x/{c}")
    assert pdf.startswith(b"%PDF")
    fields = certificates._fields(sig, lambda c: c)
    assert fields.signed_at == "2024-09-20 01:00:00 UTC"


# --- §2 texts ---------------------------------------------------------------------------


def test_a_text_is_written_from_scratch_with_kind_election_regime_and_audience(
    alice_client: Client,
) -> None:
    response = alice_client.post(
        reverse("declarations:template_create"),
        {
            "kind": "PAKTA_INTEGRITAS",
            "title": "Fakta Integritas Kepala Desa",
            "points": "Netral.\nTidak memihak.",
            "region": "64.08",
            "regime": "PILKADA",
            "election_event": pilkada().pk,
            "subject_types": ["KEPALA_DESA", "ANGGOTA_BPD"],
        },
    )
    assert response.status_code == 302
    text = PledgeTemplate.objects.get(title="Fakta Integritas Kepala Desa")
    assert (text.kind, text.regime, text.election_event, text.subject_types) == (
        "PAKTA_INTEGRITAS",
        "PILKADA",
        pilkada(),
        ["KEPALA_DESA", "ANGGOTA_BPD"],
    )
    page = alice_client.get(
        reverse("declarations:template_detail", args=[text.pk])
    ).content.decode()
    assert "Kepala desa, Anggota BPD" in page
    assert "KEPALA_DESA" not in page


def test_the_kind_chosen_in_the_edit_form_reaches_the_certificate(
    alice: Any, alice_client: Client
) -> None:
    copy = services.pledge_template_copy(
        template=standard(), region=Region.objects.get(code="64.08"), actor=alice
    )
    response = alice_client.post(
        reverse("declarations:template_edit", args=[copy.pk]),
        {
            "kind": "PAKTA_INTEGRITAS",
            "title": "Fakta Integritas",
            "points": "Satu\nDua",
            "regime": "",
            "subject_types": ["KEPALA_DESA"],
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.kind == "PAKTA_INTEGRITAS"
    assert copy.subject_types == ["KEPALA_DESA"]
    ev = event(pledges=[copy], actor=alice)
    sig = services.signature_institutional(
        event=ev, template=copy, actor=alice, name="Bupati", title="Bupati", institution="Pemkab"
    )
    html = certificates._template_html(sig)
    assert "Pakta/fakta integritas" in html
    assert "Ikrar netralitas" not in html


# --- §3 many signers ------------------------------------------------------------------


def test_tick_the_selected_with_one_sheet_for_the_batch(
    alice: Any, alice_client: Client, kutim: Event
) -> None:
    a, b, c, _d = _people(kutim)
    services.signature_record(event=kutim, template=standard(), official=a, actor=alice)
    response = alice_client.post(
        reverse("declarations:checklist_batch", args=[kutim.pk]),
        {
            "action": "sign_selected",
            "officials": [a.pk, b.pk],
            "templates": [standard().pk],
            "signed_at": "2024-09-20T14:00",
            "sheet": SimpleUploadedFile("lembar.pdf", PDF_BYTES + b"% lembar desa 1-2\n"),
            "sheet_caption": "Lembar Desa 1-2",
        },
    )
    assert response.status_code == 302
    b_sig = Signature.objects.get(official=b)
    assert b_sig.signed_at == dt.datetime(2024, 9, 20, 14, 0, tzinfo=WITA)
    assert b_sig.evidence is not None
    assert b_sig.evidence.caption == "Lembar Desa 1-2"
    assert not Signature.objects.filter(official=c).exists()
    assert Signature.objects.filter(official=a).count() == 1  # skipped, not doubled


def test_tick_all_of_one_desa(alice: Any, alice_client: Client, kutim: Event) -> None:
    response = alice_client.post(
        reverse("declarations:checklist_batch", args=[kutim.pk]),
        {"action": "sign_all", "wilayah": "64.08.04", "templates": [standard().pk]},
    )
    assert response.status_code == 302
    assert sorted(Signature.objects.values_list("official__region_id", flat=True)) == [
        "64.08.04.2001",
        "64.08.04.2011",
        "64.08.04.2012",
    ]
    assert kutim.participants.filter(present=True).count() == 3


def test_a_batch_with_a_bad_sheet_saves_nothing(alice_client: Client, kutim: Event) -> None:
    response = alice_client.post(
        reverse("declarations:checklist_batch", args=[kutim.pk]),
        {
            "action": "sign_all",
            "templates": [standard().pk],
            "sheet": SimpleUploadedFile("lembar.pdf", b"not a pdf at all"),
        },
        follow=True,
    )
    assert "bukan" in response.content.decode()
    assert not Signature.objects.exists()
    assert not kutim.documents.exists()


def test_the_checklist_filters_by_desa_and_shows_names(alice_client: Client, kutim: Event) -> None:
    page = alice_client.get(
        reverse("declarations:event_checklist", args=[kutim.pk]), {"wilayah": "64.08.01"}
    ).content.decode()
    assert "Kades Lain" in page
    assert "Kades 1" not in page
    assert 'data-testid="sign-all"' in page


# --- §4 spoken pledges ----------------------------------------------------------------


def test_a_spoken_pledge_needs_evidence_and_counts_as_spoken_for_those_present(
    alice: Any, kutim: Event
) -> None:
    people = _people(kutim)
    photo = services.event_document_upload(
        event=kutim, actor=alice, kind="PHOTO", data=PNG_BYTES + b"spoken"
    )
    with pytest.raises(ApplicationError, match="Bukti"):
        services.spoken_pledge_record(event=kutim, template=standard(), actor=alice, evidence=[])
    services.participants_mark_present(event=kutim, officials=people[:2], actor=alice)
    services.signature_record(event=kutim, template=standard(), official=people[2], actor=alice)
    spoken = services.spoken_pledge_record(
        event=kutim, template=standard(), actor=alice, evidence=[photo], led_by="Ketua APDESI"
    )
    assert spoken.present_count == 3  # the signer was marked present too
    cov = selectors.coverage(region=Region.objects.get(code="64.08"), election_event=pilkada())
    assert cov["desa"]["signed"] == 1
    assert cov["desa"]["spoken"] == 2
    assert cov["desa"]["share"] == round(3 / 139, 4)
    with pytest.raises(ApplicationError, match="sudah dicatat"):
        services.spoken_pledge_record(
            event=kutim, template=standard(), actor=alice, evidence=[photo]
        )


def test_a_spoken_pledge_through_the_page_with_a_video(alice_client: Client, kutim: Event) -> None:
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    response = alice_client.post(
        reverse("declarations:event_spoken", args=[kutim.pk]),
        {
            "template": standard().pk,
            "spoken_at": "2024-09-20T15:00",
            "led_by": "Ketua APDESI",
            "file": SimpleUploadedFile("ikrar.mp4", video),
            "file_kind": "VIDEO",
        },
    )
    assert response.status_code == 302
    spoken = SpokenPledge.objects.get()
    assert spoken.evidence.get().content_type == "video/mp4"
    assert spoken.spoken_at == dt.datetime(2024, 9, 20, 15, 0, tzinfo=WITA)
    page = alice_client.get(reverse("declarations:event_detail", args=[kutim.pk])).content.decode()
    assert "diucapkan" in page
    assert "Ketua APDESI" in page


# --- §5 joint declarations ------------------------------------------------------------


def test_a_joint_declaration_lists_every_institutional_signatory_and_verifies(
    alice: Any, client: Client, kutim: Event
) -> None:
    for name, inst in [("Bupati Kutim", "Pemkab Kutim"), ("Kapolres", "Polres Kutim")]:
        services.signature_institutional(
            event=kutim,
            template=standard(),
            actor=alice,
            name=name,
            title="Ketua",
            institution=inst,
        )
    joint = services.joint_declaration_issue(event=kutim, template=standard(), actor=alice)
    assert [s["name"] for s in joint.record["signatories"]] == ["Bupati Kutim", "Kapolres"]
    page = client.get(reverse("declarations:verify_joint", args=[joint.code])).content.decode()
    assert "VALID" in page
    assert "Kapolres" in page
    pdf = client.get(reverse("declarations:verify_joint_pdf", args=[joint.code]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # a newer issue makes the old one not current; tampering makes it INVALID
    newer = services.joint_declaration_issue(event=kutim, template=standard(), actor=alice)
    assert not selectors.joint_verify(code=joint.code).current
    assert selectors.joint_verify(code=newer.code).current
    record = dict(newer.record)
    record["signatories"] = record["signatories"][:1]
    JointDeclaration.objects.filter(pk=newer.pk).update(record=record)
    assert selectors.joint_verify(code=newer.code).status == "INVALID"


def test_the_same_institutional_signatory_cannot_sign_a_text_twice_at_one_event(
    alice: Any, kutim: Event
) -> None:
    services.signature_institutional(
        event=kutim,
        template=standard(),
        actor=alice,
        name="Bupati  Kutim",
        title="Bupati",
        institution="Pemkab",
    )
    with pytest.raises(ApplicationError, match="sudah menandatangani"):
        services.signature_institutional(
            event=kutim,
            template=standard(),
            actor=alice,
            name="bupati kutim",
            title="Bupati",
            institution=" PEMKAB ",
        )
    assert Signature.objects.filter(method=SignatureMethod.INSTITUTIONAL).count() == 1


def test_the_database_refuses_a_duplicate_institutional_signature(alice: Any, kutim: Event) -> None:
    from django.db import IntegrityError, transaction

    sig = services.signature_institutional(
        event=kutim,
        template=standard(),
        actor=alice,
        name="Bupati",
        title="Bupati",
        institution="Pemkab",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            **{
                f.attname: getattr(sig, f.attname)
                for f in Signature._meta.concrete_fields
                if f.attname not in ("id", "code")
            }
            | {"signer_name": "BUPATI"}
        )


# --- §6 event facts ---------------------------------------------------------------------


def test_event_facts_are_edited_after_the_event(alice_client: Client, kutim: Event) -> None:
    response = alice_client.post(
        reverse("declarations:event_facts", args=[kutim.pk]),
        {
            "theme": "Netralitas kepala desa",
            "opened_by": "Penjabat Bupati",
            "attendance_total": "215",
            "villages_represented": "139",
            "start_time": "13:00",
            "venue": "Hotel Victoria",
        },
    )
    assert response.status_code == 302
    kutim.refresh_from_db()
    assert (kutim.attendance_total, kutim.villages_represented) == (215, 139)
    assert services.signing_time_default(kutim) == dt.datetime(2024, 9, 20, 13, 0, tzinfo=WITA)
    bad = alice_client.post(
        reverse("declarations:event_facts", args=[kutim.pk]),
        {"attendance_total": "-3"},
        follow=True,
    )
    assert "Jumlah hadir" in bad.content.decode()
    kutim.refresh_from_db()
    assert kutim.attendance_total == 215


def test_a_speaker_row_is_added_with_position_and_removed(
    alice: Any, alice_client: Client, kutim: Event
) -> None:
    alice_client.post(
        reverse("declarations:event_speaker_add", args=[kutim.pk]),
        {"name": "Andi", "position": "Kasat Reskrim", "institution": "Polres", "topic": "Pidana"},
    )
    speaker = kutim.speakers.get()
    assert speaker.position == "Kasat Reskrim"
    alice_client.post(reverse("declarations:event_speaker_remove", args=[kutim.pk, speaker.pk]))
    assert not kutim.speakers.exists()


# --- §7 pages at scale ----------------------------------------------------------------


def test_the_event_page_shows_one_page_of_signatures_with_bounded_queries(
    alice: Any, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    ev = event(actor=alice)
    for n in range(120):
        services.signature_institutional(
            event=ev,
            template=standard(),
            actor=alice,
            name=f"Wakil {n:03d}",
            title="Wakil",
            institution="Lembaga",
        )
    with django_assert_max_num_queries(40):
        page = alice_client.get(reverse("declarations:event_detail", args=[ev.pk]))
    html = page.content.decode()
    assert html.count("Wakil 0") == 50
    assert "Halaman 1 dari 3" in html
    last = alice_client.get(reverse("declarations:event_detail", args=[ev.pk]), {"page": 3})
    assert last.content.decode().count(">Wakil ") == 20


def test_the_write_forms_load_on_demand(alice_client: Client, client: Client, kutim: Event) -> None:
    page = alice_client.get(reverse("declarations:event_detail", args=[kutim.pk])).content.decode()
    url = reverse("declarations:event_form", args=[kutim.pk, "institutional"])
    assert url in page
    assert 'name="institution"' not in page
    fragment = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="institution"' in fragment
    assert "<html" not in fragment
    assert 'value="2024-09-20T09:00"' in fragment  # the event's date, local time
    assert "<html" in alice_client.get(url).content.decode()  # without JavaScript: a page
    assert (
        alice_client.get(reverse("declarations:event_form", args=[kutim.pk, "x"])).status_code
        == 404
    )
