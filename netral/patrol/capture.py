"""Render a public URL in headless Chromium and archive what it fetched (issue 16, point 2).

The browser is Debian's chromium driven by Playwright with the system executable. It runs
with every host name mapped to NOTFOUND and a fresh, throwaway profile per capture: all its
requests are intercepted (context.route) and performed by fetch.fetch, which asks
netral.core.netguard first and connects to the checked address; so the page, each redirect
and each sub-request of the page pass the SSRF guard, and anything Playwright cannot
intercept (WebSocket, DNS prefetch) has nowhere to go. Downloads, service workers and
permissions are refused; time, bytes and requests are capped (settings NETRAL_CAPTURE_*).

What comes out (CaptureResult) is bytes only: the services seal and store it.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import io
import json
import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from netral.core.errors import ApplicationError
from netral.core.netguard import BlockedAddressError, Resolver, url_target
from netral.patrol.fetch import Budget, BudgetExceededError, Fetched, fetch

MAX_REDIRECTS = 10

CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    # Chromium itself resolves nothing: every request is performed by fetch.fetch.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def sandboxed() -> bool:
    """Whether chromium runs its renderers in its own sandbox (NETRAL_CHROMIUM_SANDBOX).

    "auto" (the default) sandboxes unless the worker runs as root, where chromium refuses to
    start sandboxed; the deploy guide runs the worker as its own unprivileged user, so in
    production the pages a capture renders cannot reach the server's files even through a
    renderer exploit. "on" fails loudly when the sandbox cannot start; "off" is for
    containers without user namespaces (docs/patrol.md, Security of the fetcher)."""
    mode = settings.NETRAL_CHROMIUM_SANDBOX
    if mode == "auto":
        return os.geteuid() != 0
    return mode == "on"


def chromium_args() -> list[str]:
    return CHROMIUM_ARGS if sandboxed() else ["--no-sandbox", *CHROMIUM_ARGS]


# Make the DOM copy self-contained for replay: absolute URLs, chosen image sources.
_ABSOLUTIZE_JS = """() => {
  for (const el of document.querySelectorAll('[src]')) el.setAttribute('src', el.src);
  for (const el of document.querySelectorAll('link[href], a[href], area[href]'))
    el.setAttribute('href', el.href);
  for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
    if (el.currentSrc) el.setAttribute('src', el.currentSrc);
    el.removeAttribute('srcset');
  }
  for (const el of document.querySelectorAll('video[poster]')) el.setAttribute('poster', el.poster);
  return '<!doctype html>\\n' + document.documentElement.outerHTML;
}"""


class CaptureFailedError(ApplicationError):
    """The page could not be captured (blocked address, timeout, cap reached)."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    max_bytes: int
    max_requests: int
    viewport: tuple[int, int] = (1280, 900)

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            timeout_s=float(settings.NETRAL_CAPTURE_TIMEOUT_SECONDS),
            max_bytes=int(settings.NETRAL_CAPTURE_MAX_MB) * 1024 * 1024,
            max_requests=int(settings.NETRAL_CAPTURE_MAX_REQUESTS),
        )


@dataclass
class CaptureResult:
    url: str
    final_url: str
    http_status: int | None
    captured_at: Any
    screenshot: bytes
    text: str
    html: str
    warc: bytes
    wacz: bytes
    requests: int
    blocked: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)


# --- the browser, one per process (a worker reuses it; each capture gets a new context) ---
# Playwright's sync API runs an event loop and greenlets in the thread that starts it, which
# would give Django a second database connection in that thread (asgiref locals follow the
# loop). So Playwright lives in one thread of its own and the caller waits for its result.

_local = threading.local()
_executor_lock = threading.Lock()
_executor: concurrent.futures.ThreadPoolExecutor | None = None


def _browser_thread() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="netral-capture-browser"
            )
        return _executor


def _playwright_browser() -> Any:
    browser = getattr(_local, "browser", None)
    if browser is not None and browser.is_connected():
        return browser
    from playwright.sync_api import sync_playwright

    if getattr(_local, "playwright", None) is None:
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        _local.playwright = sync_playwright().start()
    _local.browser = _local.playwright.chromium.launch(
        executable_path=settings.NETRAL_CHROMIUM,
        args=chromium_args(),
        chromium_sandbox=sandboxed(),
    )
    return _local.browser


