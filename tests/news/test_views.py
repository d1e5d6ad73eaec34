"""The officer pages: pasted text and uploads through the forms, bad uploads refused by
content, registered officials recognised, dismissing a proposal."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from netral.news.models import Article, Proposal, ProposalStatus
from tests.conftest import client_for
from tests.news.conftest import article_html

pytestmark = pytest.mark.django_db

TEXT = (
    "Camat Muara Wahau Budi Santoso membuka sosialisasi netralitas kepala desa se-Kecamatan "
    "Muara Wahau pada Sabtu (14/9) menjelang Pilkada 2024. Sebanyak 10 kepala desa hadir dan "
    "Ketua Bawaslu Kutai Timur Andi Rahman menjelaskan larangan bagi kepala desa selama tahapan "
    "kampanye, termasuk di media sosial, agar pemilihan berjalan jujur dan adil."
)


def _visible(html: bytes) -> str:
    return re.sub(r"<[^>]+>", " ", html.decode())


def test_pasted_text_becomes_a_proposal_and_registered_officials_are_marked(alice: Any) -> None:
    # given the camat is a registered official of Muara Wahau
    from tests.declarations.helpers import official

    official(region="64.08.02", subject_type="CAMAT", name="Budi Santoso")
    client = client_for(alice)
    # when the article is pasted with its publication date
    response = client.post(
        "/berita/tambah/",
        {
            "mode": "text",
            "title": "Sosialisasi netralitas kades",
            "published": "2024-09-16",
            "text": TEXT,
        },
    )
    # then the officer lands on the proposal, dated and placed
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/berita/usulan/{proposal.pk}/"
    assert proposal.region_id == "64.08.02"
    page = _visible(client.get(response["Location"]).content)
    assert "14 September 2024" in page
    assert "Budi Santoso, Camat Muara Wahau" in page
    assert "terdaftar di registri" in page


def test_an_upload_that_is_not_html_is_refused_and_stores_nothing(alice: Any) -> None:
    client = client_for(alice)
    png = SimpleUploadedFile("artikel.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/html")
    response = client.post("/berita/tambah/", {"mode": "upload", "file": png})
    assert response.status_code == 200
    assert "Berkas: bukan halaman HTML." in _visible(response.content)
    assert not Article.objects.exists()


def test_an_uploaded_page_is_read(alice: Any) -> None:
    client = client_for(alice)
    page = SimpleUploadedFile("berita.html", article_html().encode(), "text/html")
    response = client.post("/berita/tambah/", {"mode": "upload", "file": page})
    assert response.status_code == 302
    assert Proposal.objects.get().extraction["event_date"] == "2024-09-14"


def test_a_proposal_is_dismissed_with_its_reason(alice: Any) -> None:
    from netral.audit.models import AuditEntry
    from netral.news.services import article_add_text

    [proposal] = article_add_text(text=TEXT, title="Sosialisasi", actor=alice).proposals
    client = client_for(alice)
    response = client.post(f"/berita/usulan/{proposal.pk}/abaikan/", {"note": "kegiatan lama"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    assert proposal.note == "kegiatan lama"
    assert AuditEntry.objects.filter(action="news.proposal_dismissed").exists()
    # and the queue no longer lists it
    assert f"/berita/usulan/{proposal.pk}/" not in client.get("/berita/").content.decode()


def test_an_auditor_reads_but_cannot_decide(alice: Any, bob: Any) -> None:
    from netral.news.services import article_add_text

    [proposal] = article_add_text(text=TEXT, title="Sosialisasi", actor=alice).proposals
    client = client_for(bob)
    page = client.get(f"/berita/usulan/{proposal.pk}/")
    assert page.status_code == 200
    assert 'data-testid="accept"' not in page.content.decode()
    assert client.post(f"/berita/usulan/{proposal.pk}/", {"title": "x"}).status_code == 404
    assert client.get("/berita/tambah/").status_code == 404
