"""Writes for declarations: templates, events, signatures, online signing (DOMAIN.md §9).

Every function here changes state inside one transaction and appends to the audit chain
(audit_record). A signature is sealed (netral.core.sealing) over its canonical record
(signing.canonical_record) in the same transaction that stores it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.core import sealing
from netral.core.errors import ApplicationError
from netral.declarations import otp, signing, uploads
from netral.declarations.models import (
    DocumentKind,
    Event,
    EventDocument,
    EventParticipant,
    EventSpeaker,
    PledgeKind,
    PledgeTemplate,
    Signature,
    SignatureMethod,
    SigningInvitation,
)
from netral.registry.models import Official, Region, SubjectType
from netral.registry.selectors import region_subtree_q

if TYPE_CHECKING:
    from netral.accounts.models import User
    from netral.elections.models import ElectionEvent

INVITATION_DAYS = 14
QR_INVITATION_MINUTES = 30


# --- pledge templates ----------------------------------------------------------------


def _clean_points(points: Sequence[str]) -> list[str]:
    cleaned = [p.strip() for p in points if p and p.strip()]
    if not cleaned:
        raise ApplicationError(_("Butir: naskah harus memuat sedikitnya satu butir."))
    return cleaned


def _clean_subject_types(values: Iterable[str]) -> list[str]:
    result = []
    for value in values:
        if value not in SubjectType.values:
            raise ApplicationError(_("Jenis subjek tidak dikenal: %(v)s") % {"v": value})
        result.append(value)
    return result


def _template_state(template: PledgeTemplate) -> dict[str, Any]:
    return {
        **template.snapshot(),
        "region": template.region_id,
        "subject_types": template.subject_types,
        "regime": template.regime,
        "election_event": template.election_event_id,
    }


@transaction.atomic
def pledge_template_create(
    *,
    actor: User | None,
    kind: str,
    title: str,
    points: Sequence[str],
    region: Region | None,
    preamble: str = "",
    closing: str = "",
    regime: str = "",
    election_event: ElectionEvent | None = None,
    subject_types: Iterable[str] = (),
) -> PledgeTemplate:
    if kind not in PledgeKind.values:
        raise ApplicationError(_("Jenis naskah tidak dikenal."))
    if not title.strip():
        raise ApplicationError(_("Judul: wajib diisi."))
    template = PledgeTemplate.objects.create(
        kind=kind,
        title=title.strip(),
        points=_clean_points(points),
        preamble=preamble.strip(),
        closing=closing.strip(),
        regime=regime,
        election_event=election_event,
        subject_types=_clean_subject_types(subject_types),
        region=region,
        created_by=actor,
    )
    audit_record(
        obj=template,
        action="pledge_template.created",
        actor=actor,
        after=_template_state(template),
        region_code=template.region_id,
    )
    return template


@transaction.atomic
def pledge_template_copy(
    *, template: PledgeTemplate, region: Region, actor: User | None
) -> PledgeTemplate:
    """A region's own editable copy of a (standard) text: a new text, version 1."""
    copy = PledgeTemplate.objects.create(
        kind=template.kind,
        title=template.title,
        preamble=template.preamble,
        points=list(template.points),
        closing=template.closing,
        regime=template.regime,
        election_event=template.election_event,
        subject_types=list(template.subject_types),
        region=region,
        copied_from=template,
        created_by=actor,
    )
    audit_record(
        obj=copy,
        action="pledge_template.copied",
        actor=actor,
        after={**_template_state(copy), "copied_from": template.pk},
        region_code=region.code,
    )
    return copy


