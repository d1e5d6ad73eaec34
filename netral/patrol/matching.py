"""Linking a capture to an official's registered account, and finding watched names in text.

Pure functions over strings (no database); services.py and selectors.py feed them rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the visitor: the same post with or without them is one URL.
_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|igshid|igsh|si|mibextid|ref|ref_src|s|t)$")

# The hosts of a platform (a registered handle may be written as a URL on any of them).
PLATFORM_HOSTS = {
    "facebook.com": "Facebook",
    "fb.com": "Facebook",
    "m.facebook.com": "Facebook",
    "instagram.com": "Instagram",
    "tiktok.com": "TikTok",
    "x.com": "X",
    "twitter.com": "X",
    "youtube.com": "YouTube",
    "threads.net": "Threads",
}


def url_key(url: str) -> str:
    """The URL as duplicates are recognised: lower-case host, no default port, no fragment, no
    tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        )
    )
    path = parts.path.rstrip("/") or ""
    scheme = "https" if scheme in ("http", "https") else scheme  # one page, either scheme
    return urlunsplit((scheme, netloc, path, query, ""))


def platform_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return PLATFORM_HOSTS.get(host, PLATFORM_HOSTS.get(host.removeprefix("m."), ""))


def handle_key(handle: str) -> str:
    """A registered handle ('@budi', 'budi', 'https://instagram.com/budi/') as one key."""
    value = handle.strip()
    if "://" in value or "/" in value:
        parts = urlsplit(value if "://" in value else "https://" + value)
        segments = [s for s in parts.path.split("/") if s]
        if not segments:
            return ""
        first = segments[0]
        if first in {"profile.php"}:
            return dict(parse_qsl(parts.query)).get("id", "").lower()
        if first in {"@", "user", "u", "people"} and len(segments) > 1:
            first = segments[1]
        value = first
    return value.lstrip("@").lower()


def url_handles(url: str) -> set[str]:
    """Candidate handles a URL of a post or profile names (its first path segments)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    keys = {s.lstrip("@").lower() for s in segments[:2]}
    query_id = dict(parse_qsl(parts.query)).get("id")
    if query_id:
        keys.add(query_id.lower())
    return {k for k in keys if k}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Hit:
    term: str
    kind: str
    start: int
    end: int


def find_terms(text: str, terms: list[tuple[str, str]]) -> list[Hit]:
    """Every whole-word occurrence of each (term, kind) in `text`, case and accents ignored.

    Folding keeps the length of ordinary Latin text, so positions map back to `text`."""
    folded = _fold(text)
    same_length = len(folded) == len(text)
    hits: list[Hit] = []
    for term, kind in terms:
        needle = _fold(term.strip())
        if not needle:
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
        for m in pattern.finditer(folded if same_length else text.lower()):
            hits.append(Hit(term=term, kind=kind, start=m.start(), end=m.end()))
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[Hit] = []
    for h in hits:  # drop overlaps, the longer match first
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


def highlight_segments(text: str, hits: list[Hit]) -> list[tuple[str, str]]:
    """`text` cut into (segment, kind) pieces, kind '' for plain text (the template marks)."""
    out: list[tuple[str, str]] = []
    pos = 0
    for h in hits:
        if h.start > pos:
            out.append((text[pos : h.start], ""))
        out.append((text[h.start : h.end], h.kind))
        pos = h.end
    if pos < len(text):
        out.append((text[pos:], ""))
    return out
