"""Who the client is: its address, taken from the forwarded header only behind a trusted proxy.

Behind the reverse proxy of docs/how-to/deploy.md every request's REMOTE_ADDR is the proxy's,
so rate limits keyed on it would count every citizen as one client. X-Forwarded-For is written
by the client though, unless a proxy we trust overwrote or appended to it. So the header is read
only when REMOTE_ADDR is one of NETRAL_TRUSTED_PROXIES (addresses or networks), and then from
the right: each trusted hop is skipped and the first address no trusted proxy wrote is the
client (a client-supplied prefix of the header is never believed).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    if address is None:
        return False
    networks = _networks(tuple(getattr(settings, "NETRAL_TRUSTED_PROXIES", ()) or ()))
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text ("unknown" when the socket gave none)."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    if not _trusted(_address(remote)):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            break  # garbage written by the client: stop believing the header here
        if not _trusted(address):
            return str(address)
    return remote
