"""Certificates for stored signatures: groups signatures by their template page and
stamps them (pdf.py). Reads only; `verify_url(code)` builds the absolute public URL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from netral.core.progress import ProgressCallback, noop_progress
from netral.declarations import pdf, signing
from netral.declarations.models import JointDeclaration, PledgeKind, Signature, SignatureMethod

VerifyUrl = Callable[[str], str]


def template_cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "declarations" / "certificate-templates"


def _template_html(signature: Signature) -> str:
    kind = signature.pledge_snapshot.get("kind", "")
    label = str(PledgeKind(kind).label) if kind in PledgeKind.values else kind
    return pdf.template_html(
        pledge=signature.pledge_snapshot, event=signature.event_snapshot, kind_label=label
    )


def _fields(signature: Signature, verify_url: VerifyUrl) -> pdf.CertificateFields:
    line = ", ".join(p for p in (signature.signer_title, signature.signer_institution) if p)
    method = SignatureMethod(signature.method).label
    return pdf.CertificateFields(
        signer_name=signature.signer_name,
        signer_line=line,
        signed_at=signing.format_time(signature.signed_at).replace("T", " ").replace("Z", " UTC"),
        method=str(method),
        code=str(signature.code),
        verify_url=verify_url(str(signature.code)),
        status_note=_("DICABUT") if signature.revoked_at else "",
    )


def _snapshot_key(signature: Signature) -> str:
    """What the template page depends on (the text and the event as signed): signatures with
    the same key share one rendered page, so the HTML is rendered once per key, not once per
    signer (issue 15 performance)."""
    import json

    return json.dumps(
        [signature.pledge_snapshot, signature.event_snapshot], sort_keys=True, default=str
    )


def _groups(
    signatures: Sequence[Signature], verify_url: VerifyUrl
) -> list[tuple[bytes, list[pdf.CertificateFields]]]:
    # Certificates are rendered in the default language (Indonesian), whatever the viewer.
    with translation.override(settings.LANGUAGE_CODE):
        by_key: dict[str, tuple[Signature, list[pdf.CertificateFields]]] = {}
        for signature in signatures:
            key = _snapshot_key(signature)
            if key not in by_key:
                by_key[key] = (signature, [])
            by_key[key][1].append(_fields(signature, verify_url))
        # Two keys may still render the same HTML (a field the template does not print).
        by_html: dict[str, list[pdf.CertificateFields]] = {}
        for first, items in by_key.values():
            by_html.setdefault(_template_html(first), []).extend(items)
        cache = template_cache_dir()
        return [(pdf.template_pdf_cached(html, cache), items) for html, items in by_html.items()]


def certificate_for(*, signature: Signature, verify_url: VerifyUrl) -> bytes:
    return pdf.certificates_pdf(_groups([signature], verify_url))


def certificates_merged(
    *,
    signatures: Sequence[Signature],
    verify_url: VerifyUrl,
    progress: ProgressCallback = noop_progress,
) -> bytes:
    groups = _groups(signatures, verify_url)
    total = len(signatures)
    done = 0

    def counted() -> Iterator[tuple[bytes, list[pdf.CertificateFields]]]:
        nonlocal done
        for template_pdf, items in groups:
            yield template_pdf, _Counting(items, lambda: progress(done, total), bump)

    def bump() -> None:
        nonlocal done
        done += 1

    data = pdf.certificates_pdf(counted())
    progress(total, total)
    return data


class _Counting(list[pdf.CertificateFields]):
    """The items of a group, counting each one as the stamper takes it (progress)."""

    def __init__(
        self,
        items: list[pdf.CertificateFields],
        report: Callable[[], None],
        bump: Callable[[], None],
    ) -> None:
        super().__init__(items)
        self._report, self._bump = report, bump

    def __iter__(self) -> Iterator[pdf.CertificateFields]:
        for item in super().__iter__():
            yield item
            self._bump()
            self._report()


def certificate_filename(signature: Signature) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", signature.signer_name).strip("-")[:60] or "penanda"
    return f"sertifikat-{name}-{str(signature.code)[:8]}.pdf"


def certificates_zip(
    *,
    signatures: Sequence[Signature],
    verify_url: VerifyUrl,
    progress: ProgressCallback = noop_progress,
) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        cache = template_cache_dir()
        # One render and one parse per template (issue 15 performance), keyed by what the
        # template depends on (the snapshots), not by rendering its HTML per signer.
        templates: dict[str, pdf.SingleCertificates] = {}
        files = []
        total = len(signatures)
        for done, signature in enumerate(signatures):
            progress(done, total)
            key = _snapshot_key(signature)
            if key not in templates:
                html = _template_html(signature)
                templates[key] = pdf.SingleCertificates(
                    pdf.template_reader(pdf.template_pdf_cached(html, cache))
                )
            files.append(
                (
                    certificate_filename(signature),
                    templates[key].pdf(_fields(signature, verify_url)),
                )
            )
    progress(len(signatures), len(signatures))
    return pdf.certificates_zip(files)


def joint_declaration_pdf(*, joint: JointDeclaration, verify_url: str) -> bytes:
    """The joint declaration (issue 13 §5) as one document: the text, the event and every
    institutional signatory, with the QR code of its public verification page."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from netral.declarations import qr

    record = joint.record
    kind = record["pledge"].get("kind", "")
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "declarations/pdf/joint.html",
            {
                "record": record,
                "kind_label": str(PledgeKind(kind).label) if kind in PledgeKind.values else kind,
                "qr_svg": mark_safe(qr.qr_svg(verify_url, scale=3)),  # noqa: S308  segno output
                "verify_url": verify_url,
                "digest": joint.seal_digest,
                "key": f"{joint.seal_algorithm} {joint.seal_key_id}",
            },
        )
    return pdf.render_template_pdf(html)
