"""News monitoring services: store articles once, extract, propose, and act on proposals.

Feed polling (`poll_source`, `poll_due_sources`) and extraction (`article_ingest`) are plain
functions so a task of the background-work system can call them; `netral news_poll` calls
them from the command line until then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netral.audit.services import audit_record
from netral.core.errors import ApplicationError
from netral.news.extract import Extraction, extract_html, extract_text
from netral.news.fetch import fetch
from netral.news.models import (
    Article,
    ArticleOrigin,
    ArticleState,
    NewsSource,
    Proposal,
    ProposalKind,
    ProposalStatus,
    SourceKind,
)
from netral.registry.models import Region

if TYPE_CHECKING:
    from netral.accounts.models import User
    from netral.cases.models import Case
    from netral.declarations.models import Event
    from netral.declarations.services import SpeakerIn

EXTRACTOR_VERSION = "1"
MAX_ITEMS_PER_POLL = 20
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|amp|page|output)$", re.I)
_WORD = re.compile(r"\w+")


# --- identity of an article --------------------------------------------------------------


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, fragment, tracking parameters and trailing slash dropped."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    path = re.sub(r"/amp$", "", path) or "/"
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return urlunsplit(
        ("https" if parts.scheme in ("http", "https") else parts.scheme, host, path, query, "")
    )


def text_fingerprint(text: str) -> str:
    """The same words in the same order give the same fingerprint (spacing, case ignored)."""
    words = _WORD.findall(text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


# --- ingest ------------------------------------------------------------------------------


@dataclass
class IngestResult:
    article: Article
    created: bool
    proposals: list[Proposal]


def _region_for(codes: list[str]) -> Region | None:
    """The registry region of the main code, or its nearest registered ancestor."""
    if not codes:
        return None
    code: str | None = codes[0]
    while code:
        region = Region.objects.filter(code=code).first()
        if region is not None:
            return region
        code = code.rpartition(".")[0] or None
    return None


def _state_of(extraction: Extraction) -> str:
    if "not_indonesian" in extraction.problems:
        return ArticleState.OTHER_LANGUAGE
    if extraction.problems:
        return ArticleState.NOT_ARTICLE
    if not extraction.event_kinds:
        return ArticleState.IRRELEVANT
    return ArticleState.PROPOSED


def article_store(
    *,
    extraction: Extraction,
    origin: str,
    url: str = "",
    canonical: str = "",
    html: bytes = b"",
    source: NewsSource | None = None,
    actor: User | None = None,
) -> IngestResult:
    """Store the article once and propose what it reports (one transaction)."""
    fingerprint = text_fingerprint(extraction.title + "\n" + extraction.text)
    canonical = canonical or canonical_url(url)
    existing = Article.objects.filter(fingerprint=fingerprint).first()
    if existing is None and canonical:
        existing = Article.objects.filter(canonical_url=canonical).first()
    if existing is not None:
        return IngestResult(existing, False, [])
    published = (
        dt.date.fromisoformat(extraction.published_date) if extraction.published_date else None
    )
    data = extraction.as_json()
    state = _state_of(extraction)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                source=source,
                origin=origin,
                url=url[:1000],
                canonical_url=canonical[:1000],
                fingerprint=fingerprint,
                title=extraction.title[:500],
                text=extraction.text,
                html_sha256=hashlib.sha256(html).hexdigest() if html else "",
                published_date=published,
                extraction={**data, "problems": extraction.problems},
                extractor_version=EXTRACTOR_VERSION,
                state=state,
                added_by=actor,
            )
            proposals = _propose(article, extraction) if state == ArticleState.PROPOSED else []
            audit_record(
                obj=article,
                action="news.article_stored",
                actor=actor,
                after={
                    "url": article.url,
                    "origin": origin,
                    "state": state,
                    "proposals": [p.pk for p in proposals],
                },
                region_code=proposals[0].region_id if proposals else None,
            )
    except IntegrityError:
        # Stored meanwhile by a concurrent poll: the same article, once.
        again = Article.objects.filter(fingerprint=fingerprint).first()
        if again is None:
            raise
        return IngestResult(again, False, [])
    return IngestResult(article, True, proposals)


def _propose(article: Article, extraction: Extraction) -> list[Proposal]:
    region = _region_for(extraction.region_codes)
    data = extraction.as_json()
    prevention = [
        k for k in extraction.event_kinds if k in ("SOSIALISASI", "DEKLARASI", "APEL", "RAKOR")
    ]
    proposals = []
    if prevention:
        proposals.append(
            Proposal.objects.create(
                article=article, kind=ProposalKind.EVENT, region=region, extraction=data
            )
        )
    if extraction.leads:
        proposals.append(
            Proposal.objects.create(
                article=article, kind=ProposalKind.LEAD, region=region, extraction=data
            )
        )
    return proposals


def article_add_url(*, url: str, actor: User | None, resolver: Any = None) -> IngestResult:
    """An officer adds one article by its URL (fetched behind the SSRF guard)."""
    result = fetch(url) if resolver is None else fetch(url, resolver=resolver)
    return _ingest_fetched(
        result.body, result.url, origin=ArticleOrigin.URL, actor=actor, requested=url
    )


def _decode(body: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def _ingest_fetched(
    body: bytes,
    url: str,
    *,
    origin: str,
    actor: User | None,
    requested: str = "",
    source: NewsSource | None = None,
) -> IngestResult:
    html = _decode(body)
    if not _looks_like_html(html):
        raise ApplicationError(_("Alamat tidak berisi halaman HTML."))
    extraction = extract_html(html, url=url)
    canonical = _canonical_from_html(html) or url
    return article_store(
        extraction=extraction,
        origin=origin,
        url=requested or url,
        canonical=canonical_url(canonical),
        html=body,
        source=source,
        actor=actor,
    )


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head or "<p" in head


_CANONICAL = re.compile(r"<link[^>]+rel=[\"']canonical[\"'][^>]*>", re.I)
_HREF = re.compile(r"href=[\"']([^\"']+)[\"']", re.I)


def _canonical_from_html(html: str) -> str:
    m = _CANONICAL.search(html[:200_000])
    if not m:
        return ""
    href = _HREF.search(m.group(0))
    return href.group(1) if href and href.group(1).startswith("http") else ""


def article_add_text(
    *,
    text: str,
    title: str = "",
    published: dt.date | None = None,
    url: str = "",
    actor: User | None,
) -> IngestResult:
    """An article pasted as text (the first line is the title when no title is given)."""
    text = text.strip()
    if not title:
        title, _sep, text = text.partition("\n")
    if not text.strip():
        raise ApplicationError(_("Teks artikel: wajib diisi."))
    extraction = extract_text(text, title=title.strip(), published=published)
    return article_store(extraction=extraction, origin=ArticleOrigin.TEXT, url=url, actor=actor)


def article_add_upload(*, content: bytes, actor: User | None) -> IngestResult:
    """An article saved as an HTML file: accepted by content (not by its name)."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ApplicationError(_("Berkas: lebih besar dari batas 5 MB."))
    if b"\x00" in content[:4096]:
        raise ApplicationError(_("Berkas: bukan halaman HTML."))
    html = _decode(content)
    if not _looks_like_html(html):
        raise ApplicationError(_("Berkas: bukan halaman HTML."))
    extraction = extract_html(html)
    canonical = _canonical_from_html(html)
    return article_store(
        extraction=extraction,
        origin=ArticleOrigin.UPLOAD,
        url=canonical,
        canonical=canonical_url(canonical),
        html=content,
        actor=actor,
    )


