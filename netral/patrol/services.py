"""Writes of patroli siber: captures (sealed), triage into temuan, watch lists, takedowns.

Every change is audited in its own transaction (audit_record). The capture itself runs in
`capture_run`, which a task calls (tasks.py); it never runs inside a web request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record, audit_record_created
from netral.core import sealing
from netral.core.errors import ApplicationError
from netral.core.zones import WIB, local_in, zone_for_code, zone_of
from netral.patrol import matching
from netral.patrol.models import (
    AccountCheck,
    AccountProposal,
    ActKind,
    Capture,
    CaptureFile,
    CaptureMethod,
    CaptureStatus,
    CheckResult,
    FileRole,
    PatrolAssignment,
    ProposalStatus,
    TakedownItem,
    TakedownLetter,
    TakedownState,
    Triage,
    WatchTerm,
)
from netral.registry.models import Official, Region, SocialAccount

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from netral.accounts.models import User
    from netral.cases.models import Case
    from netral.elections.models import ElectionEvent

SEAL_KIND = "netral.patrol.capture/1"
MAX_UPLOAD_FILES = 10


def _audit_region(capture: Capture) -> str | None:
    return capture.unit_region_id


# --- requesting and running a capture ----------------------------------------------------


def _duplicate_of(*, key: str, unit_region: Region | None, exclude: int | None) -> Capture | None:
    qs = Capture.objects.filter(url_key=key, unit_region=unit_region).exclude(
        status=CaptureStatus.GAGAL
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("created_at").first()


def capture_request(
    *,
    actor: User,
    url: str,
    unit_region: Region | None,
    election_event: ElectionEvent | None = None,
    act_kind: str = "",
    as_task: bool = True,
) -> Capture:
    """Queue a capture of a public URL (the task runs capture_run). A URL already captured by
    the unit is captured again (the page may have changed) and marked as its duplicate."""
    from netral.core.netguard import BlockedAddressError, url_target

    url = url.strip()
    try:
        url_target(url)  # a clear error now rather than a failed capture later
    except BlockedAddressError as exc:
        raise ApplicationError(str(exc)) from exc
    if act_kind and act_kind not in ActKind.values:
        raise ApplicationError(_("Jenis perbuatan tidak dikenal."))
    key = matching.url_key(url)
    with transaction.atomic():
        capture = Capture.objects.create(
            unit_region=unit_region,
            election_event=election_event,
            method=CaptureMethod.PERAMBAN,
            status=CaptureStatus.ANTRE,
            url=url,
            url_key=key,
            platform=matching.platform_of(url),
            act_kind=act_kind,
            requested_by=actor,
            duplicate_of=_duplicate_of(key=key, unit_region=unit_region, exclude=None),
        )
        audit_record_created(
            obj=capture,
            action="patrol.capture_request",
            actor=actor,
            after={"url": url, "code": str(capture.code)},
            region_code=_audit_region(capture),
        )
        if as_task:
            _enqueue_capture(capture, actor=actor)
    return capture


def _enqueue_capture(capture: Capture, *, actor: User | None) -> None:
    """The capture runs as a task (netral/jobs), committed with the request that asked."""
    from netral.patrol.jobs import capture_job

    capture_job.enqueue(key=f"patrol.capture:{capture.pk}", actor=actor, capture_id=capture.pk)


def takedown_recheck_request(*, item: TakedownItem, actor: User) -> None:
    """An officer asks for a recheck now (the periodic sweep does it daily)."""
    from netral.patrol.jobs import takedown_recheck_job

    stamp = timezone.now().strftime("%Y%m%d%H%M")
    takedown_recheck_job.enqueue(
        key=f"patrol.recheck:{item.pk}:{stamp}", actor=actor, item_id=item.pk
    )


def _store_file(
    capture: Capture, *, role: str, name: str, content_type: str, data: bytes
) -> CaptureFile:
    row = CaptureFile(
        capture=capture,
        role=role,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    row.file.save(name, ContentFile(data), save=False)
    row.save()
    return row


def seal_record(capture: Capture, files: Sequence[CaptureFile]) -> dict[str, Any]:
    """What the seal covers: where and when, by which method, and each file's digest."""
    return {
        "kind": SEAL_KIND,
        "code": str(capture.code),
        "method": capture.method,
        "url": capture.url,
        "final_url": capture.final_url,
        "http_status": capture.http_status,
        "captured_at": capture.captured_at.isoformat() if capture.captured_at else None,
        "seen_at": capture.seen_at.isoformat() if capture.seen_at else None,
        "seen_where": capture.seen_where,
        "statement": capture.statement,
        "requested_by": capture.requested_by.username,
        "files": sorted(
            ({"role": f.role, "name": f.name, "sha256": f.sha256, "size": f.size} for f in files),
            key=lambda f: (f["role"], f["name"]),
        ),
    }