def browser_close() -> None:
    """Close the capture browser and its thread (tests, worker shutdown)."""
    global _executor
    with _executor_lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.submit(_browser_close).result()
        executor.shutdown(wait=True)


def _browser_close() -> None:
    browser = getattr(_local, "browser", None)
    if browser is not None:
        browser.close()
        _local.browser = None
    pw = getattr(_local, "playwright", None)
    if pw is not None:
        pw.stop()
        _local.playwright = None


# --- the archive -----------------------------------------------------------------------


class _Warc:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=True)
        info = self.writer.create_warcinfo_record(
            "netral.warc.gz", {"software": "Netral patroli siber", "format": "WARC/1.1"}
        )
        self.writer.write_record(info)
        self.dates: dict[str, str] = {}  # url -> WARC-Date of its response

    def add(self, fetched: Fetched, *, method: str, body: bytes | None) -> None:
        status_line = f"{fetched.status} {fetched.reason}"
        headers = [(k, v) for k, v in fetched.headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(fetched.body))))
        response = self.writer.create_warc_record(
            fetched.url,
            "response",
            payload=io.BytesIO(fetched.body),
            http_headers=StatusAndHeaders(status_line, headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-IP-Address": fetched.address},
        )
        path = fetched.url.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "/" in path else "/"
        request = self.writer.create_warc_record(
            fetched.url,
            "request",
            payload=io.BytesIO(body or b""),
            http_headers=StatusAndHeaders(
                f"{method} {path} HTTP/1.1", fetched.request_headers, is_http_request=True
            ),
        )
        self.writer.write_request_response_pair(request, response)
        self.dates.setdefault(fetched.url, response.rec_headers.get_header("WARC-Date"))

    def value(self) -> bytes:
        return self.buffer.getvalue()


def wacz_from_warc(*, warc: bytes, url: str, title: str, ts: str) -> bytes:
    """Package the WARC as WACZ (py-wacz: index, pages, datapackage with SHA-256 digests)."""
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="netral-wacz-") as tmp:
        warc_path = Path(tmp) / "data.warc.gz"
        warc_path.write_bytes(warc)
        pages = Path(tmp) / "pages.jsonl"
        pages.write_text(
            json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
            + "\n"
            + json.dumps({"id": "1", "url": url, "title": title[:200], "ts": ts})
            + "\n",
            encoding="utf-8",
        )
        out = Path(tmp) / "capture.wacz"
        with contextlib.redirect_stdout(io.StringIO()):  # py-wacz reports on stdout
            code = wacz_main(
                [
                    "create",
                    "-o",
                    str(out),
                    str(warc_path),
                    "-p",
                    str(pages),
                    "--hash-type",
                    "sha256",
                ]
            )
        if code not in (0, None) or not out.exists():
            raise CaptureFailedError(_("Arsip WACZ tidak dapat dibuat."))
        return out.read_bytes()


# --- capture -----------------------------------------------------------------------------


def page_capture(
    url: str,
    *,
    limits: Limits | None = None,
    resolver: Resolver = socket.getaddrinfo,
    make_wacz: bool = True,
) -> CaptureResult:
    """Render `url` and return what was captured; CaptureFailedError when it cannot be."""
    limits = limits or Limits.from_settings()
    try:
        url_target(url, resolver=resolver)  # refuse early, before a browser is involved
    except BlockedAddressError as exc:
        raise CaptureFailedError(str(exc)) from exc
    language = translation.get_language()
    future = _browser_thread().submit(
        _render, url, limits=limits, resolver=resolver, make_wacz=make_wacz, language=language
    )
    return future.result()