# --- feeds and sitemaps ------------------------------------------------------------------


@dataclass
class PollResult:
    source: NewsSource
    skipped: bool = False
    not_modified: bool = False
    items: int = 0
    stored: int = 0
    error: str = ""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


_last_request: dict[str, float] = {}


def _polite_wait(url: str, min_seconds: float) -> None:
    """At most one request per host every `min_seconds` within this process."""
    host = _host(url)
    last = _last_request.get(host)
    if last is not None:
        wait = min_seconds - (time.monotonic() - last)
        if wait > 0:
            time.sleep(wait)
    _last_request[host] = time.monotonic()


def source_items(source: NewsSource, body: bytes) -> list[str]:
    """Article URLs listed by a feed or sitemap, newest first as listed; [] for garbage."""
    if source.kind == SourceKind.RSS:
        import feedparser

        feed = feedparser.parse(body)
        links = [str(e.get("link", "")) for e in feed.entries if e.get("link")]
        if not links and feed.get("bozo"):
            raise ApplicationError(_("Umpan tidak dapat dibaca sebagai RSS/Atom."))
        return links
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ApplicationError(_("Peta situs tidak dapat dibaca sebagai XML.")) from exc
    return [
        (el.text or "").strip()
        for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc", "loc")
        if (el.text or "").strip()
    ]


