"""Offline replay of a capture: the page's DOM copy and the archived responses, served by
Netral alone (no request leaves the server while an officer views the evidence).

The DOM copy was made self-contained at capture time (absolute URLs). Here every absolute
http(s) URL in it, and every url(...) in archived stylesheets, is pointed at the replay
endpoint, which answers from the WARC and nothing else; scripts, <base>, meta refresh and
preconnect hints are removed; and the response carries a Content-Security-Policy that allows
only this server and runs the page sandboxed (no scripts, no forms, no navigation away).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; media-src 'self'; frame-src 'none'; form-action 'none'; "
    "base-uri 'none'; connect-src 'none'; script-src 'none'"
)

_REMOVE = [
    re.compile(r"<script\b[^>]*>.*?</script\s*>", re.I | re.S),
    re.compile(r"<script\b[^>]*/?>", re.I),
    re.compile(r"<noscript\b[^>]*>.*?</noscript\s*>", re.I | re.S),
    re.compile(r"<base\b[^>]*>", re.I),
    re.compile(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?refresh[^>]*>", re.I),
    re.compile(
        r"<link\b[^>]*rel\s*=\s*[\"']?(?:preconnect|dns-prefetch|prefetch|prerender|"
        r"preload|modulepreload|manifest)[^>]*>",
        re.I,
    ),
    re.compile(r"<iframe\b[^>]*>.*?</iframe\s*>", re.I | re.S),
]
_EVENT_ATTR = re.compile(r"\s on[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I | re.X)
_ATTR_URL = re.compile(
    r"(?P<attr>\b(?:src|href|poster|action|data|background)\s*=\s*)(?P<q>[\"']?)"
    r"(?P<url>(?:https?:)?//[^\"'\s>]+)(?P=q)",
    re.I,
)
_CSS_URL = re.compile(r"url\(\s*(?P<q>[\"']?)(?P<url>[^\"')]+)(?P=q)\s*\)", re.I)
_JS_URL = re.compile(r"(\b(?:src|href)\s*=\s*)([\"']?)\s*javascript:[^\"'>]*\2", re.I)


def replay_html(html: str, *, page_url: str, resource: Callable[[str], str]) -> str:
    for pattern in _REMOVE:
        html = pattern.sub("", html)
    html = _EVENT_ATTR.sub("", html)
    html = _JS_URL.sub(r"\1\2#\2", html)

    def attr(m: re.Match[str]) -> str:
        url = m.group("url")
        if url.startswith("//"):
            url = "https:" + url
        return f'{m.group("attr")}"{resource(url)}"'

    html = _ATTR_URL.sub(attr, html)
    return replay_css(html, base_url=page_url, resource=resource)


def replay_css(css: str, *, base_url: str, resource: Callable[[str], str]) -> str:
    def repl(m: re.Match[str]) -> str:
        url = m.group("url").strip()
        if url.startswith("data:"):
            return m.group(0)
        if "/patroli/arsip/" in url:  # already pointed at the replay
            return m.group(0)
        return f'url("{resource(urljoin(base_url, url))}")'

    return _CSS_URL.sub(repl, css)
