"""The SSRF guard refuses every non-public address, resolved through a fake resolver."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings

from netral.core.netguard import BlockedAddressError, address_is_public, url_target


def fake_resolver(table: dict[str, list[str]]):
    def resolve(host, port, *_args):
        if host not in table:
            raise socket.gaierror("not found")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in table[host]]

    return resolve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::",
    ],
)
def test_it_refuses_non_public_addresses(address):
    # given a host that resolves to a non-public address
    resolver = fake_resolver({"evil.example": [address]})
    # when / then
    with pytest.raises(BlockedAddressError):
        url_target("http://evil.example/post", resolver=resolver)


def test_it_refuses_a_host_that_mixes_public_and_private_answers():
    resolver = fake_resolver({"mixed.example": ["93.184.216.34", "10.0.0.5"]})
    with pytest.raises(BlockedAddressError):
        url_target("https://mixed.example/", resolver=resolver)


def test_it_returns_the_checked_address_to_connect_to():
    resolver = fake_resolver({"news.example": ["93.184.216.34"]})
    target = url_target("https://news.example:8443/a?b=1", resolver=resolver)
    assert str(target.address) == "93.184.216.34"
    assert target.port == 8443
    assert target.host == "news.example"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example/",
        "http://user:pw@news.example/",
        "http:///x",
        "http://news.example:99999/",
    ],
)
def test_it_refuses_other_schemes_credentials_and_bad_ports(url):
    resolver = fake_resolver({"news.example": ["93.184.216.34"]})
    with pytest.raises(BlockedAddressError):
        url_target(url, resolver=resolver)


def test_it_refuses_literal_private_addresses_without_resolving():
    def never(*_args):
        raise AssertionError("a literal address must not be resolved")

    for url in ("http://127.0.0.1:8000/", "http://[::1]/", "http://169.254.169.254/latest/"):
        with pytest.raises(BlockedAddressError):
            url_target(url, resolver=never)


def test_it_refuses_unknown_hosts():
    with pytest.raises(BlockedAddressError):
        url_target("http://nowhere.example/", resolver=fake_resolver({}))


@override_settings(NETRAL_FETCH_ALLOWED_NETWORKS=["127.0.0.0/8"])
def test_a_test_setting_can_admit_the_loopback_fixture_server():
    target = url_target("http://127.0.0.1:8765/post.html")
    assert str(target.address) == "127.0.0.1"
    with pytest.raises(BlockedAddressError):
        url_target("http://10.0.0.1/", resolver=fake_resolver({}))


def test_public_addresses_pass():
    import ipaddress

    assert address_is_public(ipaddress.ip_address("93.184.216.34"))
    assert address_is_public(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946"))