def _seal(capture: Capture) -> None:
    files = list(capture.files.all())
    capture.record = seal_record(capture, files)
    capture.seal = sealing.seal(capture.record).__dict__


def perceptual_hash(image: bytes) -> str:
    """64-bit pHash of an image (imagehash), '' when it is not an image Pillow can read."""
    import imagehash
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image)) as im:
            im.draft("RGB", (512, 512))  # JPEG: decode small
            return str(imagehash.phash(im.convert("RGB")))
    except (UnidentifiedImageError, OSError, ValueError):
        return ""


def _near_duplicate(capture: Capture) -> Capture | None:
    """The earliest other capture of the unit whose screenshot differs in at most
    NETRAL_CAPTURE_PHASH_DISTANCE bits (same page re-shared, cropped, recompressed)."""
    import imagehash

    if not capture.phash:
        return None
    mine = imagehash.hex_to_hash(capture.phash)
    limit = int(settings.NETRAL_CAPTURE_PHASH_DISTANCE)
    rows = (
        Capture.objects.filter(unit_region=capture.unit_region)
        .exclude(pk=capture.pk)
        .exclude(phash="")
        .order_by("created_at")
        .values_list("pk", "phash")[:5000]
    )
    for pk, other in rows:
        if mine - imagehash.hex_to_hash(other) <= limit:
            return Capture.objects.get(pk=pk)
    return None


def _match_account(capture: Capture, urls: Sequence[str], text: str) -> None:
    """Link the capture to a registered account of an official in the unit's jurisdiction:
    by the handle a URL names, or by a registered profile URL the page came from."""
    from netral.registry.selectors import region_subtree_q

    keys: set[str] = set()
    for url in urls:
        if url:
            keys |= matching.url_handles(url)
    if not keys:
        return
    from django.db.models import Q

    # candidates narrowed in SQL (a handle written plainly, with '@', or inside a profile URL),
    # then compared exactly by their normalised key
    near = Q()
    for key in keys:
        near |= Q(handle__iexact=key) | Q(handle__iexact="@" + key)
        near |= Q(handle__icontains="/" + key) | Q(handle__icontains="id=" + key)
    accounts = SocialAccount.objects.select_related("official").filter(near)
    if capture.unit_region_id:
        official_ids = Official.objects.filter(region_subtree_q(capture.unit_region_id)).values(
            "pk"
        )
        accounts = accounts.filter(official_id__in=official_ids)
    platform = capture.platform
    for account in accounts[:200]:
        if matching.handle_key(account.handle) in keys and (
            not platform
            or account.platform.lower() == platform.lower()
            or not matching.platform_of(account.handle)
        ):
            capture.account = account
            capture.official = account.official
            if not capture.platform:
                capture.platform = account.platform
            return


def _watch_terms(capture: Capture) -> list[tuple[str, str]]:
    qs = WatchTerm.objects.all()
    if capture.election_event_id:
        qs = qs.filter(election_event_id=capture.election_event_id)
    codes: list[str] = []
    if capture.unit_region_id:
        from netral.registry.models import ancestor_codes

        codes = [*ancestor_codes(capture.unit_region_id), capture.unit_region_id]
    qs = qs.filter(unit_region_id__in=codes) | qs.filter(unit_region__isnull=True)
    return list(qs.values_list("term", "kind").distinct())


