"""Certificates parsed back: structure and text, never bytes (STYLE.md §1.7)."""

from __future__ import annotations

import dataclasses
import io
import zipfile

from pypdf import PdfReader

from netral.declarations import pdf
from netral.declarations.qr import qr_matrix, qr_svg

PLEDGE = {
    "title": "Ikrar Netralitas ASN",
    "kind": "IKRAR_NETRALITAS",
    "version": 3,
    "preamble": "Kami berikrar:",
    "points": ["Menjaga netralitas.", "Menolak politik uang."],
    "closing": "Demikian.",
}
EVENT = {
    "code": "x",
    "title": "Sosialisasi Kutai Timur",
    "date": "2024-09-20",
    "venue": "Hotel Victoria",
    "region": "64.08",
    "organiser": "Kesbangpol Kutai Timur",
}


def _fields(i: int, note: str = "") -> pdf.CertificateFields:
    return pdf.CertificateFields(
        signer_name=f"Kepala Desa Nomor {i}",
        signer_line="Kepala Desa, Pemerintah Desa",
        signed_at="2024-09-20 02:30:15 UTC",
        method="Dicatat petugas",
        code=f"00000000-0000-0000-0000-{i:012d}",
        verify_url=f"http://testserver/verifikasi/00000000-0000-0000-0000-{i:012d}/",
        status_note=note,
    )


def _template() -> bytes:
    return pdf.render_template_pdf(
        pdf.template_html(pledge=PLEDGE, event=EVENT, kind_label="Ikrar netralitas")
    )


def test_a_merged_pdf_has_one_page_per_certificate_with_its_own_text() -> None:
    # given
    template = _template()
    # when
    data = pdf.certificates_pdf([(template, [_fields(i) for i in range(5)])])
    # then
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 5
    for i, page in enumerate(reader.pages):
        text = page.extract_text()
        assert "SERTIFIKAT PENANDATANGANAN" in text
        assert "Menolak politik uang." in text
        assert f"Kepala Desa Nomor {i}" in text
        assert f"/verifikasi/00000000-0000-0000-0000-{i:012d}/" in text
        assert f"Kepala Desa Nomor {i + 1}" not in text


def test_a_revoked_certificate_says_so() -> None:
    data = pdf.certificate_pdf(_template(), _fields(1, note="DICABUT"))
    assert "DICABUT" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_names_outside_latin_1_do_not_break_the_page() -> None:
    fields = pdf.CertificateFields(
        signer_name="Ni Ketut Ayu (bahasa Bali: ᬓᬾᬢᬸᬢ᭄)",
        signer_line="Perbekel",
        signed_at="x",
        method="y",
        code="c",
        verify_url="http://t/verifikasi/c/",
    )
    data = pdf.certificate_pdf(_template(), fields)
    assert "Ni Ketut Ayu" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_the_template_cache_renders_once(tmp_path: object) -> None:
    from pathlib import Path

    cache = Path(str(tmp_path))
    html = pdf.template_html(pledge=PLEDGE, event=EVENT, kind_label="Ikrar")
    first = pdf.template_pdf_cached(html, cache)
    assert len(list(cache.glob("*.pdf"))) == 1
    assert pdf.template_pdf_cached(html, cache) == first


def test_a_zip_holds_one_readable_pdf_per_certificate() -> None:
    template = _template()
    data = pdf.certificates_zip(
        (f"{i}.pdf", pdf.certificate_pdf(template, _fields(i))) for i in range(3)
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["0.pdf", "1.pdf", "2.pdf"]
        page = PdfReader(io.BytesIO(archive.read("2.pdf"))).pages[0]
        assert "Kepala Desa Nomor 2" in page.extract_text()


def test_single_certificates_of_one_template_are_what_certificate_pdf_writes() -> None:
    """The ZIP's shortcut (one template written once, the signer's overlay spliced in) gives
    the same file as writing each certificate on its own; compared path against path."""
    template = _template()
    single = pdf.SingleCertificates(pdf.template_reader(template))
    signers = [_fields(i, note="DICABUT" if i == 2 else "") for i in range(4)]
    signers.append(dataclasses.replace(_fields(4), signer_name="Ősz Nagy-Łukasz " * 3))
    for fields in signers:
        data = single.pdf(fields)
        assert data == pdf.certificate_pdf(template, fields)
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert fields.signer_name.split()[0].replace("Ő", "O") in text


def test_certificate_qr_codes_use_the_fixed_mask_and_the_same_modules_elsewhere() -> None:
    import segno

    from netral.declarations.qr import CERTIFICATE_MASK

    url = "http://testserver/verifikasi/00000000-0000-0000-0000-000000000001/"
    fixed = segno.make(url, error="m", micro=False, mask=CERTIFICATE_MASK)
    assert fixed.mask == CERTIFICATE_MASK
    assert qr_matrix(url, mask=CERTIFICATE_MASK) == [[bool(c) for c in row] for row in fixed.matrix]
    # the same version and error level as the evaluated best mask: only the mask differs
    best = segno.make(url, error="m", micro=False)
    assert (fixed.version, fixed.error) == (best.version, best.error)


def test_qr_codes_encode_the_url() -> None:
    matrix = qr_matrix("http://testserver/verifikasi/abc/")
    assert len(matrix) == len(matrix[0]) >= 21
    assert matrix[0][:7] == [True] * 7  # finder pattern
    assert qr_svg("http://x/").startswith("<svg")


def test_accented_letters_outside_winansi_keep_their_base_letter() -> None:
    fields = pdf.CertificateFields(
        signer_name="Şahin Őrs Nur\u2019aini",
        signer_line="Perangkat desa",
        signed_at="x",
        method="y",
        code="c",
        verify_url="http://t/verifikasi/c/",
    )
    text = PdfReader(io.BytesIO(pdf.certificate_pdf(_template(), fields))).pages[0].extract_text()
    assert "Sahin Ors Nur\u2019aini" in text
