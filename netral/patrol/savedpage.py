"""Saved pages an officer uploads when a page cannot be fetched (issue 16, point 2).

Browsers save a page two ways: as one MHTML file (Chrome's "Webpage, Single File": a MIME
multipart/related message whose parts are the page and its images and style sheets, each
with its original URL in Content-Location) or as plain HTML ("Webpage, HTML only", which
Chrome marks with a `<!-- saved from url=(NNNN)https://... -->` comment). Either way Netral
keeps the file as it came, sealed, and derives what a capture has: the page markup for the
offline viewer, its resources as a WARC (so the viewer replays the images without a request
leaving the server), the visible text for matching and highlighting, and the page's own URL.

Nothing here renders the page or runs its scripts; the markup is parsed with lxml.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import io
import re
from dataclasses import dataclass, field
from email.message import EmailMessage

from django.utils.translation import gettext as _

from netral.core.errors import ApplicationError

MHTML_CONTENT_TYPE = "multipart/related"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"
MAX_PARTS = 2000  # a saved social-media page has a few hundred parts at most

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<!--", b"<meta", b"<body")
_SKIP_TEXT = ("script", "style", "noscript", "template", "svg", "head")


@dataclass
class SavedPage:
    kind: str  # "MHTML" or "HTML"
    content_type: str
    extension: str
    html: str
    page_url: str = ""
    saved_at: dt.datetime | None = None
    title: str = ""
    text: str = ""
    resources: list[tuple[str, str, bytes]] = field(default_factory=list)  # url, type, body


def sniff_saved_page(head: bytes) -> str | None:
    """'MHTML', 'HTML' or None from the first bytes of a file."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"\x00" in head:
        return None
    if start.startswith((b"from:", b"mime-version:", b"snapshot-content-location:", b"subject:")):
        headers = head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].lower()
        if b"content-type: multipart/related" in headers:
            return "MHTML"
        return None
    if start.startswith(_HTML_START) and b"<html" in head.lower():
        return "HTML"
    return None


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _visible(html: str) -> tuple[str, str]:
    """(title, visible text) of a page's markup, scripts and styles left out."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return "", ""
    title = " ".join((root.findtext(".//title") or "").split())
    for el in list(root.iter(*_SKIP_TEXT)):
        if el.getparent() is not None:
            el.drop_tree()
    lines: list[str] = []
    body = root.find("body")
    for chunk in (body if body is not None else root).itertext():
        words = " ".join(chunk.split())
        if words:
            lines.append(words)
    return title, "\n".join(lines)


def _parse_mhtml(data: bytes, name: str) -> SavedPage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise ApplicationError(
            _("Berkas %(name)s bukan halaman tersimpan (MHTML) yang utuh.") % {"name": name}
        )
    page_url = str(message.get("Snapshot-Content-Location", "") or "")
    saved_at = None
    if message.get("Date"):
        try:
            saved_at = email.utils.parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError):
            saved_at = None
    html = ""
    resources: list[tuple[str, str, bytes]] = []
    parts = [p for p in message.walk() if not p.is_multipart()]
    if len(parts) > MAX_PARTS:
        raise ApplicationError(
            _("Halaman tersimpan %(name)s memuat terlalu banyak bagian (lebih dari %(n)s).")
            % {"name": name, "n": MAX_PARTS}
        )
    for part in parts:
        ctype = part.get_content_type()
        location = str(part.get("Content-Location", "") or "")
        try:
            decoded = part.get_payload(decode=True)
        except (ValueError, LookupError):
            decoded = None
        payload = decoded if isinstance(decoded, bytes) else b""
        if ctype == "text/html" and not html:
            charset = part.get_content_charset() or "utf-8"
            try:
                html = payload.decode(charset, "replace")
            except LookupError:
                html = _decode(payload)
            page_url = page_url or location
        elif location and payload:
            resources.append((location, ctype, payload))
    if not html:
        raise ApplicationError(
            _("Halaman tersimpan %(name)s tidak memuat halaman HTML.") % {"name": name}
        )
    title, text = _visible(html)
    return SavedPage(
        kind="MHTML",
        content_type=MHTML_CONTENT_TYPE,
        extension=".mhtml",
        html=html,
        page_url=page_url,
        saved_at=saved_at,
        title=title,
        text=text,
        resources=resources,
    )


def _parse_html(data: bytes, name: str) -> SavedPage:
    html = _decode(data)
    title, text = _visible(html)
    if not text and not title:
        raise ApplicationError(
            _("Halaman tersimpan %(name)s tidak memuat teks yang terlihat.") % {"name": name}
        )
    match = _SAVED_FROM.search(data[:4096])
    page_url = match.group(1).decode("ascii", "replace") if match else ""
    return SavedPage(
        kind="HTML",
        content_type=HTML_CONTENT_TYPE,
        extension=".html",
        html=html,
        page_url=page_url if page_url.startswith(("http://", "https://")) else "",
        title=title,
        text=text,
    )


def parse_saved_page(data: bytes, name: str) -> SavedPage:
    """Read a saved page; raises ApplicationError naming the file when it is not one."""
    kind = sniff_saved_page(data[:4096])
    if kind == "MHTML":
        return _parse_mhtml(data, name)
    if kind == "HTML":
        return _parse_html(data, name)
    raise ApplicationError(
        _("Berkas %(name)s bukan halaman tersimpan (HTML atau MHTML).") % {"name": name}
    )


def warc_of(page: SavedPage) -> bytes:
    """The page's resources as WARC response records, for the offline viewer."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(
        writer.create_warcinfo_record(
            "saved-page.warc.gz",
            {"software": "Netral patroli siber", "format": "WARC/1.1", "source": page.kind},
        )
    )
    for url, ctype, body in page.resources:
        if not url.startswith(("http://", "https://")):
            continue  # cid: frames and data: URLs are not replayed by URL
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", ctype), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buffer.getvalue()