def _finish(capture: Capture, *, texts: str, urls: Sequence[str]) -> None:
    _match_account(capture, urls, texts)
    hits = matching.find_terms(texts, _watch_terms(capture))
    capture.hits = sorted({h.term for h in hits})
    capture.near_duplicate_of = _near_duplicate(capture)
    capture.status = CaptureStatus.SELESAI
    _seal(capture)
    capture.save()
    if capture.account_id:
        AccountCheck.objects.create(
            account_id=capture.account_id,
            checked_by=capture.requested_by,
            result=CheckResult.DITANGKAP,
            capture=capture,
        )


def capture_run(*, capture_id: int, resolver: Any = None) -> Capture:
    """Render and store one queued capture (the task's body). A failure is recorded on the
    capture (GAGAL, with the reason) and no file of it is kept."""
    from netral.patrol.capture import CaptureFailedError, page_capture

    capture = Capture.objects.select_related("requested_by").get(pk=capture_id)
    if capture.status not in (CaptureStatus.ANTRE, CaptureStatus.PROSES):
        return capture  # sealed or failed: nothing to do (a task delivered twice)
    Capture.objects.filter(pk=capture.pk).update(status=CaptureStatus.PROSES)
    started = timezone.now()
    kwargs: dict[str, Any] = {"resolver": resolver} if resolver is not None else {}
    try:
        result = page_capture(capture.url, **kwargs)
    except CaptureFailedError as exc:
        with transaction.atomic():
            capture.status = CaptureStatus.GAGAL
            capture.error = str(exc)[:500]
            capture.save(update_fields=["status", "error", "updated_at"])
            audit_record(
                obj=capture,
                action="patrol.capture_failed",
                actor=None,
                after={"error": capture.error},
                region_code=_audit_region(capture),
            )
        return capture
    with transaction.atomic():
        capture.final_url = result.final_url[:2000]
        capture.http_status = result.http_status
        capture.captured_at = result.captured_at
        capture.visible_text = result.text
        capture.phash = perceptual_hash(result.screenshot)
        _store_file(
            capture,
            role=FileRole.SCREENSHOT,
            name="screenshot.png",
            content_type="image/png",
            data=result.screenshot,
        )
        _store_file(
            capture,
            role=FileRole.WACZ,
            name="archive.wacz",
            content_type="application/wacz",
            data=result.wacz,
        )
        _store_file(
            capture,
            role=FileRole.WARC,
            name="archive.warc.gz",
            content_type="application/warc",
            data=result.warc,
        )
        _store_file(
            capture,
            role=FileRole.TEXT,
            name="text.txt",
            content_type="text/plain; charset=utf-8",
            data=result.text.encode(),
        )
        _store_file(
            capture,
            role=FileRole.DOM,
            name="page.html",
            content_type="text/html; charset=utf-8",
            data=result.html.encode(),
        )
        capture.duration_ms = int((timezone.now() - started).total_seconds() * 1000)
        _finish(capture, texts=result.text, urls=[capture.url, capture.final_url])
        audit_record(
            obj=capture,
            action="patrol.capture_sealed",
            actor=None,
            after={
                "final_url": capture.final_url,
                "http_status": capture.http_status,
                "seal": capture.seal.get("digest"),
                "official": capture.official_id,
            },
            region_code=_audit_region(capture),
        )
    return capture


@dataclass
class UploadData:
    url: str
    seen_at: dt.datetime
    seen_where: str
    statement: str
    act_kind: str = ""


