"""Writes for declarations: templates, events, signatures, online signing (DOMAIN.md §9).

Every function here changes state inside one transaction and appends to the audit chain
(audit_record). A signature is sealed (netral.core.sealing) over its canonical record
(signing.canonical_record) in the same transaction that stores it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.core import sealing
from netral.core.encryption import blind_index
from netral.core.errors import ApplicationError
from netral.core.zones import zone_for_code
from netral.declarations import otp, signing, uploads
from netral.declarations.models import (
    DocumentKind,
    Event,
    EventDocument,
    EventParticipant,
    EventSpeaker,
    JointDeclaration,
    PledgeKind,
    PledgeTemplate,
    Signature,
    SignatureMethod,
    SigningInvitation,
    SpokenPledge,
)
from netral.registry.models import Official, Region, SubjectType
from netral.registry.selectors import region_subtree_q

if TYPE_CHECKING:
    from netral.accounts.models import User
    from netral.elections.models import ElectionEvent

INVITATION_DAYS = 14
QR_INVITATION_MINUTES = 30
DEFAULT_START = dt.time(9, 0)  # the signing time of an event recorded without a start time


def region_timezone(code: str) -> dt.tzinfo:
    """The local time zone of a region (WIB, WITA or WIT), by its province
    (netral/core/zones.py, Keppres 41/1987)."""
    return zone_for_code(code).tz


def signing_time_default(event: Event) -> dt.datetime:
    """When a signature recorded after the event was made: the event's date at its start
    time (09:00 when none), in the event region's local time (issue 13 §1)."""
    return dt.datetime.combine(
        event.date, event.start_time or DEFAULT_START, tzinfo=region_timezone(event.region_id)
    )