@transaction.atomic
def pledge_template_update(
    *,
    template: PledgeTemplate,
    actor: User | None,
    title: str,
    points: Sequence[str],
    preamble: str = "",
    closing: str = "",
) -> PledgeTemplate:
    """Edit a text. A version already signed never changes: the edit becomes the next
    version of the same text (same family), and events keep pointing at what they chose."""
    if template.is_standard:
        raise ApplicationError(_("Naskah standar tidak dapat diubah; salin dulu ke wilayah."))
    if not title.strip():
        raise ApplicationError(_("Judul: wajib diisi."))
    locked = PledgeTemplate.objects.select_for_update().get(pk=template.pk)
    before = _template_state(locked)
    values = {
        "title": title.strip(),
        "points": _clean_points(points),
        "preamble": preamble.strip(),
        "closing": closing.strip(),
    }
    if Signature.objects.filter(template=locked).exists():
        latest = (
            PledgeTemplate.objects.filter(family=locked.family)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        ) or 0
        new = PledgeTemplate.objects.create(
            family=locked.family,
            version=latest + 1,
            kind=locked.kind,
            regime=locked.regime,
            election_event=locked.election_event,
            subject_types=list(locked.subject_types),
            region=locked.region,
            copied_from=locked.copied_from,
            created_by=actor,
            **values,
        )
        audit_record(
            obj=new,
            action="pledge_template.new_version",
            actor=actor,
            before=before,
            after=_template_state(new),
            region_code=new.region_id,
        )
        return new
    for field, value in values.items():
        setattr(locked, field, value)
    locked.save(update_fields=[*values, "updated_at"])
    audit_record(
        obj=locked,
        action="pledge_template.updated",
        actor=actor,
        before=before,
        after=_template_state(locked),
        region_code=locked.region_id,
    )
    return locked


# --- events --------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerIn:
    name: str
    institution: str
    topic: str = ""


def _event_state(event: Event) -> dict[str, Any]:
    return {
        "title": event.title,
        "kinds": event.kinds,
        "date": event.date.isoformat(),
        "region": event.region_id,
        "venue": event.venue,
        "organiser": event.organiser,
        "election_event": event.election_event_id,
        "materials": event.materials,
        "basis": event.basis,
        "witnesses": event.witnesses,
        "pledges": sorted(event.pledges.values_list("pk", flat=True)) if event.pk else [],
    }


@transaction.atomic
def event_create(
    *,
    actor: User | None,
    title: str,
    kinds: Iterable[str],
    date: dt.date,
    region: Region,
    organiser: str,
    venue: str = "",
    election_event: ElectionEvent | None = None,
    materials: str = "",
    basis: str = "",
    witnesses: str = "",
    speakers: Sequence[SpeakerIn] = (),
    pledges: Sequence[PledgeTemplate] = (),
) -> Event:
    kinds = set(kinds)
    unknown = kinds - {"SOSIALISASI", "DEKLARASI", "APEL", "RAKOR"}
    if unknown or not kinds:
        raise ApplicationError(
            _(
                "Jenis kegiatan: pilih sedikitnya satu dari sosialisasi, "
                "deklarasi, apel atau rapat koordinasi."
            )
        )
    if not title.strip():
        raise ApplicationError(_("Nama kegiatan: wajib diisi."))
    if not organiser.strip():
        raise ApplicationError(_("Penyelenggara: wajib diisi."))
    event = Event.objects.create(
        title=title.strip(),
        date=date,
        region=region,
        venue=venue.strip(),
        organiser=organiser.strip(),
        election_event=election_event,
        materials=materials,
        basis=basis,
        witnesses=witnesses,
        created_by=actor,
        is_sosialisasi="SOSIALISASI" in kinds,
        is_deklarasi="DEKLARASI" in kinds,
        is_apel="APEL" in kinds,
        is_rakor="RAKOR" in kinds,
    )
    for order, speaker in enumerate(speakers):
        EventSpeaker.objects.create(
            event=event,
            name=speaker.name.strip(),
            institution=speaker.institution.strip(),
            topic=speaker.topic.strip(),
            order=order,
        )
    event.pledges.set(pledges)
    audit_record(
        obj=event,
        action="event.created",
        actor=actor,
        after={**_event_state(event), "speakers": [[s.name, s.institution] for s in speakers]},
        region_code=region.code,
    )
    return event


@transaction.atomic
def event_speaker_add(*, event: Event, actor: User | None, speaker: SpeakerIn) -> EventSpeaker:
    if not speaker.name.strip() or not speaker.institution.strip():
        raise ApplicationError(_("Narasumber: nama dan instansi wajib diisi."))
    order = event.speakers.count()
    row = EventSpeaker.objects.create(
        event=event,
        name=speaker.name.strip(),
        institution=speaker.institution.strip(),
        topic=speaker.topic.strip(),
        order=order,
    )
    audit_record(
        obj=event,
        action="event.speaker_added",
        actor=actor,
        after={"name": row.name, "institution": row.institution},
        region_code=event.region_id,
    )
    return row