def poll_source(
    source: NewsSource,
    *,
    force: bool = False,
    resolver: Any = None,
    same_host_delay: float = 1.0,
) -> PollResult:
    """Ask a source for new articles: conditional request, per-site politeness, each new
    article fetched, extracted and proposed once."""
    result = PollResult(source)
    now = timezone.now()
    if (
        not force
        and source.last_polled_at
        and now - source.last_polled_at < dt.timedelta(minutes=source.min_interval_minutes)
    ):
        result.skipped = True
        return result
    kwargs: dict[str, Any] = {"resolver": resolver} if resolver is not None else {}
    try:
        _polite_wait(source.url, same_host_delay)
        response = fetch(source.url, etag=source.etag, last_modified=source.last_modified, **kwargs)
        if response.not_modified:
            result.not_modified = True
        else:
            links = source_items(source, response.body)[:MAX_ITEMS_PER_POLL]
            result.items = len(links)
            source.etag = response.headers.get("etag", "")[:300]
            source.last_modified = response.headers.get("last-modified", "")[:100]
            known = set(
                Article.objects.filter(
                    canonical_url__in=[canonical_url(u) for u in links]
                ).values_list("canonical_url", flat=True)
            )
            for link in links:
                if canonical_url(link) in known:
                    continue
                try:
                    _polite_wait(link, same_host_delay)
                    page = fetch(link, **kwargs)
                    stored = _ingest_fetched(
                        page.body,
                        page.url,
                        origin=ArticleOrigin.FEED
                        if source.kind == SourceKind.RSS
                        else ArticleOrigin.SITEMAP,
                        actor=None,
                        requested=link,
                        source=source,
                    )
                    result.stored += int(stored.created)
                except ApplicationError as exc:  # one bad item does not stop the poll
                    result.error = exc.message
    except ApplicationError as exc:
        result.error = exc.message
    source.last_polled_at = now
    source.last_status = (result.error or _("baik"))[:500]
    source.save(
        update_fields=["etag", "last_modified", "last_polled_at", "last_status", "updated_at"]
    )
    return result


def poll_due_sources(*, progress: Callable[[int, int], None] | None = None) -> list[PollResult]:
    """Every active source whose interval has passed (the periodic task's body)."""
    sources = list(NewsSource.objects.filter(is_active=True).order_by("pk"))
    results = []
    for i, source in enumerate(sources, start=1):
        results.append(poll_source(source))
        if progress:
            progress(i, len(sources))
    return results


# --- acting on proposals -----------------------------------------------------------------


def _decide(proposal: Proposal, actor: User, status: str, note: str = "") -> None:
    if proposal.status != ProposalStatus.PENDING:
        raise ApplicationError(_("Usulan ini sudah diputuskan."))
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.note = note
    proposal.save(
        update_fields=["status", "decided_by", "decided_at", "note", "event", "case", "updated_at"]
    )