def capture_upload(
    *,
    actor: User,
    data: UploadData,
    files: list[UploadedFile],
    unit_region: Region | None,
    election_event: ElectionEvent | None = None,
) -> Capture:
    """What the officer saw when the page cannot be fetched (login wall, removed, blocked):
    screenshots, a screen recording, a PDF or a saved page (HTML or MHTML, netral/patrol/
    savedpage.py), sealed with the officer's statement of when and where it was seen. Files
    are checked by content (cases.uploads; a saved page by parsing it)."""
    from netral.cases.uploads import check_size, check_upload
    from netral.patrol import savedpage

    if not files:
        raise ApplicationError(_("Unggah sedikitnya satu berkas."))
    if len(files) > MAX_UPLOAD_FILES:
        raise ApplicationError(
            _("Paling banyak %(n)s berkas sekali unggah.") % {"n": MAX_UPLOAD_FILES}
        )
    if not data.statement.strip():
        raise ApplicationError(_("Pernyataan petugas wajib diisi."))
    if data.seen_at > timezone.now() + dt.timedelta(minutes=5):
        raise ApplicationError(_("Waktu dilihat tidak boleh di masa depan."))
    checked = []
    pages: list[tuple[savedpage.SavedPage, bytes]] = []
    for upload in files:
        upload.seek(0)
        if savedpage.sniff_saved_page(upload.read(4096)) is None:
            # sealed at once, with no worker check behind it: the whole check happens here
            checked.append(check_upload(upload, defer_deep=False))
            continue
        name = check_size(upload)
        upload.seek(0)
        raw = upload.read()
        pages.append((savedpage.parse_saved_page(raw, name), raw))
    url = data.url.strip() or next((p.page_url for p, _raw in pages if p.page_url), "")
    with transaction.atomic():
        capture = Capture.objects.create(
            unit_region=unit_region,
            election_event=election_event,
            method=CaptureMethod.UNGGAHAN,
            status=CaptureStatus.PROSES,
            url=url,
            url_key=matching.url_key(url) if url else "",
            platform=matching.platform_of(url) if url else "",
            act_kind=data.act_kind,
            requested_by=actor,
            captured_at=timezone.now(),
            seen_at=data.seen_at,
            seen_where=data.seen_where.strip(),
            statement=data.statement.strip(),
            duplicate_of=(
                _duplicate_of(key=matching.url_key(url), unit_region=unit_region, exclude=None)
                if url
                else None
            ),
        )
        for i, cf in enumerate(checked, start=1):
            cf.upload.seek(0)
            raw = cf.upload.read()
            _store_file(
                capture,
                role=FileRole.UPLOAD,
                name=f"upload-{i}{cf.file_type.extension}",
                content_type=cf.file_type.content_type,
                data=raw,
            )
            if not capture.phash and cf.file_type.content_type.startswith("image/"):
                capture.phash = perceptual_hash(raw)
        texts = [data.statement]
        for i, (page, raw) in enumerate(pages, start=1):
            _store_file(
                capture,
                role=FileRole.SAVED_PAGE,
                name=f"saved-page-{i}{page.extension}",
                content_type=page.content_type,
                data=raw,
            )
            texts.append(page.text)
            if i == 1:  # the first saved page is what the offline viewer replays
                capture.final_url = page.page_url[:2000]
                capture.visible_text = page.text
                _store_file(
                    capture,
                    role=FileRole.DOM,
                    name="page.html",
                    content_type="text/html; charset=utf-8",
                    data=page.html.encode(),
                )
                _store_file(
                    capture,
                    role=FileRole.WARC,
                    name="archive.warc.gz",
                    content_type="application/warc",
                    data=savedpage.warc_of(page),
                )
                _store_file(
                    capture,
                    role=FileRole.TEXT,
                    name="text.txt",
                    content_type="text/plain; charset=utf-8",
                    data=page.text.encode(),
                )
        urls = [url, *(p.page_url for p, _raw in pages if p.page_url)]
        _finish(capture, texts="\n".join(t for t in texts if t), urls=urls)
        audit_record_created(
            obj=capture,
            action="patrol.capture_upload",
            actor=actor,
            after={
                "url": url,
                "files": [f.sha256 for f in checked]
                + [hashlib.sha256(raw).hexdigest() for _page, raw in pages],
                "seal": capture.seal.get("digest"),
            },
            region_code=_audit_region(capture),
        )
    return capture


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    role: str
    name: str
    state: str  # "OK", "CHANGED", "MISSING"


@dataclass(frozen=True)
class Verification:
    seal_valid: bool
    files: list[FileCheck]

    @property
    def intact(self) -> bool:
        return self.seal_valid and all(f.state == "OK" for f in self.files)