@transaction.atomic
def event_pledges_set(
    *, event: Event, actor: User | None, pledges: Sequence[PledgeTemplate]
) -> None:
    before = sorted(event.pledges.values_list("pk", flat=True))
    event.pledges.set(pledges)
    audit_record(
        obj=event,
        action="event.pledges_set",
        actor=actor,
        before={"pledges": before},
        after={"pledges": sorted(p.pk for p in pledges)},
        region_code=event.region_id,
    )


def participant_rule_queryset(rule: dict[str, Any]) -> QuerySet[Official]:
    """Officials matched by a saved rule: active, of the listed types, in the region subtree."""
    return Official.objects.filter(
        region_subtree_q(rule["region"]),
        is_active=True,
        subject_type__in=rule["subject_types"],
    )


@transaction.atomic
def event_participant_rule_set(
    *, event: Event, actor: User | None, region: Region, subject_types: Iterable[str]
) -> int:
    """Save the rule and materialise it into the checklist; returns the number added.

    Rows already on the checklist stay (with their attendance), so re-running after the
    registry grows only adds the newcomers."""
    types = _clean_subject_types(subject_types)
    if not types:
        raise ApplicationError(_("Peserta: pilih sedikitnya satu jenis subjek."))
    if not (
        region.code == event.region_id
        or region.code.startswith(event.region_id + ".")
        or event.region_id.startswith(region.code + ".")
    ):
        raise ApplicationError(_("Wilayah peserta harus berada dalam wilayah kegiatan."))
    rule = {"region": region.code, "subject_types": types}
    before = dict(event.participant_rule)
    event.participant_rule = rule
    event.save(update_fields=["participant_rule", "updated_at"])
    existing = set(event.participants.values_list("official_id", flat=True))
    new_ids = [
        pk
        for pk in participant_rule_queryset(rule).values_list("pk", flat=True)
        if pk not in existing
    ]
    EventParticipant.objects.bulk_create(
        [EventParticipant(event=event, official_id=pk) for pk in new_ids], batch_size=500
    )
    audit_record(
        obj=event,
        action="event.participants_materialised",
        actor=actor,
        before={"rule": before},
        after={"rule": rule, "added": len(new_ids)},
        region_code=event.region_id,
    )
    return len(new_ids)


@transaction.atomic
def event_attendance_set(*, event: Event, actor: User | None, counts: dict[str, int]) -> None:
    cleaned: dict[str, int] = {}
    for key, value in counts.items():
        if key not in SubjectType.values:
            raise ApplicationError(_("Jenis subjek tidak dikenal: %(v)s") % {"v": key})
        if value < 0:
            raise ApplicationError(_("Kehadiran %(v)s: jumlah tidak boleh negatif.") % {"v": key})
        if value:
            cleaned[key] = int(value)
    before = dict(event.attendance)
    event.attendance = cleaned
    event.save(update_fields=["attendance", "updated_at"])
    audit_record(
        obj=event,
        action="event.attendance_set",
        actor=actor,
        before=before,
        after=cleaned,
        region_code=event.region_id,
    )


_ALLOWED_BY_KIND = {
    DocumentKind.PHOTO: uploads.IMAGES,
    DocumentKind.DOCUMENT: uploads.PDF_OR_IMAGE,
    DocumentKind.SIGNED_SHEET: uploads.PDF_OR_IMAGE,
}


@transaction.atomic
def event_document_upload(
    *,
    event: Event,
    actor: User | None,
    kind: str,
    data: bytes,
    caption: str = "",
    link_unevidenced: bool = False,
) -> EventDocument:
    """Store a photo, a document or a scanned signature sheet, checked by content.

    With `link_unevidenced`, a signature sheet becomes the evidence of every signature
    recorded by an officer at this event that has none yet."""
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Jenis dokumentasi tidak dikenal."))
    sniffed = uploads.check_upload(
        data, allowed=_ALLOWED_BY_KIND[DocumentKind(kind)], field=str(DocumentKind(kind).label)
    )
    content_type = sniffed.content_type
    digest = hashlib.sha256(data).hexdigest()
    document = EventDocument(
        event=event,
        kind=kind,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        caption=caption.strip(),
        uploaded_by=actor,
    )
    document.file.save(f"{digest[:24]}{sniffed.extension}", ContentFile(data), save=False)
    document.save()
    linked = 0
    if link_unevidenced and kind == DocumentKind.SIGNED_SHEET:
        linked = Signature.objects.filter(
            event=event,
            method=SignatureMethod.RECORDED_BY_OFFICER,
            evidence__isnull=True,
        ).update(evidence=document)
    audit_record(
        obj=event,
        action="event.document_uploaded",
        actor=actor,
        after={
            "document": document.pk,
            "kind": kind,
            "sha256": digest,
            "content_type": content_type,
            "linked_signatures": linked,
        },
        region_code=event.region_id,
    )
    return document


