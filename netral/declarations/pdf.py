"""Certificates as PDF, fast enough for a whole event (pure-ish: no database).

Design (see docs/declarations.md, "Certificates"): WeasyPrint renders the parts that are
the same for every signer of one text at one event (the pledge text, the event, the
labels) ONCE into a one-page template PDF. Each certificate is then that page plus a
small overlay content stream drawn directly (signer name, time, method, code, the
verification URL and a vector QR code), so N certificates cost one WeasyPrint render and
N cheap page stamps instead of N renders. Rendered templates are cached on disk keyed by
the SHA-256 of their HTML, so a single certificate on demand usually skips WeasyPrint.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from netral.declarations.qr import CERTIFICATE_MASK, qr_matrix

MM = 72 / 25.4
PAGE_HEIGHT = 297 * MM
_FONT_REGULAR = "/NtHelv"
_FONT_BOLD = "/NtHelvB"
_FONT_MONO = "/NtCour"


@dataclass(frozen=True)
class CertificateFields:
    """The per-signer values stamped onto the template page."""

    signer_name: str
    signer_line: str  # title and institution
    signed_at: str
    method: str
    code: str
    verify_url: str
    status_note: str = ""  # e.g. "DICABUT" for a revoked signature


def template_html(*, pledge: dict[str, Any], event: dict[str, Any], kind_label: str) -> str:
    return render_to_string(
        "declarations/pdf/certificate.html",
        {"pledge": pledge, "event": event, "kind_label": kind_label},
    )


def render_template_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: heavy, and only needed on a cache miss

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def template_pdf_cached(html: str, cache_dir: Path | None) -> bytes:
    """The rendered template page for `html`, from the disk cache when present."""
    if cache_dir is None:
        return render_template_pdf(html)
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    path = cache_dir / f"{key}.pdf"
    if path.exists():
        return path.read_bytes()
    data = render_template_pdf(html)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{id(data)}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


# --- the overlay ---------------------------------------------------------------------


def _winansi(text: str) -> bytes:
    """WinAnsi bytes for the standard fonts; a character outside it falls back to its
    unaccented base letter ("ő" -> "o") and only then to "?"."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
            out += base or b"?"
    return bytes(out)


def _pdf_string(text: str) -> bytes:
    raw = _winansi(text)
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _text(font: str, size: float, x_mm: float, y_mm: float, text: str) -> bytes:
    return b"BT %s %.2f Tf %.2f %.2f Td %s Tj ET\n" % (
        font.encode(),
        size,
        x_mm * MM,
        y_mm * MM,
        _pdf_string(text),
    )


def _fit(text: str, size: float, max_chars: int, minimum: float = 7.0) -> float:
    return size if len(text) <= max_chars else max(minimum, size * max_chars / len(text))


def _qr_ops(data: str, x_mm: float, y_mm: float, size_mm: float) -> bytes:
    """The QR code as filled rectangles, one per horizontal run of dark modules."""
    matrix = qr_matrix(data, mask=CERTIFICATE_MASK)
    n = len(matrix) + 8  # quiet zone of 4 modules each side
    module = size_mm * MM / n
    x0, y_top = x_mm * MM + 4 * module, (y_mm + size_mm) * MM - 4 * module
    ops = [b"0 0 0 rg\n"]
    for r, row in enumerate(matrix):
        c = 0
        width = len(row)
        while c < width:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < width and row[c]:
                c += 1
            ops.append(
                b"%.3f %.3f %.3f %.3f re\n"
                % (x0 + start * module, y_top - (r + 1) * module, (c - start) * module, module)
            )
    ops.append(b"f\n")
    return b"".join(ops)


def overlay_stream(fields: CertificateFields) -> bytes:
    parts = [
        b"q 0.07 0.07 0.07 rg\n",
        _text(_FONT_BOLD, _fit(fields.signer_name, 15, 38), 22, 79, fields.signer_name),
        _text(_FONT_REGULAR, _fit(fields.signer_line, 10, 70), 22, 72.5, fields.signer_line),
        _text(_FONT_REGULAR, 11, 22, 58, fields.signed_at),
        _text(_FONT_REGULAR, 11, 22, 44, fields.method),
        _text(_FONT_MONO, 11, 22, 31, fields.code),
        _text(_FONT_MONO, _fit(fields.verify_url, 8, 80, 5), 22, 11.5, fields.verify_url),
    ]
    if fields.status_note:
        parts.append(b"0.75 0.1 0.1 rg\n")
        parts.append(_text(_FONT_BOLD, 26, 120, 150, fields.status_note))
    parts.append(_qr_ops(fields.verify_url, 150, 23, 38))
    parts.append(b"Q\n")
    return b"".join(parts)


def _font(base: str) -> DictionaryObject:
    font = DictionaryObject()
    font[NameObject("/Type")] = NameObject("/Font")
    font[NameObject("/Subtype")] = NameObject("/Type1")
    font[NameObject("/BaseFont")] = NameObject(base)
    font[NameObject("/Encoding")] = NameObject("/WinAnsiEncoding")
    return font


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def template_reader(template_pdf: bytes) -> PdfReader:
    """The parsed template, to stamp many single-certificate PDFs (a ZIP) from one parse:
    parsing the template's fonts was half of each single certificate's cost."""
    reader = PdfReader(io.BytesIO(template_pdf))
    reader.pages[0]["/Resources"].get_object()  # parse now, once
    return reader