def capture_verify(*, capture: Capture) -> Verification:
    """Recompute every stored file's SHA-256 and check the seal over the sealed record."""
    if not capture.seal or not capture.record:
        return Verification(False, [])
    stored = sealing.Seal(**capture.seal)
    seal_valid = sealing.verify(capture.record, stored)
    by_name = {f.name: f for f in capture.files.all()}
    checks = []
    for entry in capture.record.get("files", []):
        row = by_name.get(entry["name"])
        if row is None:
            checks.append(FileCheck(entry["role"], entry["name"], "MISSING"))
            continue
        digest = hashlib.sha256()
        try:
            with row.file.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        except (FileNotFoundError, OSError):
            checks.append(FileCheck(entry["role"], entry["name"], "MISSING"))
            continue
        state = "OK" if digest.hexdigest() == entry["sha256"] else "CHANGED"
        checks.append(FileCheck(entry["role"], entry["name"], state))
    return Verification(seal_valid, checks)


# --- triage -------------------------------------------------------------------------------

# The SKB 2022 row suggested for a kind of act (DOMAIN §3): KE* before the candidates are
# determined (bakal calon, code of ethics), DS* after (calon, discipline). Only a suggestion:
# the officer chooses the matrix row when deciding (DOMAIN §3 "do not auto-derive").
SKB_BY_ACT = {
    ActKind.SUKA: ("KE04", "DS06"),
    ActKind.KOMENTAR: ("KE04", "DS06"),
    ActKind.BAGIKAN: ("KE04", "DS06"),
    ActKind.IKUT_GRUP: ("KE04", "DS06"),
    ActKind.UNGGAHAN: ("KE02", "DS02"),
    ActKind.FOTO_PROFIL: ("KE05", "DS07"),
    ActKind.LAINNYA: ("DS13", "DS13"),
}


def skb_suggest(*, act_kind: str, election_event: ElectionEvent | None, day: dt.date) -> str:
    """Candidates are determined before the campaign starts: from the campaign's first day
    the target is a *calon* (DS rows), before it a *bakal calon* (KE rows)."""
    before, after = SKB_BY_ACT.get(ActKind(act_kind), ("", "")) if act_kind else ("", "")
    if election_event is not None and day >= election_event.campaign_start:
        return after
    return before


@dataclass
class TriageData:
    decision: str
    note: str = ""
    act_kind: str = ""
    regime: str = ""


def capture_triage(*, capture: Capture, actor: User, data: TriageData) -> Capture:
    """Not relevant, needs watching, or finding: a finding opens a temuan with the capture's
    sealed files as evidence, the official as reported person and the SKB code suggested."""
    if capture.status != CaptureStatus.SELESAI:
        raise ApplicationError(_("Hanya tangkapan yang sudah disegel yang dapat dipilah."))
    if data.decision not in (Triage.TIDAK_RELEVAN, Triage.PANTAU, Triage.TEMUAN):
        raise ApplicationError(_("Pilih keputusan pemilahan."))
    if capture.case_id:
        raise ApplicationError(_("Tangkapan ini sudah menjadi temuan."))
    if data.act_kind and data.act_kind not in ActKind.values:
        raise ApplicationError(_("Jenis perbuatan tidak dikenal."))
    before = {"triage": capture.triage, "act_kind": capture.act_kind}
    with transaction.atomic():
        capture = Capture.objects.select_for_update().get(pk=capture.pk)
        if capture.case_id:
            raise ApplicationError(_("Tangkapan ini sudah menjadi temuan."))
        if data.act_kind:
            capture.act_kind = data.act_kind
        # the local day of the capture's unit (WIB/WITA/WIT), whoever triages it
        zone = zone_of(capture) or WIB
        day = local_in(capture.captured_at or timezone.now(), zone).date()
        capture.suggested_skb = skb_suggest(
            act_kind=capture.act_kind, election_event=capture.election_event, day=day
        )
        capture.triage = data.decision
        capture.triage_note = data.note.strip()[:500]
        capture.triaged_by = actor
        capture.triaged_at = timezone.now()
        if data.decision == Triage.TEMUAN:
            capture.case = _open_finding(capture=capture, actor=actor, regime=data.regime)
        capture.save()
        audit_record(
            obj=capture,
            action="patrol.capture_triage",
            actor=actor,
            before=before,
            after={
                "triage": capture.triage,
                "act_kind": capture.act_kind,
                "suggested_skb": capture.suggested_skb,
                "case": capture.case_id,
                "note": capture.triage_note,
            },
            region_code=_audit_region(capture),
        )
    return capture


