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

if TYPE_CHECKING:
    from netral.accounts.models import User

TEMPLATES = {
    DocumentKind.RECEIPT: "cases/pdf/receipt.html",
    DocumentKind.REPORT_FORM: "cases/pdf/report_form.html",
    DocumentKind.INVITATION: "cases/pdf/invitation.html",
    DocumentKind.FORWARDING_LETTER: "cases/pdf/forwarding_letter.html",
    DocumentKind.STATUS_NOTICE: "cases/pdf/status_notice.html",
    DocumentKind.PELIMPAHAN_LETTER: "cases/pdf/pelimpahan_letter.html",
}


def unit_name(case: Case) -> str:
    """'Bawaslu Kabupaten Kutai Timur' / 'Panwaslu Kecamatan Sangatta Utara' / 'Bawaslu RI'."""
    region = case.handling_region
    if region is None:
        return "Badan Pengawas Pemilihan Umum Republik Indonesia"
    depth = region.code.count(".") + 1
    name = region.name.title()
    if depth == 3:
        return f"Panitia Pengawas Pemilihan Umum Kecamatan {name}"
    if depth == 2:
        prefix = "Kota" if region.name.upper().startswith("KOTA") else "Kabupaten"
        name = name.removeprefix("Kota ").removeprefix("Kabupaten ").removeprefix("Kab. ")
        return f"Badan Pengawas Pemilihan Umum {prefix} {name}"
    return f"Badan Pengawas Pemilihan Umum Provinsi {name}"


def _qr_data_uri(url: str) -> str:
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=3)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

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
) -> dict[str, Any]:
    verify_url = settings.SITE_URL + reverse("cases:public_verify", args=[case.code])
    context: dict[str, Any] = {
        "case": case,
        "unit": unit_name(case),
        "region": case.handling_region,
        "today": timezone.localdate(),
        "now": timezone.localtime(),
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
    if kind == DocumentKind.RECEIPT:
        context["seal"] = case.receipt_seal or {}
        context["record"] = receipt_record(case)
        context["qr"] = _qr_data_uri(verify_url)
    return context


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