class _Stamper:
    """Adds stamped copies of one template page to a writer, sharing its resources."""

    def __init__(self, writer: PdfWriter, template: bytes | PdfReader) -> None:
        self.writer = writer
        reader = template if isinstance(template, PdfReader) else template_reader(template)
        source = reader.pages[0]
        # Template content and resources are added once and shared by every page.
        resources = cast(DictionaryObject, source["/Resources"].get_object())
        font_dict = resources.get("/Font")
        fonts = DictionaryObject(
            cast(DictionaryObject, font_dict.get_object()) if font_dict is not None else {}
        )
        fonts[NameObject(_FONT_REGULAR)] = writer._add_object(_font("/Helvetica"))
        fonts[NameObject(_FONT_BOLD)] = writer._add_object(_font("/Helvetica-Bold"))
        fonts[NameObject(_FONT_MONO)] = writer._add_object(_font("/Courier"))
        merged = DictionaryObject(resources)
        merged[NameObject("/Font")] = fonts
        first = writer.add_blank_page(float(source.mediabox.width), float(source.mediabox.height))
        first[NameObject("/Resources")] = merged.clone(writer)
        contents = cast(StreamObject, source["/Contents"].get_object())
        self.resources_ref = writer._add_object(first["/Resources"])
        first[NameObject("/Resources")] = self.resources_ref
        self.contents_ref = writer._add_object(contents.clone(writer))
        # WeasyPrint leaves its own transformation in force: isolate it with q/Q.
        self.push_ref = writer._add_object(_stream(b"q\n"))
        self.pop_ref = writer._add_object(_stream(b"Q\n"))
        self.first = first
        self.used_first = False
        self.width = float(source.mediabox.width)
        self.height = float(source.mediabox.height)

    def add(self, fields: CertificateFields) -> None:
        page = (
            self.first
            if not self.used_first
            else self.writer.add_blank_page(self.width, self.height)
        )
        self.used_first = True
        overlay = self.writer._add_object(_stream(overlay_stream(fields)).flate_encode())
        page[NameObject("/Resources")] = self.resources_ref
        page[NameObject("/Contents")] = ArrayObject(
            [self.push_ref, self.contents_ref, self.pop_ref, overlay]
        )


def _writer_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def certificates_pdf(
    groups: Iterable[tuple[bytes | PdfReader, Sequence[CertificateFields]]],
) -> bytes:
    """One PDF with a page per certificate; `groups` pairs a template PDF with its signers."""
    writer = PdfWriter()
    writer.add_metadata({"/Producer": "Netral", "/Title": "Sertifikat penandatanganan"})
    for template_pdf, items in groups:
        if not items:
            continue
        stamper = _Stamper(writer, template_pdf)
        for fields in items:
            stamper.add(fields)
    return _writer_bytes(writer)


def certificate_pdf(template_pdf: bytes | PdfReader, fields: CertificateFields) -> bytes:
    return certificates_pdf([(template_pdf, [fields])])


class SingleCertificates:
    """Many one-certificate PDFs of one template (an event's ZIP), each byte for byte what
    `certificate_pdf` writes, without writing the template's objects (its embedded fonts)
    again for every signer (issue 15 performance: that and the parse were two thirds of the
    ZIP's cost).

    pypdf writes a certificate's objects in order and the signer's overlay stream last, then
    the cross-reference table and the trailer. So every certificate of one template shares
    the bytes before the overlay object, and the table (the overlay starts at the same
    offset); only the overlay object and the `startxref` offset after it differ. The first
    certificate is written by pypdf and split there; `tests/declarations/test_pdf.py` checks
    the result equals `certificate_pdf` for several signers."""

    def __init__(self, template: bytes | PdfReader) -> None:
        self.template = template
        self._prefix: bytes | None = None
        self._table = b""
        self._overlay_id = 0

    def _split(self, fields: CertificateFields) -> bytes:
        writer = PdfWriter()
        writer.add_metadata({"/Producer": "Netral", "/Title": "Sertifikat penandatanganan"})
        stamper = _Stamper(writer, self.template)
        stamper.add(fields)
        data = _writer_bytes(writer)
        overlay_id = len(writer._objects)  # the overlay is the last object added
        start = data.rfind(b"\n%d 0 obj\n" % overlay_id) + 1
        table = data.rfind(b"\nxref\n") + 1
        end = data.rfind(b"startxref\n")
        if not 0 < start < table < end or data[table - 8 : table] != b"\nendobj\n":
            return data  # not the layout above: no shortcut for this template
        self._prefix, self._table, self._overlay_id = data[:start], data[table:end], overlay_id
        return data

    def pdf(self, fields: CertificateFields) -> bytes:
        if self._prefix is None:
            return self._split(fields)
        body = io.BytesIO()
        body.write(b"%d 0 obj\n" % self._overlay_id)
        _stream(overlay_stream(fields)).flate_encode().write_to_stream(body)
        body.write(b"\nendobj\n")
        overlay = body.getvalue()
        xref_at = len(self._prefix) + len(overlay)
        return b"".join((self._prefix, overlay, self._table, b"startxref\n%d\n%%%%EOF\n" % xref_at))


def certificates_zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    # PDFs are already compressed; storing them keeps the ZIP fast.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()
