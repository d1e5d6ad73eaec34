"""Extraction of the facts an officer needs from one Indonesian news article (issue 17).

Pure functions, no database: `extract_html` for a fetched or uploaded page, `extract_text`
for pasted text. The result serialises to exactly the keys of `netral news_extract --json`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from netral.news.extract import rules
from netral.news.extract.gazetteer import Gazetteer, Mention, load_gazetteer

# Words that make a text an Indonesian article (ratio of these among all words).
_ID_WORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "pada",
        "ini",
        "itu",
        "dalam",
        "tidak",
        "akan",
        "oleh",
        "para",
        "agar",
        "serta",
        "juga",
        "kepada",
        "bahwa",
        "sebagai",
        "telah",
        "atau",
        "adalah",
        "saat",
        "kata",
        "ujar",
        "tersebut",
    ]
)
MIN_WORDS = 40


@dataclass
class Extraction:
    title: str
    published_date: str | None
    event_date: str | None
    region_codes: list[str]
    event_kinds: list[str]
    election: dict[str, Any] | None
    counts: list[dict[str, Any]]
    people: list[dict[str, str]]
    institutions: list[str]
    quoted_points: list[str]
    leads: list[dict[str, Any]]
    # Not part of the command's keys: why an input is not treated as an article.
    problems: list[str] = field(default_factory=list)
    text: str = ""
    language: str = "id"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("problems", "text", "language"):
            data.pop(key)
        return data

    @property
    def is_article(self) -> bool:
        return not self.problems

    @property
    def is_lead(self) -> bool:
        return bool(self.leads)


def indonesian_ratio(text: str) -> float:
    words = re.findall(r"[a-zA-Z]+", text.lower())
    if not words:
        return 0.0
    return sum(1 for w in words if w in _ID_WORDS) / len(words)


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_html(
    html: str, *, url: str | None = None, published: dt.date | None = None
) -> Extraction:
    """Main text, title and publication date of a page (trafilatura, htmldate), then the facts."""
    import trafilatura
    from htmldate import find_date

    text = (
        trafilatura.extract(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=False,  # True keeps a cache across calls and drops repeated text
        )
        or ""
    )
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = (meta.title if meta and meta.title else "") or ""
    if published is None:
        found = None
        try:
            found = find_date(html, url=url, original_date=True, extensive_search=False)
        except Exception:  # htmldate raises on pages it cannot parse; no date then
            found = None
        published = _parse_iso(found)
    return extract_text(text, title=title, published=published)


def extract_text(text: str, *, title: str = "", published: dt.date | None = None) -> Extraction:
    """The facts of an article given as text (title separate, publication date if known)."""
    text = text.strip()
    first, _sep, rest = text.partition("\n")
    if title and first.strip() == title.strip() and rest.strip():
        text = rest.strip()  # trafilatura repeats the headline as the first line
    full = (title + "\n" + text).strip()
    result = Extraction(
        title=title.strip(),
        published_date=published.isoformat() if published else None,
        event_date=None,
        region_codes=[],
        event_kinds=[],
        election=None,
        counts=[],
        people=[],
        institutions=[],
        quoted_points=[],
        leads=[],
        text=text,
    )
    words = re.findall(r"\w+", text)
    if len(words) < MIN_WORDS:
        result.problems.append("not_article")
        return result
    if indonesian_ratio(full) < 0.04:
        result.language = "other"
        result.problems.append("not_indonesian")
        return result
    gazetteer = load_gazetteer()
    mentions = gazetteer.resolve(gazetteer.find(full))
    result.region_codes = main_regions(gazetteer, mentions, len(title) + 1)
    date = rules.event_date(text, published)
    result.event_date = date.isoformat() if date else None
    prevention, violations = rules.event_kinds(title, text)
    result.event_kinds = prevention + violations
    result.election = rules.election(full, published)
    result.counts = rules.counts(full)
    region_words = _region_words(gazetteer, mentions)
    # Headlines are Title Case: capitalised verbs would read as names, so people come from
    # the body only.
    result.people = rules.people(text, region_words)
    result.institutions = rules.institutions(full)
    result.quoted_points = rules.quoted_points(text)
    if violations:
        sentences = rules.violation_sentences(full)
        sentences = sentences or rules.suspicious_sentences(full)
        named = [p for p in result.people if any(p["name"] in s for s in sentences)]
        result.leads = [
            {
                "kinds": violations,
                "people": named,
                "summary": " ".join(sentences[:3])[:1000],
            }
        ]
    return result


def _region_words(gazetteer: Gazetteer, mentions: list[Mention]) -> set[str]:
    words = set()
    for m in mentions:
        words.add(m.key)
        entry = gazetteer.regions.get(m.resolved or "")
        if entry is not None:
            words.add(entry.name.lower())
    return words


def main_regions(gazetteer: Gazetteer, mentions: list[Mention], body_start: int) -> list[str]:
    """Every region the article names, the main one (most specific) first.

    The main kabupaten/kota is the one the article names most (a mention in the title or the
    first lines counts double, a desa or kecamatan counts for its kabupaten); the main region
    goes down to the kecamatan (and desa) named under it, unless the article speaks of the
    whole regency ("se-Kabupaten Paser")."""
    if not mentions:
        return []
    weights: dict[str, float] = {}
    whole_kab: set[str] = set()
    for m in mentions:
        code = m.resolved or ""
        w = 2.0 if m.start < body_start + 300 else 1.0
        parts = code.split(".")
        for depth in range(1, len(parts) + 1):
            prefix = ".".join(parts[:depth])
            weights[prefix] = weights.get(prefix, 0.0) + w
        if m.whole_kab:
            whole_kab.add(code)
    kabs = [c for c in weights if c.count(".") == 1]
    ordered: list[str] = []
    in_title = [m.resolved for m in mentions if m.start < body_start and m.resolved]
    title_provinces = [c for c in in_title if "." not in c]
    if title_provinces and not any("." in c for c in in_title):
        # "Pj Gubernur Kalbar pimpin apel": a province's own event, whatever city hosts it
        ordered.append(title_provinces[0])
    elif kabs:
        kab = max(kabs, key=lambda c: (weights[c], -min(_first(mentions, c), 10**9)))
        main = kab
        if kab not in whole_kab:
            kecs = [c for c in weights if c.startswith(kab + ".") and c.count(".") == 2]
            if kecs:
                kec = max(kecs, key=lambda c: (weights[c], -_first(mentions, c)))
                main = kec
                if kec in whole_kab:
                    desas = []
                else:
                    desas = [c for c in weights if c.startswith(kec + ".") and c.count(".") == 3]
                if len(desas) == 1:
                    main = desas[0]
        ordered.append(main)
    else:
        provs = [c for c in weights if "." not in c]
        ordered.append(max(provs, key=lambda c: weights[c]))
    for m in mentions:
        if m.resolved and m.resolved not in ordered:
            ordered.append(m.resolved)
    return ordered


def _first(mentions: list[Mention], prefix: str) -> int:
    starts = [
        m.start
        for m in mentions
        if m.resolved and (m.resolved == prefix or m.resolved.startswith(prefix + "."))
    ]
    return min(starts) if starts else 10**9
