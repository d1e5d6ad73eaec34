"""Issue 16, point 2: a saved page (HTML or MHTML) uploaded when a page cannot be fetched is
sealed with the officer's statement, read for matching, and replayed offline."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from netral.accounts.models import Role
from netral.core.errors import ApplicationError
from netral.patrol import savedpage, services
from netral.patrol.models import CaptureMethod, CaptureStatus, FileRole, TermKind
from netral.registry.models import Region
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.patrol.conftest import make_election, make_kades

pytestmark = pytest.mark.django_db

# The shape Chrome writes ("Webpage, Single File"): a MIME message, the page in
# quoted-printable, its image in base64, each part with its original URL.
MHTML = (
    b"From: <Saved by Blink>\r\n"
    b"Snapshot-Content-Location: https://www.facebook.com/budi.santoso.kades/posts/7\r\n"
    b"Subject: Budi Santoso | Facebook\r\n"
    b"Date: Sat, 14 Sep 2024 08:15:00 +0800\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n'
    b'\tboundary="----MultipartBoundary--abc----"\r\n'
    b"\r\n"
    b"------MultipartBoundary--abc----\r\n"
    b"Content-Type: text/html\r\n"
    b"Content-ID: <frame-1@mhtml.blink>\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"Content-Location: https://www.facebook.com/budi.santoso.kades/posts/7\r\n"
    b"\r\n"
    b"<html><head><title>Budi Santoso | Facebook</title><script>track()</script></head>=\r\n"
    b"<body><article><p>Ayo dukung Paslon 2 pada Pilkada!</p>=\r\n"
    b'<img src=3D"https://scontent.example/photo.png"></article></body></html>\r\n'
    b"------MultipartBoundary--abc----\r\n"
    b"Content-Type: image/png\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"Content-Location: https://scontent.example/photo.png\r\n"
    b"\r\n"
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\r\n"
    b"------MultipartBoundary--abc------\r\n"
)

HTML = (
    b"<!DOCTYPE html>\n"
    b"<!-- saved from url=(0052)https://www.instagram.com/budi.santoso.kades/p/Cx9 -->\n"
    b"<html><head><title>Instagram</title><style>p{color:red}</style></head>"
    b"<body><p>Coblos nomor 2!</p><script>alert(1)</script></body></html>"
)


@pytest.fixture
def officer() -> Any:
    return UserFactory(username="pat", role=Role.BAWASLU_KABKOTA, region="64.08")


def _upload(officer: Any, *files: SimpleUploadedFile, url: str = "", event: Any = None) -> Any:
    return services.capture_upload(
        actor=officer,
        data=services.UploadData(
            url=url,
            seen_at=timezone.now() - dt.timedelta(hours=1),
            seen_where="Laptop kantor, Chrome, akun patroli",
            statement="Halaman meminta login saat diambil; disimpan dari peramban petugas.",
        ),
        files=list(files),
        unit_region=Region.objects.get(code="64.08"),
        election_event=event,
    )


def test_an_mhtml_page_is_read_part_by_part() -> None:
    page = savedpage.parse_saved_page(MHTML, "fb.mhtml")
    assert page.kind == "MHTML"
    assert page.page_url == "https://www.facebook.com/budi.santoso.kades/posts/7"
    assert page.title == "Budi Santoso | Facebook"
    assert "Ayo dukung Paslon 2 pada Pilkada!" in page.text
    assert "track()" not in page.text  # scripts are not visible text
    assert page.saved_at == dt.datetime(2024, 9, 14, 0, 15, tzinfo=dt.UTC)
    assert [(u, t) for u, t, _b in page.resources] == [
        ("https://scontent.example/photo.png", "image/png")
    ]


def test_a_saved_mhtml_is_sealed_matched_and_replayed_offline(officer: Any) -> None:
    account = make_kades()
    event = make_election()
    services.watch_term_add(
        election_event=event, unit_region=None, kind=TermKind.NOMOR, term="Paslon 2", actor=officer
    )
    capture = _upload(
        officer, SimpleUploadedFile("fb.mhtml", MHTML, "multipart/related"), event=event
    )
    assert capture.method == CaptureMethod.UNGGAHAN
    assert capture.status == CaptureStatus.SELESAI
    # the page's own URL stands for the URL the officer left blank, and finds the account
    assert capture.url == "https://www.facebook.com/budi.santoso.kades/posts/7"
    assert capture.official == account.official
    assert capture.hits == ["Paslon 2"]
    roles = {f.role: f for f in capture.files.all()}
    assert {FileRole.SAVED_PAGE, FileRole.DOM, FileRole.WARC, FileRole.TEXT} <= set(roles)
    with roles[FileRole.SAVED_PAGE].file.open("rb") as fh:
        assert fh.read() == MHTML  # kept as it came, and sealed
    assert services.capture_verify(capture=capture).intact

    client = client_for(officer)
    detail = client.get(reverse("patrol:capture", args=[capture.pk]))
    body = detail.content.decode()
    assert "Ayo dukung" in body
    assert "WITA" in body  # times carry the Kutai Timur unit's zone (issue 12 point 7)
    assert "<mark" in body
    # the offline viewer serves the page, sandboxed, and its image from the archive
    replay_url = detail.context["replay_url"]
    assert replay_url
    page = client.get(replay_url)
    assert page.status_code == 200
    assert "script-src 'none'" in page["Content-Security-Policy"]
    assert "track()" not in page.content.decode()
    image = client.get(
        reverse("patrol:replay_resource", args=[replay_url.rstrip("/").rsplit("/", 1)[1]]),
        {"u": "https://scontent.example/photo.png"},
    )
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    # the saved file itself is only ever a download
    saved = client.get(reverse("patrol:file", args=[capture.pk, roles[FileRole.SAVED_PAGE].pk]))
    assert saved.status_code == 200
    assert saved["Content-Disposition"].startswith("attachment")


def test_a_saved_html_page_keeps_its_url_from_the_browser_mark(officer: Any) -> None:
    capture = _upload(officer, SimpleUploadedFile("ig.html", HTML, "text/html"))
    assert capture.url == "https://www.instagram.com/budi.santoso.kades/p/Cx9"
    assert capture.platform == "Instagram"
    assert "Coblos nomor 2!" in capture.visible_text
    assert "alert(1)" not in capture.visible_text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "empty.mhtml",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n",
        ),
        ("blank.html", b"<!DOCTYPE html><html><head></head><body></body></html>"),
    ],
)
def test_a_saved_page_with_nothing_in_it_is_refused_naming_the_file(
    officer: Any, name: str, data: bytes
) -> None:
    from netral.patrol.models import Capture

    with pytest.raises(ApplicationError, match=name):
        _upload(officer, SimpleUploadedFile(name, data, "application/octet-stream"))
    assert not Capture.objects.exists()


def test_a_page_saved_by_chromium_itself_is_accepted(officer: Any, site: Any) -> None:
    """Chromium's own MHTML (DevTools Page.captureSnapshot) of the fixture post."""
    if not shutil.which(settings.NETRAL_CHROMIUM):
        pytest.skip("chromium is not installed")
    import concurrent.futures

    from playwright.sync_api import sync_playwright

    def snapshot() -> bytes:  # in its own thread: Playwright's sync API runs an event loop
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=settings.NETRAL_CHROMIUM)
            try:
                page = browser.new_page()
                page.goto(f"{site.url}/budi.santoso.kades/post/1")
                cdp = page.context.new_cdp_session(page)
                return str(cdp.send("Page.captureSnapshot", {"format": "mhtml"})["data"]).encode()
            finally:
                browser.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        mhtml = pool.submit(snapshot).result(60)
    make_kades()
    capture = _upload(officer, SimpleUploadedFile("post.mhtml", mhtml, "multipart/related"))
    assert capture.url.endswith("/budi.santoso.kades/post/1")
    assert capture.official is not None
    assert capture.visible_text
    archived = {f.role for f in capture.files.all()}
    assert FileRole.WARC in archived
    assert FileRole.SAVED_PAGE in archived


def test_the_upload_page_takes_a_saved_page(officer: Any) -> None:
    from netral.patrol.models import Capture

    client = client_for(officer)
    response = client.post(
        reverse("patrol:capture_upload"),
        {
            "url": "",
            "unit": "64.08",
            "election_event": "",
            "act_kind": "",
            "seen_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "seen_where": "Laptop kantor",
            "statement": "Disimpan dari peramban; halaman meminta login.",
            "files": [SimpleUploadedFile("fb.mhtml", MHTML, "multipart/related")],
        },
    )
    capture = Capture.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("patrol:capture", args=[capture.pk])
    assert capture.files.filter(role=FileRole.SAVED_PAGE).exists()
