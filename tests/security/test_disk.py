"""Issue 14, point 4: evidence cannot fill the disk, and a file must be wholly what it claims."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from netral.cases.models import Case, Evidence
from tests.cases.conftest import PDF, PNG
from tests.cases.test_public_views import URL, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _noise_png(side: int = 400) -> bytes:
    """A real PNG of incompressible noise: side * side * 3 bytes, about 480 kB at 400."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 30)).save(out, "JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _mp4() -> bytes:
    return (
        _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
        + _box(b"moov", _box(b"mvhd", b"\x00" * 100))
        + _box(b"mdat", b"\x00" * 64)
    )


def _webm() -> bytes:
    doctype = b"\x42\x82\x84webm"
    header = b"\x1aE\xdf\xa3" + bytes([0x80 | len(doctype)]) + doctype
    return header + b"\x18S\x80g" + b"\x01\xff\xff\xff\xff\xff\xff\xff" + b"\x00" * 32


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Main-Class: Evil\n")
    return out.getvalue()


def _file(name: str, data: bytes, ctype: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=ctype)


def _post(client: Client, *files: SimpleUploadedFile) -> Any:
    return client.post(URL, form_data(files=list(files)))


def _nothing_stored() -> bool:
    return Case.objects.count() == 0 and not Evidence.objects.exclude(file="").exists()


@override_settings(NETRAL_MAX_REPORT_MB=1)
def test_the_files_of_one_report_are_limited_together(client: Client) -> None:
    big = [_file(f"f{i}.png", _noise_png(), "image/png") for i in range(3)]  # ~1.4 MB
    response = _post(client, *big)
    assert response.status_code == 400
    assert "1 MB seluruhnya" in response.content.decode()
    assert _nothing_stored()
    assert _post(client, _file("ok.png", _noise_png(), "image/png")).status_code == 302


@override_settings(NETRAL_UPLOAD_QUOTA_MB_PER_DAY=1, NETRAL_TRUSTED_PROXIES=["10.0.0.5"])
def test_one_client_has_a_daily_upload_quota() -> None:
    flooder = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert _post(flooder, _file("a.png", _noise_png(), "image/png")).status_code == 302
    assert _post(flooder, _file("b.png", _noise_png(), "image/png")).status_code == 302
    refused = _post(flooder, _file("c.png", _noise_png(), "image/png"))
    assert refused.status_code == 400
    assert "Batas unggah harian" in refused.content.decode()
    assert Case.objects.count() == 2
    # a refused report gave nothing back it had not taken; another citizen is not affected
    other = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _post(other, _file("d.png", _noise_png(), "image/png")).status_code == 302
    # a report without files still goes from the flooder
    assert _post(flooder).status_code == 302


@override_settings(NETRAL_MIN_FREE_DISK_MB=10**9)  # a petabyte: more than any disk has free
def test_no_evidence_is_taken_when_free_space_falls_below_the_floor(client: Client) -> None:
    response = _post(client, _file("a.png", PNG, "image/png"))
    assert response.status_code == 400
    assert "Penyimpanan server sedang penuh" in response.content.decode()
    assert _nothing_stored()
    assert _post(client).status_code == 302  # a report without files is still taken


@pytest.mark.parametrize(
    ("name", "data", "ctype"),
    [
        ("gifar.jpg", _jpeg() + _zip(), "image/jpeg"),  # a JPEG that is also a JAR
        ("polyglot.png", PNG + b"<html><script>alert(1)</script></html>", "image/png"),
        ("zip.png", PNG + _zip(), "image/png"),
        ("broken.png", PNG[:40], "image/png"),
        ("script.gif", b"GIF89a<script>alert(1)</script>" + b"\x00" * 64, "image/gif"),
        ("empty.pdf", PDF, "application/pdf"),  # a header and no document
        ("zip.pdf", _pdf() + _zip(), "application/pdf"),
        ("tail.mp4", _mp4() + b"<html>payload</html>", "video/mp4"),
        ("nomoov.mp4", _box(b"ftyp", b"isom\x00\x00\x02\x00") + _box(b"mdat", b"x"), "video/mp4"),
        ("bad.webm", b"\x1aE\xdf\xa3\x84\x42\x82\x84html<script>", "video/webm"),
    ],
)
def test_a_polyglot_or_broken_file_is_refused(
    client: Client, name: str, data: bytes, ctype: str
) -> None:
    response = _post(client, _file(name, data, ctype))
    assert response.status_code == 400, name
    assert _nothing_stored()


@pytest.mark.parametrize(
    ("name", "data", "ctype"),
    [
        ("foto.png", PNG, "image/png"),
        ("foto.jpg", _jpeg(), "image/jpeg"),
        ("surat.pdf", _pdf(), "application/pdf"),
        ("video.mp4", _mp4(), "video/mp4"),
        ("video.webm", _webm(), "video/webm"),
    ],
)
def test_whole_files_of_each_type_are_taken(
    client: Client, name: str, data: bytes, ctype: str
) -> None:
    assert _post(client, _file(name, data, ctype)).status_code == 302, name
    assert Evidence.objects.exclude(file="").count() == 1
