"""Generated PDFs of the case file, in the Indonesian official-letter layout (WeasyPrint).

Each document is rendered from a template, stored with its SHA-256 and listed in the case
file beside the evidence. The receipt carries the Ed25519 seal of the filing record and a
QR code of its public verification address.
"""

from __future__ import annotations

import base64
import hashlib
import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netral.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    ClarificationSession,
    DocumentKind,
    Recommendation,
)
from netral.cases.receipt import receipt_record
from netral.cases.regimes import regime_text
from netral.core.zones import case_zone
from netral.elections.models import Regime

if TYPE_CHECKING:
    from netral.accounts.models import User
    from netral.cases.models import RecipientProfile
    from netral.registry.models import Region

TEMPLATES = {
    DocumentKind.RECEIPT: "cases/pdf/receipt.html",
    DocumentKind.REPORT_FORM: "cases/pdf/report_form.html",
    DocumentKind.INVITATION: "cases/pdf/invitation.html",
    DocumentKind.FORWARDING_LETTER: "cases/pdf/forwarding_letter.html",
    DocumentKind.STATUS_NOTICE: "cases/pdf/status_notice.html",
    DocumentKind.PELIMPAHAN_LETTER: "cases/pdf/pelimpahan_letter.html",
}


def unit_name(case: Case) -> str:
    """'Bawaslu Kabupaten Kutai Timur' / 'Panwaslu Kecamatan Sangatta Utara' / 'Bawaslu RI', in
    the case's regime: the ad hoc kecamatan unit is 'Panitia Pengawas Pemilihan Umum Kecamatan'
    in a Pemilu and 'Panitia Pengawas Pemilihan Kecamatan' in a Pilkada (UU 10/2016)."""
    return unit_name_for(case.handling_region, case.regime)


def unit_name_for(region: Region | None, regime: str = "") -> str:
    """The supervisor unit of `region` (None: Bawaslu RI). Without a regime (a report over
    several elections) the kecamatan unit takes its permanent-law name (UU 7/2017)."""
    if region is None:
        return "Badan Pengawas Pemilihan Umum Republik Indonesia"
    depth = region.code.count(".") + 1
    name = region.name.title()
    if depth == 3:
        kecamatan = (
            regime_text(regime).kecamatan_unit
            if regime
            else (regime_text(Regime.PEMILU).kecamatan_unit)
        )
        return f"{kecamatan} {name}"
    if depth == 2:
        prefix = "Kota" if region.name.upper().startswith("KOTA") else "Kabupaten"
        name = name.removeprefix("Kota ").removeprefix("Kabupaten ").removeprefix("Kab. ")
        return f"Badan Pengawas Pemilihan Umum {prefix} {name}"
    return f"Badan Pengawas Pemilihan Umum Provinsi {name}"


def letterhead(case: Case) -> dict[str, Any]:
    return letterhead_for(case.handling_region)


def letterhead_for(region: Region | None) -> dict[str, Any]:
    """The unit's letterhead (address, place, contacts, logo) as configured by an administrator
    (UnitLetterhead); without one, the region's name and code (issue 12 point 18)."""
    from netral.cases.models import NATIONAL_UNIT, UnitLetterhead

    unit = region.code if region is not None else NATIONAL_UNIT
    row = UnitLetterhead.objects.filter(unit=unit).first()
    default_place = (
        region.name.title().removeprefix("Kabupaten ").removeprefix("Kota ")
        if region is not None
        else "Jakarta"
    )
    if row is None:
        return {
            "address": (
                f"{region.name.title()} · {_('Kode wilayah')} {region.code}"
                if region is not None
                else "Jl. M.H. Thamrin No. 14, Jakarta Pusat"
            ),
            "place": default_place,
            "contacts": "",
            "logo": "",
        }
    logo = ""
    if row.logo:
        with row.logo.open("rb") as fh:
            data = fh.read()
        kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
        logo = f"data:image/{kind};base64," + base64.b64encode(data).decode()
    contacts = " · ".join(v for v in (row.phone, row.email, row.website) if v)
    return {
        "address": row.address,
        "place": row.place or default_place,
        "contacts": contacts,
        "logo": logo,
    }


