"""HTTP fetches for the capture browser, each pinned to the address netguard checked.

Chromium never resolves or connects on its own during a capture (capture.py launches it
with every host mapped to NOTFOUND): each request it makes, the page itself, every redirect,
image, script and stylesheet, is intercepted and performed here, after netral.core.netguard
has checked the URL. The connection goes to the address the guard returned, never to a second
resolution of the name (DNS rebinding), with the name sent as Host and TLS SNI, and the
certificate checked against the name.
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

# Headers the browser must not forward or receive as-is (hop-by-hop, or decoded here).
_DROP_REQUEST = {
    "host",
    "connection",
    "keep-alive",
    "accept-encoding",
    "proxy-authorization",
    "te",
    "upgrade",
    "transfer-encoding",
    "content-length",
}
_DROP_RESPONSE = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "strict-transport-security",
    "alt-svc",
    "set-cookie",
    "public-key-pins",
}


class BudgetExceededError(ApplicationError):
    """The capture reached its cap on bytes or requests."""


@dataclass
class Budget:
    """What one capture may still spend: requests and response bytes."""

    requests: int
    bytes: int
    blocked: list[str] = field(default_factory=list)

    def take_request(self) -> None:
        if self.requests <= 0:
            raise BudgetExceededError(_("Batas jumlah permintaan per tangkapan tercapai."))
        self.requests -= 1


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]  # as received (minus hop-by-hop), for the archive
    body: bytes
    address: str
    request_headers: list[tuple[str, str]]

    def location(self) -> str | None:
        """The absolute redirect target, or None when this is not a redirect."""
        if self.status not in (301, 302, 303, 307, 308):
            return None
        for name, value in self.headers:
            if name.lower() == "location" and value.strip():
                return urljoin(self.url, value.strip())
        return None

    def browser_headers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in self.headers:
            if name.lower() in _DROP_RESPONSE:
                continue
            key = name.lower()
            out[key] = f"{out[key]}, {value}" if key in out else value
        return out


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    budget: Budget,
    timeout: float,
    resolver: Resolver = socket.getaddrinfo,
) -> Fetched:
    """One request, no redirect followed (the browser follows, and asks again)."""
    budget.take_request()
    target = url_target(url, resolver=resolver)  # BlockedAddressError when not allowed
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    conn_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = conn_class(target.host, target.port, address=str(target.address), timeout=timeout)
    sent = [
        (k, v)
        for k, v in (headers or {}).items()
        if k.lower() not in _DROP_REQUEST and not k.startswith(":")
    ]
    sent.append(("Accept-Encoding", "identity"))
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in sent:
            conn.putheader(k, v)
        if body:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        chunks = []
        received = 0
        while True:
            chunk = response.read(65536)
            if not chunk:
                break
            received += len(chunk)
            if received > budget.bytes:
                raise BudgetExceededError(_("Batas ukuran tangkapan tercapai."))
            chunks.append(chunk)
        budget.bytes -= received
        return Fetched(
            url=url,
            status=response.status,
            reason=response.reason,
            headers=[
                (k, v)
                for k, v in response.getheaders()
                if k.lower() not in {"transfer-encoding", "connection", "keep-alive"}
            ],
            body=b"".join(chunks),
            address=str(target.address),
            request_headers=[("Host", parts.netloc), *sent],
        )
    finally:
        conn.close()