def _signing_time(event: Event, signed_at: dt.datetime | None) -> dt.datetime:
    """The actual signing time: given, or the event's default; never before the event's
    day nor in the future. The recording time stays in created_at and the audit trail."""
    if signed_at is None:
        return signing_time_default(event)
    if timezone.is_naive(signed_at):
        signed_at = signed_at.replace(tzinfo=region_timezone(event.region_id))
    day_start = dt.datetime.combine(
        event.date, dt.time(0, 0), tzinfo=region_timezone(event.region_id)
    )
    if signed_at < day_start:
        raise ApplicationError(
            _("Waktu tanda tangan: tidak boleh sebelum tanggal kegiatan (%(date)s).")
            % {"date": event.date.isoformat()}
        )
    if signed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ApplicationError(_("Waktu tanda tangan: tidak boleh di masa depan."))
    return signed_at


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
    kind: str | None = None,
    regime: str | None = None,
    election_event: ElectionEvent | bool | None = False,
    subject_types: Iterable[str] | None = None,
) -> PledgeTemplate:
    """Edit a text: its wording and also its kind, regime, election and audience (issue 13
    §2; None or False leaves one unchanged). A version already signed never changes: the
    edit becomes the next version of the same text (same family), and events keep pointing
    at what they chose."""
    from netral.elections.models import Regime

    if template.is_standard:
        raise ApplicationError(_("Naskah standar tidak dapat diubah; salin dulu ke wilayah."))
    if not title.strip():
        raise ApplicationError(_("Judul: wajib diisi."))
    if kind is not None and kind not in PledgeKind.values:
        raise ApplicationError(_("Jenis naskah tidak dikenal."))
    if regime and regime not in Regime.values:
        raise ApplicationError(_("Rezim tidak dikenal."))
    locked = PledgeTemplate.objects.select_for_update().get(pk=template.pk)
    before = _template_state(locked)
    values: dict[str, Any] = {
        "title": title.strip(),
        "points": _clean_points(points),
        "preamble": preamble.strip(),
        "closing": closing.strip(),
        "kind": locked.kind if kind is None else kind,
        "regime": locked.regime if regime is None else regime,
        "election_event": locked.election_event
        if election_event is False
        else (election_event or None),
        "subject_types": list(locked.subject_types)
        if subject_types is None
        else _clean_subject_types(subject_types),
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
    locked.save(update_fields=[*values, "updated_at"])  # kind, regime, etc. included
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
    position: str = ""


@dataclass(frozen=True)
class EventFacts:
    """What happened at the event (issue 13 §6); None leaves a number unrecorded."""

    theme: str = ""
    opened_by: str = ""
    attendance_total: int | None = None
    villages_represented: int | None = None
    start_time: dt.time | None = None


def _speaker_row(event: Event, speaker: SpeakerIn, order: int) -> EventSpeaker:
    if not speaker.name.strip() or not speaker.institution.strip():
        raise ApplicationError(
            _("Narasumber %(n)d: nama dan instansi wajib diisi.") % {"n": order + 1}
        )
    return EventSpeaker(
        event=event,
        name=speaker.name.strip(),
        position=speaker.position.strip(),
        institution=speaker.institution.strip(),
        topic=speaker.topic.strip(),
        order=order,
    )


def _clean_facts(facts: EventFacts) -> dict[str, Any]:
    for label, value in (
        (_("Jumlah hadir"), facts.attendance_total),
        (_("Desa/kelurahan terwakili"), facts.villages_represented),
    ):
        if value is not None and value < 0:
            raise ApplicationError(_("%(f)s: tidak boleh negatif.") % {"f": label})
    return {
        "theme": facts.theme.strip(),
        "opened_by": facts.opened_by.strip(),
        "attendance_total": facts.attendance_total,
        "villages_represented": facts.villages_represented,
        "start_time": facts.start_time,
    }


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
        "theme": event.theme,
        "opened_by": event.opened_by,
        "attendance_total": event.attendance_total,
        "villages_represented": event.villages_represented,
        "start_time": event.start_time.isoformat() if event.start_time else None,
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
    facts: EventFacts | None = None,
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
        **_clean_facts(facts or EventFacts()),
    )
    EventSpeaker.objects.bulk_create(
        [_speaker_row(event, speaker, order) for order, speaker in enumerate(speakers)]
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
def event_facts_update(
    *,
    event: Event,
    actor: User | None,
    facts: EventFacts,
    venue: str | None = None,
    materials: str | None = None,
    basis: str | None = None,
    witnesses: str | None = None,
) -> Event:
    """Record what happened: attendance, desa represented, theme, who opened it, etc."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    before = _event_state(locked)
    values = _clean_facts(facts)
    for name, value in (
        ("venue", venue),
        ("materials", materials),
        ("basis", basis),
        ("witnesses", witnesses),
    ):
        if value is not None:
            values[name] = value.strip()
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*values, "updated_at"])
    audit_record(
        obj=locked,
        action="event.facts_updated",
        actor=actor,
        before=before,
        after=_event_state(locked),
        region_code=locked.region_id,
    )
    return locked


@transaction.atomic
def event_speaker_add(*, event: Event, actor: User | None, speaker: SpeakerIn) -> EventSpeaker:
    row = _speaker_row(event, speaker, event.speakers.count())
    row.save()
    audit_record(
        obj=event,
        action="event.speaker_added",
        actor=actor,
        after={"name": row.name, "position": row.position, "institution": row.institution},
        region_code=event.region_id,
    )
    return row


@transaction.atomic
def event_speaker_remove(*, event: Event, actor: User | None, speaker_id: int) -> None:
    row = EventSpeaker.objects.filter(event=event, pk=speaker_id).first()
    if row is None:
        raise ApplicationError(_("Narasumber tidak ditemukan."))
    before = {"name": row.name, "position": row.position, "institution": row.institution}
    row.delete()
    audit_record(
        obj=event,
        action="event.speaker_removed",
        actor=actor,
        before=before,
        region_code=event.region_id,
    )


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
    DocumentKind.VIDEO: uploads.VIDEOS,
    DocumentKind.MINUTES: uploads.PDF_OR_IMAGE,
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
    # (the recording time is created_at, and the audit entry's own time)
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
            "signed_at": signing.format_time(signature.signed_at),
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
    """(a) An officer records that an expected participant signed the paper sheet, at
    `signed_at` (default: the event's date and start time, issue 13 §1)."""
    signed_at = _signing_time(event, signed_at)
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
    """(c) A regent, police chief, etc. signing on behalf of an institution, at `signed_at`
    (default: the event's date and start time). The same signatory (name and institution,
    ignoring case and spacing) signs a text once per event (issue 13 §5)."""
    name, title, institution = (" ".join(v.split()) for v in (name, title, institution))
    if not institution:
        raise ApplicationError(_("Instansi: wajib diisi untuk penandatangan kelembagaan."))
    signed_at = _signing_time(event, signed_at)
    duplicate = _("%(name)s (%(inst)s) sudah menandatangani naskah ini pada kegiatan ini.") % {
        "name": name,
        "inst": institution,
    }
    if Signature.objects.filter(
        event=event,
        template=template,
        official__isnull=True,
        signer_name__iexact=name,
        signer_institution__iexact=institution,
        revoked_at__isnull=True,
    ).exists():
        raise ApplicationError(duplicate)
    try:
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
    except ApplicationError as exc:
        if "decl_signature_unique_institutional" in str(exc.__cause__ or ""):
            raise ApplicationError(duplicate) from exc
        raise


@dataclass(frozen=True)
class BatchResult:
    created: int
    skipped: int  # already signed that text


@transaction.atomic
def signatures_record_batch(
    *,
    event: Event,
    templates: Sequence[PledgeTemplate],
    officials: Sequence[Official],
    actor: User | None,
    signed_at: dt.datetime | None = None,
    evidence: EventDocument | None = None,
) -> BatchResult:
    """(a) "Tick all" or "tick the selected" (issue 13 §3): record that every listed
    participant signed every listed text on paper, with one scanned sheet as the evidence
    of the batch (e.g. one desa's sheet). Those who already signed a text are skipped; any
    other refusal rolls the whole batch back."""
    if not templates:
        raise ApplicationError(_("Naskah: pilih sedikitnya satu naskah."))
    if not officials:
        raise ApplicationError(_("Peserta: pilih sedikitnya satu peserta."))
    if evidence is not None and (
        evidence.event_id != event.pk or evidence.kind != DocumentKind.SIGNED_SHEET
    ):
        raise ApplicationError(_("Bukti lembar tanda tangan berasal dari kegiatan lain."))
    signed_at = _signing_time(event, signed_at)
    ids = [o.pk for o in officials]
    on_list = set(
        EventParticipant.objects.filter(event=event, official_id__in=ids).values_list(
            "official_id", flat=True
        )
    )
    missing = [o for o in officials if o.pk not in on_list]
    if missing:
        raise ApplicationError(
            _("%(name)s tidak ada dalam daftar peserta kegiatan ini.") % {"name": missing[0].name}
        )
    already = set(
        Signature.objects.filter(
            official_id__in=ids,
            template__in=templates,
            election_event=event.election_event,
            revoked_at__isnull=True,
        ).values_list("official_id", "template_id")
    )
    created = skipped = 0
    for official in officials:
        for template in templates:
            if (official.pk, template.pk) in already:
                skipped += 1
                continue
            _signature_create(
                event=event,
                template=template,
                official=official,
                method=SignatureMethod.RECORDED_BY_OFFICER,
                actor=actor,
                evidence=evidence,
                signed_at=signed_at,
            )
            created += 1
    EventParticipant.objects.filter(event=event, official_id__in=ids, present=False).update(
        present=True
    )
    audit_record(
        obj=event,
        action="event.signatures_batch",
        actor=actor,
        after={
            "templates": [t.pk for t in templates],
            "officials": len(ids),
            "created": created,
            "skipped": skipped,
            "evidence": evidence.pk if evidence else None,
            "signed_at": signing.format_time(signed_at),
        },
        region_code=event.region_id,
    )
    return BatchResult(created, skipped)


@transaction.atomic
def participants_mark_present(
    *, event: Event, officials: Sequence[Official], actor: User | None, present: bool = True
) -> int:
    """Mark participants of the checklist present (or absent); returns how many changed."""
    ids = [o.pk for o in officials]
    changed = (
        EventParticipant.objects.filter(event=event, official_id__in=ids)
        .exclude(present=present)
        .update(present=present)
    )
    audit_record(
        obj=event,
        action="event.participants_present",
        actor=actor,
        after={"officials": len(ids), "present": present, "changed": changed},
        region_code=event.region_id,
    )
    return changed


# --- spoken pledges (ikrar lisan, issue 13 §4) ----------------------------------------


@transaction.atomic
def spoken_pledge_record(
    *,
    event: Event,
    template: PledgeTemplate,
    actor: User | None,
    evidence: Sequence[EventDocument],
    spoken_at: dt.datetime | None = None,
    led_by: str = "",
) -> SpokenPledge:
    """Record that everyone present read `template` out together. It needs evidence (a
    photo, video or minutes of this event) and counts toward coverage for each participant
    marked present, as spoken, not signed."""
    if not event.pledges.filter(pk=template.pk).exists():
        raise ApplicationError(_("Naskah ini tidak dipakai pada kegiatan ini."))
    if not evidence:
        raise ApplicationError(
            _("Bukti: lampirkan sedikitnya satu foto, video atau notulen kegiatan ini.")
        )
    if any(doc.event_id != event.pk for doc in evidence):
        raise ApplicationError(_("Bukti berasal dari kegiatan lain."))
    if SpokenPledge.objects.filter(event=event, template=template).exists():
        raise ApplicationError(_("Ikrar lisan naskah ini sudah dicatat untuk kegiatan ini."))
    spoken_at = _signing_time(event, spoken_at)
    present = EventParticipant.objects.filter(event=event, present=True).count()
    try:
        with transaction.atomic():
            spoken = SpokenPledge.objects.create(
                event=event,
                template=template,
                pledge_snapshot=template.snapshot(),
                spoken_at=spoken_at.replace(microsecond=0),
                led_by=" ".join(led_by.split()),
                present_count=present,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ApplicationError(
            _("Ikrar lisan naskah ini sudah dicatat untuk kegiatan ini.")
        ) from exc
    spoken.evidence.set(evidence)
    audit_record(
        obj=event,
        action="event.spoken_pledge_recorded",
        actor=actor,
        after={
            "spoken_pledge": spoken.pk,
            "template": template.pk,
            "spoken_at": signing.format_time(spoken.spoken_at),
            "present": present,
            "evidence": [d.pk for d in evidence],
        },
        region_code=event.region_id,
    )
    return spoken


# --- joint declarations (issue 13 §5) ------------------------------------------------


@transaction.atomic
def joint_declaration_issue(
    *, event: Event, template: PledgeTemplate, actor: User | None
) -> JointDeclaration:
    """Seal one document listing every (active) institutional signatory of `template` at
    `event`, each with their own verification code. Issuing again after the list changed
    makes a new document; the verification page says which one is current."""
    signatures = list(
        Signature.objects.filter(
            event=event,
            template=template,
            method=SignatureMethod.INSTITUTIONAL,
            revoked_at__isnull=True,
        ).order_by("signed_at", "id")
    )
    if not signatures:
        raise ApplicationError(
            _("Belum ada penandatangan kelembagaan untuk naskah ini pada kegiatan ini.")
        )
    code = uuid.uuid4()
    record = signing.joint_record(
        code=str(code),
        pledge=signatures[0].pledge_snapshot,
        event=signatures[0].event_snapshot,
        signatories=[
            {
                "name": s.signer_name,
                "title": s.signer_title,
                "institution": s.signer_institution,
                "signed_at": signing.format_time(s.signed_at),
                "code": str(s.code),
            }
            for s in signatures
        ],
        issued_at=timezone.now(),
    )
    stored = sealing.seal(record)
    joint = JointDeclaration.objects.create(
        code=code,
        event=event,
        template=template,
        record=record,
        seal_key_id=stored.key_id,
        seal_signature=stored.signature,
        seal_digest=stored.digest,
        seal_algorithm=stored.algorithm,
        issued_by=actor,
    )
    audit_record(
        obj=event,
        action="event.joint_declaration_issued",
        actor=actor,
        after={
            "joint_declaration": joint.pk,
            "code": str(code),
            "template": template.pk,
            "signatories": len(signatures),
            "digest": stored.digest,
        },
        region_code=event.region_id,
    )
    return joint


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
    from netral.jobs.mail import mail_enqueue

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
        # Sent by the worker (issue 15 §1); sealed, since the link is a personal credential.
        mail_enqueue(to=[official.email], subject=subject, body=message, secret=True)
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
            | Q(official__nik_hash=blind_index(ident))  # NIK encrypted (issue 14 pt 15)
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
    # Delivered by the worker (issue 15 §1), the code sealed in the job's arguments. Not sent
    # from the request: the official waits for a mail or an SMS either way, and a slow mail
    # server must not hold the signing page; the job retries a failed send with backoff.
    from django.utils.translation import get_language

    from netral.jobs.mail import otp_deliver_job, seal

    otp_deliver_job.enqueue(
        sealed=seal(
            {"destination": destination, "code": code, "event_title": invitation.event.title}
        ),
        language=get_language() or "",
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