# --- signatures ----------------------------------------------------------------------


def _event_snapshot(event: Event) -> dict[str, Any]:
    return {
        "code": str(event.code),
        "title": event.title,
        "date": event.date.isoformat(),
        "venue": event.venue,
        "region": event.region_id,
        "organiser": event.organiser,
    }


def _official_line(official: Official) -> tuple[str, str]:
    title = official.position or str(SubjectType(official.subject_type).label)
    institution = official.agency.name if official.agency else ""
    return title, institution


def _signature_create(
    *,
    event: Event,
    template: PledgeTemplate,
    method: str,
    actor: User | None,
    official: Official | None = None,
    signer_name: str = "",
    signer_title: str = "",
    signer_institution: str = "",
    evidence: EventDocument | None = None,
    signed_at: dt.datetime | None = None,
) -> Signature:
    if not event.pledges.filter(pk=template.pk).exists():
        raise ApplicationError(_("Naskah ini tidak ditandatangani pada kegiatan ini."))
    if official is not None:
        signer_name = official.name
        signer_title, signer_institution = _official_line(official)
        if Signature.objects.filter(
            template=template,
            official=official,
            election_event=event.election_event,
            revoked_at__isnull=True,
        ).exists():
            raise ApplicationError(
                _('%(name)s sudah menandatangani naskah "%(title)s".')
                % {"name": official.name, "title": template.title}
            )
    if not signer_name.strip():
        raise ApplicationError(_("Nama penanda tangan: wajib diisi."))
    signature = Signature(
        event=event,
        template=template,
        official=official,
        method=method,
        election_event=event.election_event,
        pledge_snapshot=template.snapshot(),
        event_snapshot=_event_snapshot(event),
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        signer_institution=signer_institution.strip(),
        subject_type=official.subject_type if official else "",
        evidence=evidence,
        recorded_by=actor,
        signed_at=(signed_at or timezone.now()).replace(microsecond=0),
    )
    stored = sealing.seal(signing.record_of(signature))
    signature.seal_key_id = stored.key_id
    signature.seal_signature = stored.signature
    signature.seal_digest = stored.digest
    signature.seal_algorithm = stored.algorithm
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
    except IntegrityError as exc:  # the partial unique constraint, under a race
        raise ApplicationError(_("Naskah ini sudah ditandatangani oleh orang yang sama.")) from exc
    audit_record(
        obj=signature,
        action="signature.created",
        actor=actor,
        after={
            "event": event.pk,
            "template": template.pk,
            "official": official and official.pk,
            "method": method,
            "digest": stored.digest,
            "key_id": stored.key_id,
            "code": str(signature.code),
        },
        region_code=event.region_id,
    )
    return signature


@transaction.atomic
def signature_record(
    *,
    event: Event,
    template: PledgeTemplate,
    official: Official,
    actor: User | None,
    evidence: EventDocument | None = None,
    signed_at: dt.datetime | None = None,
) -> Signature:
    """(a) An officer records that an expected participant signed the paper sheet."""
    participant = EventParticipant.objects.filter(event=event, official=official).first()
    if participant is None:
        raise ApplicationError(
            _("%(name)s tidak ada dalam daftar peserta kegiatan ini.") % {"name": official.name}
        )
    if evidence is not None and evidence.event_id != event.pk:
        raise ApplicationError(_("Bukti lembar tanda tangan berasal dari kegiatan lain."))
    signature = _signature_create(
        event=event,
        template=template,
        official=official,
        method=SignatureMethod.RECORDED_BY_OFFICER,
        actor=actor,
        evidence=evidence,
        signed_at=signed_at,
    )
    if not participant.present:
        EventParticipant.objects.filter(pk=participant.pk).update(present=True)
    return signature