def _qr_data_uri(url: str) -> str:
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=3)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A case document, its times in the handling unit's zone (issue 12 point 7): `|date`
    shows a moment in the active zone, so the case's is active while it renders, whoever
    (and wherever) the viewer is, and in the worker too."""
    from weasyprint import HTML

    with timezone.override(case_zone(context["case"]).tz):
        html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def document_context(
    *,
    case: Case,
    kind: str,
    clarification: ClarificationSession | None = None,
    recommendation: Recommendation | None = None,
    forwarded_to: Case | None = None,
    number: str = "",
    note: str = "",
    pin: str = "",
    signer: User | None = None,
) -> dict[str, Any]:
    verify_url = settings.SITE_URL + reverse("cases:public_verify", args=[case.code])
    zone = case_zone(case)
    now = timezone.now().astimezone(zone.tz)
    unit = unit_name(case)
    context: dict[str, Any] = {
        "case": case,
        "unit": unit,
        "regime": regime_text(case.regime),
        "letterhead": letterhead(case),
        # The signing officer's name and position, from their profile (issue 12 point 18).
        "signer_name": (signer.full_name or signer.get_username()) if signer else "",
        "signer_position": signer.position if signer else "",
        "zone": zone.abbreviation,
        "region": case.handling_region,
        "today": now.date(),
        "now": now,
        # Times printed in the handling unit's zone with its name (issue 12 point 7).
        "filed_local": case.filed_at.astimezone(zone.tz) if case.filed_at else None,
        "received_local": case.received_at.astimezone(zone.tz) if case.received_at else None,
        "scheduled_local": clarification.scheduled_at.astimezone(zone.tz)
        if clarification is not None
        else None,
        "reporter": getattr(case, "reporter", None),
        "persons": list(case.reported_persons.all()),
        "witnesses": list(case.witnesses.all()),
        "evidence": list(case.evidence.all()),
        "clarification": clarification,
        "recommendation": recommendation,
        "forwarded_to": forwarded_to,
        "recipient_unit": unit_name(forwarded_to) if forwarded_to is not None else "",
        "number": number,
        "note": note,
        "verify_url": verify_url,
        "pin": pin,
    }
    if recommendation is not None:
        context.update(forwarding_letter_text(case=case, recommendation=recommendation, unit=unit))
    if kind == DocumentKind.RECEIPT:
        context["seal"] = case.receipt_seal or {}
        context["record"] = receipt_record(case)
        context["qr"] = _qr_data_uri(verify_url)
    return context


def forwarding_letter_text(
    *, case: Case, recommendation: Recommendation, unit: str
) -> dict[str, Any]:
    """Subject, opening and basis of a forwarding letter by recipient kind (issue 12 point 10;
    DOMAIN §6, §7), from the editable RecipientProfile, in the case's regime (point 9). A basis
    is printed only when the profile has one for this regime, and the follow-up deadline only
    when its rule is sourced (point 11: never "pasal tidak ditemukan")."""
    from netral.cases.models import RecipientProfile
    from netral.cases.workflow import is_direct_forwarding
    from netral.elections.models import Regime

    text = regime_text(case.regime)
    profile = RecipientProfile.objects.filter(recipient=recommendation.recipient).first()
    values = {
        "registration_number": case.registration_number or case.reference,
        "unit": unit,
        "election": text.election,
    }
    if is_direct_forwarding(case):
        # Kajian awal forwarded the report without registration (DOMAIN §5.5 note on
        # PERUU_LAIN, "diteruskan kepada instansi yang berwenang"; issue 12 point 15): no
        # registration number, no finding, and the basis is the regime's procedural regulation
        # without an article (the article is UNCONFIRMED in DOMAIN).
        received = case.received_at or case.filed_at
        zone = case_zone(case)
        subject = _("Penerusan Laporan Dugaan Pelanggaran Peraturan Perundang-undangan Lainnya")
        body = _(
            "Berdasarkan hasil kajian awal atas laporan yang diterima %(unit)s pada tanggal "
            "%(date)s dengan nomor pelacakan %(tracking)s, laporan tersebut memuat dugaan "
            "pelanggaran peraturan perundang-undangan lainnya yang menjadi kewenangan instansi "
            "Saudara. Laporan tersebut tidak "
            "diregistrasi dan bersama ini kami teruskan untuk ditindaklanjuti sesuai ketentuan "
            "peraturan perundang-undangan, dengan uraian sebagai berikut:"
        ) % {
            "unit": unit,
            "date": date_format(received.astimezone(zone.tz).date(), "j F Y") if received else "-",
            "tracking": case.tracking_number or case.reference,
        }
        return {
            "letter_subject": subject,
            "letter_body": body,
            "letter_basis": text.procedure,
            "procedure": text.procedure,
            "due_printed": _due_printed(case, recommendation, profile),
            "direct_forwarding": True,
        }
    if profile is None:
        subject = _("Penerusan Hasil Penanganan Dugaan Pelanggaran")
        body = (
            _(
                "Berdasarkan hasil penanganan dugaan pelanggaran nomor registrasi "
                "%(registration_number)s, bersama ini kami teruskan hasil kajian terhadap terlapor "
                "berikut untuk ditindaklanjuti sesuai ketentuan peraturan perundang-undangan:"
            )
            % values
        )
        basis = ""
    else:
        subject = profile.letter_subject.format(**values)
        body = profile.letter_body.format(**values)
        basis = (
            profile.legal_basis_pilkada
            if case.regime == Regime.PILKADA
            else profile.legal_basis_pemilu
        )
    return {
        "letter_subject": subject,
        "letter_body": body,
        "letter_basis": basis,
        "procedure": text.procedure,
        "due_printed": _due_printed(case, recommendation, profile),
    }


def _due_printed(
    case: Case, recommendation: Recommendation, profile: RecipientProfile | None
) -> bool:
    """The follow-up deadline is printed only when its rule is sourced (issue 12 point 11)."""
    from netral.cases.deadlines import rule_get
    from netral.cases.models import Confidence, DeadlineStep

    if recommendation.due_at is None:
        return False
    rule = rule_get(regime=case.regime, step=DeadlineStep.PPK_TINDAK_LANJUT)
    return (
        profile is not None
        and not profile.asn_follow_up
        and bool(profile.follow_up_basis)
        and profile.confidence != Confidence.UNCONFIRMED
    ) or (
        (profile is None or profile.asn_follow_up)
        and rule is not None
        and rule.confidence != Confidence.UNCONFIRMED
    )


def document_generate(
    *,
    case: Case,
    kind: str,
    actor: User | None,
    clarification: ClarificationSession | None = None,
    recommendation: Recommendation | None = None,
    forwarded_to: Case | None = None,
    number: str = "",
    note: str = "",
) -> CaseDocument:
    """Render, store and list one document of the case file."""
    titles = {
        DocumentKind.RECEIPT: _("Tanda terima laporan %(ref)s"),
        DocumentKind.REPORT_FORM: _("Formulir laporan %(ref)s"),
        DocumentKind.INVITATION: _("Undangan klarifikasi %(ref)s"),
        DocumentKind.FORWARDING_LETTER: _("Surat penerusan %(ref)s"),
        DocumentKind.STATUS_NOTICE: _("Pemberitahuan status laporan %(ref)s"),
        DocumentKind.PELIMPAHAN_LETTER: _("Surat pelimpahan %(ref)s"),
    }
    context = document_context(
        case=case,
        kind=kind,
        clarification=clarification,
        recommendation=recommendation,
        forwarded_to=forwarded_to,
        number=number,
        note=note,
        signer=actor,
    )
    pdf = render_pdf(TEMPLATES[DocumentKind(kind)], context)
    digest = hashlib.sha256(pdf).hexdigest()
    if clarification is not None:
        number = clarification.invitation_number
    elif recommendation is not None:
        number = recommendation.letter_number
    with transaction.atomic():
        doc = CaseDocument(
            case=case,
            kind=kind,
            number=number,
            title=str(titles[DocumentKind(kind)]) % {"ref": case.reference},
            sha256=digest,
            clarification=clarification,
            recommendation=recommendation,
            created_by=actor,
        )
        doc.file.save("dokumen.pdf", ContentFile(pdf), save=False)
        doc.save()
        CaseEvent.objects.create(
            case=case,
            type=CaseEvent.Type.DOCUMENT_GENERATED,
            actor=actor,
            actor_label=str(actor) if actor else "SISTEM",
            parameters={"document": doc.pk, "kind": kind, "sha256": digest},
        )
    return doc


def pelimpahan_letter_generate(
    *, source: Case, target: Case, actor: User, note: str, number: str
) -> tuple[CaseDocument, CaseDocument]:
    """The surat pelimpahan (T9, Perbawaslu 7/2022 Ps. 20) from the source's unit to the
    receiving unit, in the caller's transaction (case_forward): rendered and stored once on the
    source, and listed in the new case's file as the same stored file with the same SHA-256
    (like the evidence, no bytes copied), so both units read it through their own case."""
    sent = document_generate(
        case=source,
        kind=DocumentKind.PELIMPAHAN_LETTER,
        actor=actor,
        forwarded_to=target,
        number=number,
        note=note,
    )
    received = CaseDocument(
        case=target,
        kind=sent.kind,
        number=sent.number,
        title=sent.title,
        sha256=sent.sha256,
        created_by=actor,
    )
    received.file.name = sent.file.name
    received.save()
    CaseEvent.objects.create(
        case=target,
        type=CaseEvent.Type.DOCUMENT_GENERATED,
        actor=actor,
        actor_label=str(actor),
        parameters={
            "document": received.pk,
            "kind": sent.kind,
            "sha256": sent.sha256,
            "forwarded_from_document": sent.pk,
        },
    )
    return sent, received


def receipt_pdf(*, case: Case) -> bytes:
    """The public receipt (no PIN printed: the reporter keeps it separately)."""
    existing = case.documents.filter(kind=DocumentKind.RECEIPT).first()
    if existing is not None:
        with existing.file.open("rb") as fh:
            data: bytes = fh.read()
            return data
    return _read(document_generate(case=case, kind=DocumentKind.RECEIPT, actor=None))


def _read(doc: CaseDocument) -> bytes:
    with doc.file.open("rb") as fh:
        data: bytes = fh.read()
    return data
