"""Fetching user-given and configured URLs behind the SSRF guard (netral/core/netguard.py).

Every request, and every redirect, asks `url_target` first and connects to the address it
returned (never resolving the host again). Bodies are capped, time is capped, and conditional
headers (ETag, Last-Modified) are sent when the caller has them.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from netral.core.errors import ApplicationError
from netral.core.netguard import Resolver, url_target

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "Netral-news-monitor/1.0 (+pengawasan netralitas; hubungi admin Bawaslu)"


class FetchError(ApplicationError):
    """The page could not be fetched (a message safe to show)."""


@dataclass
class FetchResult:
    url: str  # after redirects
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    resolver: Resolver | None = None,
    timeout: float | None = None,
    max_bytes: int = MAX_BYTES,
) -> FetchResult:
    """GET `url` (following up to 5 redirects, each checked by the guard)."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = url_target(current) if resolver is None else url_target(current, resolver=resolver)
        cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        conn = cls(target.host, target.port, str(target.address), timeout)
        parts = urlsplit(current)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                conn.close()
                if not location:
                    raise FetchError(_("Pengalihan tanpa alamat tujuan."))
                current = urljoin(current, location)
                continue
            body = response.read(max_bytes + 1)
            result_headers = {k.lower(): v for k, v in response.getheaders()}
        except TimeoutError as exc:
            raise FetchError(_("Waktu habis saat mengambil %(url)s.") % {"url": current}) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(
                _("Alamat %(url)s tidak dapat diambil: %(error)s")
                % {"url": current, "error": exc.__class__.__name__}
            ) from exc
        finally:
            conn.close()
        if len(body) > max_bytes:
            raise FetchError(_("Halaman lebih besar dari batas 5 MB."))
        if response.status >= 400:
            raise FetchError(
                _("Alamat %(url)s menjawab dengan kode %(status)d.")
                % {"url": current, "status": response.status}
            )
        return FetchResult(current, response.status, body, result_headers)
    raise FetchError(_("Terlalu banyak pengalihan."))