@transaction.atomic
def signature_institutional(
    *,
    event: Event,
    template: PledgeTemplate,
    actor: User | None,
    name: str,
    title: str,
    institution: str,
    evidence: EventDocument | None = None,
    signed_at: dt.datetime | None = None,
) -> Signature:
    """(c) A regent, police chief, etc. signing on behalf of an institution."""
    if not institution.strip():
        raise ApplicationError(_("Instansi: wajib diisi untuk penandatangan kelembagaan."))
    if Signature.objects.filter(
        event=event,
        template=template,
        official__isnull=True,
        signer_name__iexact=name.strip(),
        signer_institution__iexact=institution.strip(),
        revoked_at__isnull=True,
    ).exists():
        raise ApplicationError(
            _("%(name)s (%(inst)s) sudah menandatangani naskah ini.")
            % {"name": name.strip(), "inst": institution.strip()}
        )
    return _signature_create(
        event=event,
        template=template,
        actor=actor,
        method=SignatureMethod.INSTITUTIONAL,
        signer_name=name,
        signer_title=title,
        signer_institution=institution,
        evidence=evidence,
        signed_at=signed_at,
    )


@transaction.atomic
def signature_revoke(*, signature: Signature, actor: User | None, reason: str) -> Signature:
    """Revocation keeps the row and its seal; the verification page then says REVOKED."""
    if not reason.strip():
        raise ApplicationError(_("Alasan pencabutan: wajib diisi."))
    updated = Signature.objects.filter(pk=signature.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revocation_reason=reason.strip()
    )
    if updated != 1:
        raise ApplicationError(_("Tanda tangan ini sudah dicabut."))
    signature.refresh_from_db()
    audit_record(
        obj=signature,
        action="signature.revoked",
        actor=actor,
        after={"reason": signature.revocation_reason},
        region_code=signature.event.region_id,
    )
    return signature


# --- online signing (b) --------------------------------------------------------------


@dataclass(frozen=True)
class InvitationLink:
    invitation: SigningInvitation
    token: str  # shown once (in the email / redirect); only its hash is stored