def _render(
    url: str, *, limits: Limits, resolver: Resolver, make_wacz: bool, language: str | None
) -> CaptureResult:
    if language:
        translation.activate(language)
    budget = Budget(requests=limits.max_requests, bytes=limits.max_bytes)
    warc = _Warc()
    deadline = time.monotonic() + limits.timeout_s
    main_error: list[str] = []
    statuses: dict[str, int] = {}

    redirects: list[str] = []
    pending: list[str] = []  # a redirect of the page itself, followed by a new goto

    def handle(route: Any, request: Any) -> None:
        req_url = request.url
        is_page = request.is_navigation_request() and request.frame.parent_frame is None
        body = request.post_data_buffer
        method = request.method
        fetched = None
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    route.abort("timedout")
                    return
                fetched = fetch(
                    req_url,
                    method=method,
                    headers=request.headers,
                    body=body,
                    budget=budget,
                    timeout=min(remaining, limits.timeout_s),
                    resolver=resolver,
                )
                warc.add(fetched, method=method, body=body)
                location = fetched.location()
                if location is None:
                    break
                if is_page:
                    # Chromium cannot follow a fulfilled redirect: the page goes there by a
                    # new navigation (page_capture), whose request comes back here.
                    redirects.append(location)
                    pending.append(location)
                    route.fulfill(status=200, headers={"content-type": "text/plain"}, body=b"")
                    return
                req_url, method, body = location, "GET", None  # a sub-resource: follow here
            else:
                raise BudgetExceededError(_("Terlalu banyak pengalihan."))
        except (BlockedAddressError, BudgetExceededError) as exc:
            budget.blocked.append(req_url)
            if is_page:
                main_error.append(str(exc))
            route.abort("blockedbyclient")
            return
        except (OSError, ValueError, http.client.HTTPException) as exc:
            if is_page:
                main_error.append(_("Halaman tidak dapat dihubungi: %(e)s") % {"e": exc})
            route.abort("failed")
            return
        if fetched is None:  # pragma: no cover - the loop runs at least once
            route.abort("failed")
            return
        statuses[fetched.url] = fetched.status
        route.fulfill(status=fetched.status, headers=fetched.browser_headers(), body=fetched.body)

    browser = _playwright_browser()
    context = browser.new_context(
        accept_downloads=False,
        service_workers="block",
        viewport={"width": limits.viewport[0], "height": limits.viewport[1]},
        locale="id-ID",
        permissions=[],
    )
    try:
        context.set_default_timeout(limits.timeout_s * 1000)
        context.route("**/*", handle)
        page = context.new_page()
        response = None
        try:
            response = page.goto(url, wait_until="load", timeout=limits.timeout_s * 1000)
            while pending and not main_error:
                if len(redirects) > MAX_REDIRECTS:
                    raise CaptureFailedError(_("Terlalu banyak pengalihan."))
                left_ms = max(deadline - time.monotonic(), 0.1) * 1000
                response = page.goto(pending.pop(), wait_until="load", timeout=left_ms)
        except CaptureFailedError:
            raise
        except Exception as exc:
            if main_error:
                raise CaptureFailedError(main_error[0]) from exc
            raise CaptureFailedError(
                _("Halaman tidak dapat dimuat dalam batas waktu: %(e)s")
                % {"e": str(exc).splitlines()[0][:200]}
            ) from exc
        if main_error:
            raise CaptureFailedError(main_error[0])
        left = deadline - time.monotonic()
        if left > 0.3:
            # a page that keeps polling is captured as it is
            with contextlib.suppress(Exception):
                page.wait_for_load_state("networkidle", timeout=min(left, 2.0) * 1000)
        captured_at = timezone.now()
        final_url = page.url
        status = response.status if response is not None else statuses.get(final_url)
        screenshot = page.screenshot(full_page=True, type="png", animations="disabled")
        text = page.inner_text("body") if page.query_selector("body") else ""
        title = page.title()
        html = page.evaluate(_ABSOLUTIZE_JS)
    finally:
        context.close()
    warc_bytes = warc.value()
    wacz = (
        wacz_from_warc(
            warc=warc_bytes,
            url=final_url,
            title=title,
            ts=warc.dates.get(final_url) or captured_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        if make_wacz
        else b""
    )
    return CaptureResult(
        url=url,
        final_url=final_url,
        http_status=status,
        captured_at=captured_at,
        screenshot=screenshot,
        text=text,
        html=html,
        warc=warc_bytes,
        wacz=wacz,
        requests=limits.max_requests - budget.requests,
        blocked=budget.blocked,
        redirects=redirects,
    )
