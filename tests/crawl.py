"""Crawl every page of the demo reachable by links, as the public and as officers.

Shared by the raw-code test (tests/foundation/test_demo_crawl.py, Django's test client) and
the 390-pixel phone test (tests/foundation/test_phone_browser.py, chromium): both look at the
same pages. Pages of one shape ("/perkara/12/" and "/perkara/13/" are one shape) are visited a
few times, not a thousand, so the crawl stays in seconds while still reaching every view.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

# Raw stored codes or transition ids on screen (issue 13 point 9): KEPALA_DESA, T15_X...
RAW_CODE = re.compile(r"\b[A-Z]{3,}_[A-Z_]+\b|\(T\d{1,2}\)|\bT\d{1,2} →")

# Seeds: every entry point of the menus (links reach the rest).
PUBLIC_SEEDS = [
    "/",
    "/lapor/",
    "/lapor/status/",
    "/transparansi/",
    "/wilayah/?q=sangatta",
    "/wilayah/64.08/",
    "/masuk/",
]
OFFICER_SEEDS = [
    "/petugas/",
    "/pejabat/",
    "/pejabat/cakupan/",
    "/deklarasi/",
    "/perkara/",
    "/perkara/antrean/",
    "/dasbor/",
    "/dasbor/unduh/",
]
# Never followed: side effects, other languages' switch, the Django admin (its own UI), the
# API, files (PDF, CSV, XLSX), media.
SKIP = re.compile(
    r"^/(keluar|i18n|admin|api|static|media)/|\.(pdf|csv|xlsx|zip|json|svg|png|jpg|txt)(\?|$)|"
    r"/(unduh|berkas|dokumen|sertifikat|pdf|qr|ekspor|csv|xlsx)(/|$)|[?&](format|fmt)="
)
SHAPE_LIMIT = 2  # pages per shape
PAGE_LIMIT = 400


def shape(path: str) -> str:
    """'/perkara/12/' -> '/perkara/N/'; the query keeps its keys, not its values."""
    parts = urlsplit(path)
    base = re.sub(r"/[0-9][0-9.]*(?=/|$)", "/N", parts.path)
    base = re.sub(r":[0-9]+(?=/|$)", ":N", base)  # /audit/cases.case:12/
    base = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27,}(?=/|$)", "/U", base)
    base = re.sub(r"/[A-Z0-9]{6,}(?=/|$)", "/C", base)
    keys = sorted({kv.split("=")[0] for kv in parts.query.split("&") if kv})
    return base + ("?" + "&".join(keys) if keys else "")


class _Page(HTMLParser):
    """Links and the visible text, without scripts, styles and code samples."""

    HIDDEN = {"script", "style", "code", "pre", "kbd", "samp", "template", "noscript", "svg"}
    # The interface itself (not data people typed): headers, buttons, labels, badges.
    CHROME = {"th", "button", "label", "legend", "caption", "nav", "footer"}
    VOID = {"input", "br", "img", "hr", "meta", "link", "source", "wbr", "area", "col"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self.chrome: list[str] = []
        self._hidden = 0
        self._stack: list[bool] = []  # per open element: is it (inside) chrome?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag not in self.VOID:
            classes = (dict(attrs).get("class") or "").split()
            inside = bool(self._stack and self._stack[-1])
            self._stack.append(inside or tag in self.CHROME or "badge" in classes)
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        # text people see without opening the source: titles, alt, placeholders, labels
        for name, value in attrs:
            if name in {"title", "alt", "placeholder", "aria-label"} and value:
                self.text.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())
            if self._stack and self._stack[-1]:
                self.chrome.append(data.strip())


@dataclass
class Visited:
    path: str
    status: int
    text: str
    chrome: str  # the interface's own words: headers, buttons, labels, badges, menus


def parse(html: str) -> tuple[list[str], str, str]:
    page = _Page()
    page.feed(html)
    return page.links, "\n".join(page.text), "\n".join(page.chrome)


def crawl(
    fetch: Callable[[str], tuple[int, str, str]],
    seeds: list[str],
    *,
    shape_limit: int = SHAPE_LIMIT,
    page_limit: int = PAGE_LIMIT,
) -> Iterator[Visited]:
    """Breadth-first over internal links. `fetch(path)` returns (status, content type, body)."""
    queue: deque[str] = deque(seeds)
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    while queue and len(seen) < page_limit:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        key = shape(path)
        if per_shape.get(key, 0) >= shape_limit:
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        seen.add(path)
        status, content_type, body = fetch(path)
        if "text/html" not in content_type:
            continue
        links, text, chrome = parse(body)
        yield Visited(path, status, text, chrome)
        for href in links:
            target, _frag = urldefrag(urljoin(path, href))
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))


def raw_codes(text: str) -> list[str]:
    return sorted(set(RAW_CODE.findall(text)))


# Indonesian words of the interface that must not survive in English (issue 13 point 10);
# none of them is an English word. Checked in the interface's own elements only (headers,
# buttons, labels, badges, menus): titles of texts and events people wrote stay as written.
INDONESIAN_UI = re.compile(
    r"\b(Simpan|Tambah|Belum|Tidak|Unduh|Kirim|Hapus|Ubah|Cari|Semua|Tampilkan|Catat|Pilih|"
    r"Terapkan|Kembali|Masuk|Keluar|Sandi|Tanggal|Wilayah|Jenis|SISTEM|Pelapor|Terlapor|"
    r"Saksi|Bukti|Berkas|Catatan|Keterangan|Kegiatan|Naskah|Pejabat|Perkara|Dasbor|Petugas|"
    r"Lainnya|Ganti|Jumlah|Nama)\b"
)


def indonesian_words(text: str) -> list[str]:
    return sorted(set(INDONESIAN_UI.findall(text)))


def stored_codes() -> set[str]:
    """One-word stored codes whose label differs from the code ("SOSIALISASI", "PILKADA",
    "POLRI"): shown as they are, they are raw codes too. Acronyms whose label is the code
    itself (TNI, KPU, PPPK) are fine."""
    from django.db.models import TextChoices
    from django.utils import translation

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    from netral.declarations.forms import EVENT_KINDS

    choices = [
        *(
            c
            for e in subclasses(TextChoices)
            if e.__module__.startswith("netral.")
            for c in e.choices
        ),
        *EVENT_KINDS,
    ]
    out: set[str] = set()
    with translation.override("id"):
        for value, label in choices:
            if value.isupper() and value.isalpha() and len(value) >= 4 and value != str(label):
                out.add(value)
    return out


def bare_codes(text: str, codes: set[str]) -> list[str]:
    return sorted({w for w in re.findall(r"\b[A-Z]{4,}\b", text) if w in codes})