def _invitation_new(
    *, event: Event, official: Official, via: str, expires_at: dt.datetime
) -> InvitationLink:
    """Issue a link to the ONE live invitation of (event, official) (issue 14 §17).

    If a live one exists (not completed, not expired) it gets a fresh token (the old link
    stops working) and keeps its one-time-code counters, so scanning the event QR code again
    and again cannot multiply the codes sent to the official or the guesses at them; only
    otherwise is a new invitation created. The participant row is locked first so parallel
    requests for the same official queue here instead of each creating one."""
    EventParticipant.objects.select_for_update().filter(event=event, official=official).first()
    token = secrets.token_urlsafe(32)
    live = (
        SigningInvitation.objects.select_for_update()
        .filter(
            event=event,
            official=official,
            completed_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )
    if live is not None:
        live.token_hash = otp.token_hash(token)
        live.expires_at = max(live.expires_at, expires_at)
        live.save(update_fields=["token_hash", "expires_at", "updated_at"])
        return InvitationLink(live, token)
    invitation = SigningInvitation.objects.create(
        token_hash=otp.token_hash(token),
        event=event,
        official=official,
        via=via,
        expires_at=expires_at,
    )
    return InvitationLink(invitation, token)


@transaction.atomic
def invitation_create(*, event: Event, official: Official, actor: User | None) -> InvitationLink:
    """A personal signing link for one expected participant."""
    if not EventParticipant.objects.filter(event=event, official=official).exists():
        raise ApplicationError(
            _("%(name)s tidak ada dalam daftar peserta kegiatan ini.") % {"name": official.name}
        )
    link = _invitation_new(
        event=event,
        official=official,
        via=SigningInvitation.Via.LINK,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        obj=event,
        action="invitation.created",
        actor=actor,
        after={"official": official.pk, "invitation": link.invitation.pk},
        region_code=event.region_id,
    )
    return link


@transaction.atomic
def invitations_send(*, event: Event, actor: User | None, link_url: Any) -> int:
    """Email a personal link to every expected participant with an email who has not
    signed every text yet. `link_url(token)` builds the absolute URL. Returns the count."""
    from django.core.mail import send_mail

    pledge_ids = set(event.pledges.values_list("pk", flat=True))
    participants = (
        EventParticipant.objects.filter(event=event)
        .exclude(official__email="")
        .select_related("official")
    )
    signed: dict[int, set[int]] = {}
    for official_id, template_id in Signature.objects.filter(
        official__event_participations__event=event,
        template_id__in=pledge_ids,
        election_event=event.election_event,
        revoked_at__isnull=True,
    ).values_list("official_id", "template_id"):
        signed.setdefault(official_id, set()).add(template_id)
    sent = 0
    for participant in participants:
        official = participant.official
        if pledge_ids <= signed.get(official.pk, set()):
            continue
        link = invitation_create(event=event, official=official, actor=actor)
        url = link_url(link.token)
        subject = _("Undangan menandatangani naskah: %(event)s") % {"event": event.title}
        message = _(
            "Silakan buka tautan pribadi berikut untuk menandatangani naskah secara daring: %(url)s"
        ) % {"url": url}
        transaction.on_commit(partial(send_mail, subject, message, None, [official.email]))
        sent += 1
    return sent


def invitation_get(*, token: str) -> SigningInvitation:
    """The live invitation for a URL token, or an ApplicationError (unknown or expired)."""
    invitation = (
        SigningInvitation.objects.select_related("event", "official")
        .filter(token_hash=otp.token_hash(token))
        .first()
    )
    if invitation is None:
        raise ApplicationError(_("Tautan penandatanganan tidak dikenal."))
    if invitation.expires_at <= timezone.now():
        raise ApplicationError(
            _("Tautan penandatanganan sudah kedaluwarsa. Mintalah tautan baru kepada petugas.")
        )
    if not invitation.event.online_signing_open:
        raise ApplicationError(_("Penandatanganan daring untuk kegiatan ini sudah ditutup."))
    return invitation


@transaction.atomic
def invitation_from_qr(*, event: Event, identifier: str) -> InvitationLink:
    """The event QR code flow: an expected participant identifies by NIP, NI PPPK, NIK or
    NRP and gets a short-lived personal link (the OTP then goes to the registered contact)."""
    from django.db.models import Q

    if not event.online_signing_open:
        raise ApplicationError(_("Penandatanganan daring untuk kegiatan ini sudah ditutup."))
    ident = "".join(identifier.split())
    if not ident:
        raise ApplicationError(_("Nomor identitas: wajib diisi."))
    participant = (
        EventParticipant.objects.filter(event=event)
        .filter(
            Q(official__nip=ident)
            | Q(official__ni_pppk=ident)
            | Q(official__nik=ident)
            | Q(official__nrp=ident)
        )
        .select_related("official")
        .first()
    )
    if participant is None:
        raise ApplicationError(
            _("Nomor identitas tidak ditemukan dalam daftar peserta kegiatan ini.")
        )
    link = _invitation_new(
        event=event,
        official=participant.official,
        via=SigningInvitation.Via.QR,
        expires_at=timezone.now() + dt.timedelta(minutes=QR_INVITATION_MINUTES),
    )
    audit_record(
        obj=event,
        action="invitation.created_from_qr",
        actor=None,
        after={"official": participant.official_id, "invitation": link.invitation.pk},
        region_code=event.region_id,
    )
    return link


@dataclass(frozen=True)
class OtpSent:
    channel: str
    masked_destination: str


@transaction.atomic
def otp_send(*, invitation: SigningInvitation) -> OtpSent:
    """Send a fresh one-time code to the official's registered contact (rate-limited)."""
    locked = SigningInvitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if locked.completed_at is not None:
        raise ApplicationError(_("Penandatanganan melalui tautan ini sudah selesai."))
    # The cap holds per official and event, over every invitation of the last day (a new
    # invitation from the QR code must not reset it; issue 14 §17).
    sent_before = (
        SigningInvitation.objects.filter(
            event_id=locked.event_id,
            official_id=locked.official_id,
            created_at__gte=now - dt.timedelta(hours=otp.OTP_CAP_WINDOW_HOURS),
        )
        .exclude(pk=locked.pk)
        .aggregate(n=Sum("otp_sends"))["n"]
        or 0
    )
    if locked.otp_sends + sent_before >= otp.OTP_MAX_SENDS:
        raise ApplicationError(
            _(
                "Batas pengiriman kode untuk tautan ini sudah tercapai. "
                "Mintalah tautan baru kepada petugas."
            )
        )
    if (
        locked.otp_last_sent_at
        and (now - locked.otp_last_sent_at).total_seconds() < otp.OTP_RESEND_SECONDS
    ):
        raise ApplicationError(_("Tunggu satu menit sebelum meminta kode baru."))
    sender = otp.otp_sender()
    official = invitation.official
    destination = sender.destination(email=official.email, phone=official.phone)
    if not destination:
        raise ApplicationError(
            _(
                "Tidak ada alamat terdaftar untuk mengirim kode. Hubungi "
                "petugas untuk memperbarui data Anda."
            )
        )
    code = otp.otp_generate()
    locked.otp_hash = otp.otp_hash(invitation_id=locked.pk, code=code)
    locked.otp_expires_at = now + dt.timedelta(seconds=otp.OTP_TTL_SECONDS)
    locked.otp_attempts = 0
    locked.otp_sends += 1
    locked.otp_last_sent_at = now
    locked.save(
        update_fields=[
            "otp_hash",
            "otp_expires_at",
            "otp_attempts",
            "otp_sends",
            "otp_last_sent_at",
            "updated_at",
        ]
    )
    event_title = invitation.event.title
    transaction.on_commit(
        lambda: sender.send(destination=destination, code=code, event_title=event_title)
    )
    audit_record(
        obj=invitation.event,
        action="otp.sent",
        actor=None,
        after={"invitation": locked.pk, "channel": sender.channel},
        region_code=invitation.event.region_id,
    )
    return OtpSent(sender.channel, sender.masked(email=official.email, phone=official.phone))


def _otp_check(*, invitation: SigningInvitation, code: str) -> None:
    """Check the code in its own committed transaction, so a wrong try always counts."""
    with transaction.atomic():
        locked = SigningInvitation.objects.select_for_update().get(pk=invitation.pk)
        now = timezone.now()
        if locked.completed_at is not None or (not locked.otp_hash and locked.otp_sends):
            raise ApplicationError(_("Kode ini sudah digunakan."))
        if not locked.otp_hash:
            raise ApplicationError(_("Mintalah kode terlebih dahulu."))
        if locked.otp_attempts >= otp.OTP_MAX_ATTEMPTS:
            raise ApplicationError(_("Terlalu banyak percobaan salah. Mintalah kode baru."))
        if locked.otp_expires_at is None or locked.otp_expires_at <= now:
            raise ApplicationError(_("Kode sudah kedaluwarsa. Mintalah kode baru."))
        expected = otp.otp_hash(invitation_id=locked.pk, code=code)
        if not secrets.compare_digest(expected, locked.otp_hash):
            locked.otp_attempts += 1
            locked.save(update_fields=["otp_attempts", "updated_at"])
            left = otp.OTP_MAX_ATTEMPTS - locked.otp_attempts
            raise_later = ApplicationError(
                _("Kode salah. Sisa percobaan: %(left)d.") % {"left": left}
            )
        else:
            raise_later = None
    if raise_later is not None:
        raise raise_later


def signature_sign_online(
    *, invitation: SigningInvitation, code: str, templates: Sequence[PledgeTemplate]
) -> list[Signature]:
    """(b) Verify the one-time code, then sign the chosen texts in one transaction."""
    if not templates:
        raise ApplicationError(_("Pilih sedikitnya satu naskah untuk ditandatangani."))
    _otp_check(invitation=invitation, code=code)
    with transaction.atomic():
        # Consume the code first: whatever happens next, it cannot be used twice.
        consumed = (
            SigningInvitation.objects.filter(pk=invitation.pk, completed_at__isnull=True)
            .exclude(otp_hash="")
            .update(otp_hash="", completed_at=timezone.now())
        )
        if consumed != 1:
            raise ApplicationError(_("Kode ini sudah digunakan."))
        signatures = [
            _signature_create(
                event=invitation.event,
                template=template,
                official=invitation.official,
                method=SignatureMethod.ONLINE_OTP,
                actor=None,
            )
            for template in templates
        ]
        EventParticipant.objects.filter(
            event=invitation.event, official=invitation.official
        ).update(present=True)
    return signatures