def _open_finding(*, capture: Capture, actor: User, regime: str) -> Case:
    from netral.cases.models import Evidence, EvidenceKind, Origin
    from netral.cases.services import CaseData, PersonData, case_intake_finding
    from netral.elections.models import Regime

    event = capture.election_event
    regime = event.regime if event is not None else (regime or Regime.PILKADA)
    region = capture.official.region if capture.official else capture.unit_region
    if region is None:
        raise ApplicationError(
            _("Tangkapan belum terhubung dengan pejabat atau wilayah; tempat tak diketahui.")
        )
    seen = capture.seen_at or capture.captured_at or timezone.now()
    zone = zone_for_code(region.code)  # the finding's dates are local days of its place
    day = local_in(seen, zone).date()
    found = local_in(capture.captured_at or timezone.now(), zone).date()
    act = ActKind(capture.act_kind).label if capture.act_kind else _("konten media sosial")
    who = capture.official.name if capture.official else _("pemilik akun")
    lines = [
        _("Temuan patroli siber: %(who)s, %(act)s.") % {"who": who, "act": act},
        _("Alamat: %(url)s") % {"url": capture.final_url or capture.url},
        _("Kode verifikasi tangkapan: %(code)s") % {"code": capture.code},
        _("Segel Ed25519: %(digest)s") % {"digest": capture.seal.get("digest", "")},
    ]
    if capture.suggested_skb:
        lines.append(_("Kode SKB 2022 yang disarankan: %(code)s") % {"code": capture.suggested_skb})
    if capture.hits:
        lines.append(_("Nama yang ditemukan: %(hits)s") % {"hits": ", ".join(capture.hits)})
    if capture.triage_note:
        lines.append(capture.triage_note)
    data = CaseData(
        regime=regime,
        election_event=event,
        incident_region=region,
        incident_place=(capture.platform or _("Media sosial"))[:200],
        title=(
            _("Patroli siber: %(who)s di %(platform)s")
            % {"who": who, "platform": capture.platform or _("media sosial")}
        )[:200],
        description="\n".join(lines),
        event_date=min(day, found),
        known_date=found,
        found_date=found,
        persons=[PersonData(official_id=capture.official_id)] if capture.official_id else [],
    )
    shots = [
        f
        for f in capture.files.all()
        if f.content_type.startswith(("image/", "video/")) or f.content_type == "application/pdf"
    ]
    uploads: list[UploadedFile] = []
    for f in shots:
        with f.file.open("rb") as fh:
            uploads.append(SimpleUploadedFile(f.name, fh.read(), content_type=f.content_type))
    case = case_intake_finding(actor=actor, origin=Origin.TEMUAN, data=data, files=uploads)
    # the archive, text and DOM copy: listed with their digests and the verification code
    # (the sealed files stay with the capture; the case file links to them)
    Evidence.objects.bulk_create(
        Evidence(
            case=case,
            kind=EvidenceKind.DOKUMEN,
            description=(f"{FileRole(f.role).label} · {capture.code}")[:300],
            original_name=f.name,
            content_type=f.content_type[:100],
            size=f.size,
            sha256=f.sha256,
            uploaded_by=actor,
        )
        for f in capture.files.all()
        if f not in shots
    )
    return case


# --- watch lists --------------------------------------------------------------------------


def account_check_nothing(*, account: SocialAccount, actor: User) -> AccountCheck:
    with transaction.atomic():
        check = AccountCheck.objects.create(
            account=account, checked_by=actor, result=CheckResult.NIHIL
        )
        audit_record(
            obj=account.official,
            action="patrol.account_checked",
            actor=actor,
            after={"account": str(account), "result": CheckResult.NIHIL},
            region_code=account.official.region_id,
        )
    return check