def proposal_dismiss(*, proposal: Proposal, actor: User, note: str = "") -> Proposal:
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _decide(proposal, actor, ProposalStatus.DISMISSED, note)
        audit_record(
            obj=proposal,
            action="news.proposal_dismissed",
            actor=actor,
            after={"status": proposal.status, "note": note},
            region_code=proposal.region_id,
        )
    return proposal


def proposal_accept_event(
    *,
    proposal: Proposal,
    actor: User,
    title: str,
    kinds: list[str],
    date: dt.date,
    region: Region,
    organiser: str,
    venue: str = "",
    materials: str = "",
    witnesses: str = "",
    speakers: list[SpeakerIn] | None = None,
) -> Event:
    """The officer's click: the (edited) proposal becomes an event of the registry."""
    from netral.declarations.services import event_create

    if proposal.kind != ProposalKind.EVENT:
        raise ApplicationError(_("Usulan ini bukan usulan kegiatan."))
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        event = event_create(
            actor=actor,
            title=title,
            kinds=kinds,
            date=date,
            region=region,
            organiser=organiser,
            venue=venue,
            materials=materials,
            basis=_("Berita: %(url)s") % {"url": proposal.article.url or proposal.article.title},
            witnesses=witnesses,
            speakers=speakers or [],
        )
        proposal.event = event
        _decide(proposal, actor, ProposalStatus.ACCEPTED)
        audit_record(
            obj=proposal,
            action="news.proposal_accepted",
            actor=actor,
            after={"status": proposal.status, "event": event.pk},
            region_code=region.code,
        )
    return event


def proposal_accept_lead(
    *,
    proposal: Proposal,
    actor: User,
    title: str,
    description: str,
    region: Region,
    regime: str,
    event_date: dt.date,
    persons: list[dict[str, str]],
) -> Case:
    """The officer's click: the lead becomes informasi awal (DOMAIN §5.1), officials named."""
    from netral.cases.models import Origin
    from netral.cases.services import CaseData, PersonData, case_intake_finding

    if proposal.kind != ProposalKind.LEAD:
        raise ApplicationError(_("Usulan ini bukan informasi awal."))
    today = timezone.localdate()
    data = CaseData(
        regime=regime,
        incident_region=region,
        incident_place=region.short_name,
        title=title,
        description=description + "\n\n" + _("Sumber: %(url)s") % {"url": proposal.article.url},
        event_date=event_date,
        known_date=max(today if event_date <= today else event_date, event_date),
        persons=[
            PersonData(name=p["name"], position=p.get("position", ""))
            for p in persons
            if p.get("name")
        ],
    )
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        case = case_intake_finding(actor=actor, origin=Origin.INFORMASI_AWAL, data=data, files=[])
        proposal.case = case
        _decide(proposal, actor, ProposalStatus.ACCEPTED)
        audit_record(
            obj=proposal,
            action="news.proposal_accepted",
            actor=actor,
            after={"status": proposal.status, "case": case.pk},
            region_code=region.code,
        )
    return case


def match_officials(
    people: list[dict[str, str]], region: Region | None, limit: int = 5000
) -> dict[str, int]:
    """Registered officials named in the article (rapidfuzz over names in the region)."""
    from rapidfuzz import fuzz, process

    from netral.registry.models import Official
    from netral.registry.selectors import region_subtree_q
    from netral.registry.text import fold

    if not people or region is None:
        return {}
    candidates = dict(
        Official.objects.filter(region_subtree_q(region.code), is_active=True).values_list(
            "pk", "name_folded"
        )[:limit]
    )
    if not candidates:
        return {}
    found: dict[str, int] = {}
    for person in people:
        best = process.extractOne(
            fold(person["name"]), candidates, scorer=fuzz.token_sort_ratio, score_cutoff=90
        )
        if best is not None:
            found[person["name"]] = int(best[2])
    return found
