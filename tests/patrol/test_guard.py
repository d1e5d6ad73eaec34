"""The capture must not become a way into the server's network (issue 16, security of the
fetcher): private, loopback, link-local and metadata addresses are refused for the page, its
redirects and its sub-requests; the connection goes to the address that was checked (DNS
rebinding); time, size and number of requests are capped; no downloads, no file: URLs."""

from __future__ import annotations

import gzip
import socket

import pytest
from django.test import override_settings

from netral.accounts.models import Role
from netral.core.errors import ApplicationError
from netral.patrol import services
from netral.patrol.capture import CaptureFailedError, Limits, page_capture
from netral.patrol.models import CaptureStatus, FileRole
from netral.patrol.selectors import archived_resources
from tests.factories import UserFactory

LIMITS = Limits(timeout_s=8, max_bytes=5 << 20, max_requests=50)


def resolver_of(table):
    """A fake getaddrinfo: host -> list of addresses, or a callable giving them per call."""
    calls: list[str] = []

    def resolve(host, port, *_args):
        calls.append(host)
        answer = table.get(host)
        if callable(answer):
            answer = answer()
        if not answer:
            raise socket.gaierror("not found")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answer]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.1.2.3/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8000/",
        "file:///etc/passwd",
        "ftp://example.test/x",
    ],
)
@pytest.mark.django_db
def test_a_private_or_non_web_url_is_refused_when_requested(url):
    officer = UserFactory(username="pat", role=Role.BAWASLU_KABKOTA, region="64.08")
    with pytest.raises(ApplicationError):
        services.capture_request(actor=officer, url=url, unit_region=None)


def test_a_host_resolving_to_a_private_address_is_refused():
    resolve = resolver_of({"intranet.example": ["192.168.1.10"]})
    with pytest.raises(CaptureFailedError):
        page_capture("http://intranet.example/", limits=LIMITS, resolver=resolve, make_wacz=False)


def test_a_redirect_to_the_metadata_address_is_refused(site):
    with pytest.raises(CaptureFailedError, match=r"169\.254\.169\.254"):
        page_capture(
            f"{site.url}/redirect?to=http://169.254.169.254/latest/meta-data/",
            limits=LIMITS,
            make_wacz=False,
        )


def test_a_redirect_to_a_name_resolving_privately_is_refused(site):
    real = socket.getaddrinfo
    resolve = resolver_of({"evil.example": ["10.0.0.7"]})

    def mixed(host, port, *args):
        return resolve(host, port) if host == "evil.example" else real(host, port, *args)

    with pytest.raises(CaptureFailedError, match=r"evil\.example"):
        page_capture(
            f"{site.url}/redirect?to=http://evil.example/",
            limits=LIMITS,
            resolver=mixed,
            make_wacz=False,
        )


def test_a_sub_request_to_a_private_address_is_blocked_and_not_archived(site):
    result = page_capture(
        f"{site.url}/private-image?to=http://10.0.0.1/secret.png", limits=LIMITS, make_wacz=False
    )
    assert "http://10.0.0.1/secret.png" in result.blocked
    archive = gzip.decompress(result.warc)
    assert b"WARC-Target-URI: http://10.0.0.1" not in archive
    assert b"/private-image" in archive
    assert all("10.0.0.1" not in hit for hit in site.hits)


def test_the_connection_goes_to_the_checked_address_not_a_new_lookup(site):
    """Chromium resolves nothing itself (every host maps to NOTFOUND): a host name only a fake
    resolver knows is fetched at the address the guard returned; a rebinding answer on a later
    lookup (a private address) is refused, never connected to."""
    answers = iter([["127.0.0.1"], ["127.0.0.1"], ["10.9.9.9"]])
    port = site.port
    resolve = resolver_of({"social.example": lambda: next(answers, ["10.9.9.9"])})
    result = page_capture(
        f"http://social.example:{port}/post/3", limits=LIMITS, resolver=resolve, make_wacz=False
    )
    assert result.http_status == 200
    assert "gotong royong" in result.text
    # the first lookup checked the URL, the second served the page; the stylesheet and script
    # asked again and got the private answer: refused
    assert any("social.example" in u for u in result.blocked)
    assert resolve.calls.count("social.example") >= 3


def test_time_is_capped(site):
    with pytest.raises(CaptureFailedError):
        page_capture(
            f"{site.url}/slow?s=20",
            limits=Limits(timeout_s=2, max_bytes=1 << 20, max_requests=10),
            make_wacz=False,
        )


def test_size_is_capped(site):
    with pytest.raises(CaptureFailedError):
        page_capture(
            f"{site.url}/big?mb=3",
            limits=Limits(timeout_s=8, max_bytes=1 << 20, max_requests=10),
            make_wacz=False,
        )


def test_the_number_of_requests_is_capped(site):
    result = page_capture(
        f"{site.url}/many?n=60",
        limits=Limits(timeout_s=8, max_bytes=5 << 20, max_requests=10),
        make_wacz=False,
    )
    assert result.requests == 10
    assert len(result.blocked) >= 50


def test_a_download_is_not_accepted(site):
    with pytest.raises(CaptureFailedError):
        page_capture(f"{site.url}/download", limits=LIMITS, make_wacz=False)


@pytest.mark.django_db
def test_a_refused_capture_keeps_no_file_and_says_why(site):
    officer = UserFactory(username="pat", role=Role.BAWASLU_KABKOTA, region="64.08")
    capture = services.capture_request(
        actor=officer, url=f"{site.url}/redirect?to=http://10.0.0.1/", unit_region=None
    )
    capture = services.capture_run(capture_id=capture.pk)
    assert capture.status == CaptureStatus.GAGAL
    assert "10.0.0.1" in capture.error
    assert not capture.files.exists()


@pytest.mark.django_db
def test_without_the_test_allowance_the_fixture_server_itself_is_refused(site):
    officer = UserFactory(username="pat", role=Role.BAWASLU_KABKOTA, region="64.08")
    with override_settings(NETRAL_FETCH_ALLOWED_NETWORKS=[]), pytest.raises(ApplicationError):
        services.capture_request(actor=officer, url=f"{site.url}/post/1", unit_region=None)


def test_archived_resources_come_from_the_archive_only(site, db):
    officer = UserFactory(username="pat", role=Role.BAWASLU_KABKOTA, region="64.08")
    capture = services.capture_run(
        capture_id=services.capture_request(
            actor=officer, url=f"{site.url}/post/2", unit_region=None
        ).pk
    )
    resources = archived_resources(capture.files.get(role=FileRole.WARC))
    assert any(u.endswith("/static/post.css") for u in resources)
