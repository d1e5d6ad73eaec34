"""Which network addresses Netral may fetch from on a user's behalf (SSRF guard).

Officers paste URLs (social-media captures, news articles) and administrators configure feeds.
Every fetcher of such a URL asks this module before it connects, for the first address and for
every redirect: a URL whose host resolves to a private, loopback, link-local (cloud metadata at
169.254.169.254), carrier-grade NAT, multicast, reserved or unspecified address is refused. A
host that resolves to several addresses is refused when any of them is not public, so a DNS
answer that mixes a public and a private address cannot slip through; callers connect to the
address this module returned (never resolve the name again), which defeats DNS rebinding.

Tests point fetchers at their own fixture server on loopback through the setting
`NETRAL_FETCH_ALLOWED_NETWORKS` (empty in production), and test the guard itself with a fake
resolver passed as `resolver=`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from netral.core.errors import ApplicationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# getaddrinfo's shape: (family, type, proto, canonname, sockaddr)
Resolver = Callable[..., Sequence[tuple[object, object, object, object, tuple[object, ...]]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})


class BlockedAddressError(ApplicationError):
    """The URL points at an address Netral must not fetch from."""


@dataclass(frozen=True)
class Target:
    """A URL checked by the guard: connect to `address`, send `host` as the Host header."""

    url: str
    scheme: str
    host: str
    port: int
    address: IPAddress


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    raw = getattr(settings, "NETRAL_FETCH_ALLOWED_NETWORKS", [])
    return [ipaddress.ip_network(value, strict=False) for value in raw]


def address_is_public(address: IPAddress) -> bool:
    """True when `address` is globally routable unicast (not private, loopback, link-local…)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return address_is_public(mapped)
        if address.teredo is not None:
            return address_is_public(address.teredo[1])
    return bool(
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not address.is_link_local
        and not address.is_loopback
        and not address.is_private
    )


def address_is_allowed(address: IPAddress) -> bool:
    """Public, or inside a network the settings admit (test fixture servers only)."""
    if address_is_public(address):
        return True
    return any(address in network for network in _allowed_networks())


def url_target(url: str, *, resolver: Resolver = socket.getaddrinfo) -> Target:
    """Check `url` and resolve its host once; BlockedAddressError when it may not be fetched."""
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedAddressError(_("Hanya alamat http dan https yang dapat diambil."))
    host = parts.hostname
    if not host:
        raise BlockedAddressError(_("Alamat tidak memuat nama host."))
    if parts.username or parts.password:
        raise BlockedAddressError(_("Alamat dengan nama pengguna atau kata sandi tidak diambil."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise BlockedAddressError(_("Nomor port pada alamat tidak sah.")) from exc
    addresses = resolve_host(host, port, resolver=resolver)
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])


def resolve_host(
    host: str, port: int, *, resolver: Resolver = socket.getaddrinfo
) -> list[IPAddress]:
    """Every address `host` resolves to, all of them allowed; BlockedAddressError otherwise."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            infos = resolver(host, port, 0, socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise BlockedAddressError(
                _("Nama host %(host)s tidak dapat ditemukan.") % {"host": host}
            ) from exc
        addresses = []
        for info in infos:
            raw = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
            address = ipaddress.ip_address(raw)
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise BlockedAddressError(
                _("Nama host %(host)s tidak dapat ditemukan.") % {"host": host}
            )
    for address in addresses:
        if not address_is_allowed(address):
            raise BlockedAddressError(
                _("Alamat %(host)s menunjuk ke jaringan internal dan tidak diambil.")
                % {"host": host}
            )
    return addresses