def account_propose(
    *, official: Official, platform: str, handle: str, note: str, actor: User
) -> AccountProposal:
    platform, handle = platform.strip(), handle.strip()
    if not platform or not handle:
        raise ApplicationError(_("Platform dan akun wajib diisi."))
    if SocialAccount.objects.filter(official=official, platform=platform, handle=handle).exists():
        raise ApplicationError(_("Akun ini sudah terdaftar untuk pejabat tersebut."))
    with transaction.atomic():
        proposal = AccountProposal.objects.create(
            official=official,
            platform=platform[:40],
            handle=handle[:300],
            note=note[:300],
            proposed_by=actor,
        )
        audit_record(
            obj=official,
            action="patrol.account_proposed",
            actor=actor,
            after={"platform": platform, "handle": handle},
            region_code=official.region_id,
        )
    return proposal


def account_proposal_decide(
    *, proposal: AccountProposal, confirm: bool, actor: User
) -> AccountProposal:
    """A registry manager confirms (the account joins the registry) or rejects."""
    if proposal.status != ProposalStatus.DIAJUKAN:
        raise ApplicationError(_("Usulan ini sudah diputuskan."))
    with transaction.atomic():
        proposal.status = ProposalStatus.DIKONFIRMASI if confirm else ProposalStatus.DITOLAK
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.save()
        if confirm:
            SocialAccount.objects.get_or_create(
                official=proposal.official, platform=proposal.platform, handle=proposal.handle
            )
        audit_record(
            obj=proposal.official,
            action="patrol.account_proposal_decided",
            actor=actor,
            after={
                "platform": proposal.platform,
                "handle": proposal.handle,
                "status": proposal.status,
            },
            region_code=proposal.official.region_id,
        )
    return proposal


def watch_list_split(
    *,
    accounts: Sequence[SocialAccount],
    officers: Sequence[User],
    actor: User,
    region_code: str | None,
) -> int:
    """Split accounts among officers in turn (by official, so one officer keeps all the
    accounts of a person); replaces earlier assignments of these accounts."""
    if not officers:
        raise ApplicationError(_("Pilih sedikitnya satu petugas."))
    by_official: dict[int, list[SocialAccount]] = {}
    for account in accounts:
        by_official.setdefault(account.official_id, []).append(account)
    with transaction.atomic():
        PatrolAssignment.objects.filter(account__in=list(accounts)).delete()
        rows = []
        for i, (_official, group) in enumerate(sorted(by_official.items())):
            officer = officers[i % len(officers)]
            rows += [PatrolAssignment(account=a, officer=officer, assigned_by=actor) for a in group]
        PatrolAssignment.objects.bulk_create(rows)
        audit_record(
            obj=actor,
            action="patrol.watch_list_split",
            actor=actor,
            after={"accounts": len(rows), "officers": [o.username for o in officers]},
            region_code=region_code,
        )
    return len(rows)


def watch_term_add(
    *,
    election_event: ElectionEvent,
    unit_region: Region | None,
    kind: str,
    term: str,
    actor: User,
) -> WatchTerm:
    term = " ".join(term.split())
    if not term:
        raise ApplicationError(_("Kata yang dicari wajib diisi."))
    if WatchTerm.objects.filter(
        election_event=election_event, unit_region=unit_region, term__iexact=term
    ).exists():
        raise ApplicationError(_("Nama ini sudah ada dalam daftar pantau."))
    with transaction.atomic():
        row = WatchTerm.objects.create(
            election_event=election_event,
            unit_region=unit_region,
            kind=kind,
            term=term[:120],
            created_by=actor,
        )
        audit_record_created(
            obj=row,
            action="patrol.term_add",
            actor=actor,
            after={"term": row.term, "kind": kind},
            region_code=unit_region.code if unit_region else None,
        )
    return row


def watch_term_remove(*, term: WatchTerm, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            obj=term,
            action="patrol.term_remove",
            actor=actor,
            before={"term": term.term, "kind": term.kind},
            region_code=term.unit_region_id,
        )
        term.delete()


# --- takedown requests --------------------------------------------------------------------

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class LetterData:
    recipient: str
    recipient_name: str
    unit_name: str
    signer_name: str = ""


def takedown_letter_create(
    *,
    actor: User,
    captures: Sequence[Capture],
    data: LetterData,
    unit_region: Region | None,
    verify_url: Any,
) -> TakedownLetter:
    """A numbered letter for the selected captures, its PDF, and one tracked row per URL."""
    from netral.patrol.letters import letter_pdf

    if not captures:
        raise ApplicationError(_("Pilih sedikitnya satu tangkapan."))
    if any(c.status != CaptureStatus.SELESAI or not c.url for c in captures):
        raise ApplicationError(_("Hanya tangkapan tersegel dengan alamat yang dapat diminta."))
    if not data.recipient_name.strip() or not data.unit_name.strip():
        raise ApplicationError(_("Nama penerima dan satuan pengirim wajib diisi."))
    now = local_in(timezone.now(), zone_for_code(unit_region.code if unit_region else None))
    with transaction.atomic():
        last = (
            TakedownLetter.objects.select_for_update()
            .filter(unit_region=unit_region, year=now.year)
            .order_by("-sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        seq = (last or 0) + 1
        number = settings.NETRAL_TAKEDOWN_NUMBER_FORMAT.format(
            seq=seq,
            unit=(unit_region.code if unit_region else "RI"),
            month=_ROMAN[now.month - 1],
            year=now.year,
        )
        letter = TakedownLetter.objects.create(
            number=number,
            unit_region=unit_region,
            year=now.year,
            sequence=seq,
            recipient=data.recipient,
            recipient_name=data.recipient_name.strip(),
            unit_name=data.unit_name.strip(),
            signer_name=data.signer_name.strip(),
            created_by=actor,
        )
        TakedownItem.objects.bulk_create(TakedownItem(letter=letter, capture=c) for c in captures)
        pdf = letter_pdf(letter=letter, captures=list(captures), verify_url=verify_url)
        letter.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        letter.pdf.save(f"takedown-{letter.pk}.pdf", ContentFile(pdf), save=False)
        letter.save()
        audit_record_created(
            obj=letter,
            action="patrol.takedown_letter",
            actor=actor,
            after={
                "number": number,
                "captures": [str(c.code) for c in captures],
                "pdf_sha256": letter.pdf_sha256,
            },
            region_code=unit_region.code if unit_region else None,
        )
    return letter


def takedown_item_set_state(*, item: TakedownItem, state: str, actor: User | None) -> TakedownItem:
    if state not in TakedownState.values:
        raise ApplicationError(_("Status tidak dikenal."))
    with transaction.atomic():
        before = item.state
        item.state = state
        item.save(update_fields=["state", "updated_at"])
        audit_record(
            obj=item.letter,
            action="patrol.takedown_state",
            actor=actor,
            before={"capture": item.capture_id, "state": before},
            after={"capture": item.capture_id, "state": state},
            region_code=item.letter.unit_region_id,
        )
    return item


# A page answering with one of these is gone (removed, or taken down by the platform).
GONE_STATUSES = frozenset({404, 410, 451})


def takedown_recheck(*, item_id: int, resolver: Any = None) -> TakedownItem:
    """Capture the requested URL again (the recapture task's body): a page that is gone marks
    the request as taken down; otherwise the state stays and the check is recorded."""
    item = TakedownItem.objects.select_related("capture", "letter").get(pk=item_id)
    original = item.capture
    recapture = capture_request(
        actor=original.requested_by,
        url=original.url,
        unit_region=original.unit_region,
        election_event=original.election_event,
        as_task=False,  # this task renders it itself
    )
    recapture = capture_run(capture_id=recapture.pk, resolver=resolver)
    gone = recapture.status == CaptureStatus.SELESAI and recapture.http_status in GONE_STATUSES
    with transaction.atomic():
        item.recheck = recapture
        item.last_checked_at = timezone.now()
        item.last_check_status = recapture.http_status
        item.save(update_fields=["recheck", "last_checked_at", "last_check_status", "updated_at"])
    if gone and item.state == TakedownState.DIMINTA:
        takedown_item_set_state(item=item, state=TakedownState.DITURUNKAN, actor=None)
    return item
