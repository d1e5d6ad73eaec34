"""Sources, dedup, proposals and the bad inputs of issue 17, against a fixture server on
loopback (admitted by NETRAL_FETCH_ALLOWED_NETWORKS in these tests only)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from netral.core.netguard import BlockedAddressError
from netral.news import services
from netral.news.models import Article, ArticleState, NewsSource, Proposal, ProposalStatus
from tests.news.conftest import ARTICLE_TITLE, FixtureServer, article_html

pytestmark = pytest.mark.django_db


def _public_then_private(host: str, port: int, *args: Any) -> list[Any]:
    """A fake resolver: news.example is public, evil.example points at the metadata address."""
    address = "93.184.216.34" if host == "news.example" else "169.254.169.254"
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


def test_an_article_added_by_url_becomes_a_proposal_of_the_unit_it_names(
    fixture_server: FixtureServer, alice: Any
) -> None:
    # given a page about Kecamatan Muara Wahau in Kab. Kutai Timur
    url = fixture_server.add("/berita/1", article_html())
    # when an officer adds it by URL
    result = services.article_add_url(url=url, actor=alice)
    # then it is stored once, with a pending event proposal in Muara Wahau's queue
    assert result.created
    assert result.article.state == ArticleState.PROPOSED
    [proposal] = result.proposals
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.region_id == "64.08.02"
    assert proposal.extraction["event_date"] == "2024-09-14"
    # and nothing entered the registry of events
    from netral.declarations.models import Event

    assert not Event.objects.exists()


def test_the_same_article_twice_is_stored_once(fixture_server: FixtureServer, alice: Any) -> None:
    # given the same article under two URLs (tracking parameter), and once pasted as text
    first = fixture_server.add("/a", article_html(canonical=fixture_server.base + "/a"))
    second = fixture_server.add(
        "/a?utm_source=wa", article_html(canonical=fixture_server.base + "/a")
    )
    services.article_add_url(url=first, actor=alice)
    again = services.article_add_url(url=second, actor=alice)
    assert not again.created
    assert Article.objects.count() == 1
    assert Proposal.objects.count() == 1
    # the same text under another address is the same article too (fingerprint)
    other = fixture_server.add("/mirror", article_html())
    assert not services.article_add_url(url=other, actor=alice).created
    assert Article.objects.count() == 1


def test_a_redirect_to_a_private_address_is_refused_and_stores_nothing(alice: Any) -> None:
    # given a public page that redirects to the cloud metadata address (fake resolver)
    from netral.news import fetch as fetch_module

    calls: list[str] = []

    def fake_url_target(url: str, *, resolver: Any = None) -> Any:
        calls.append(url)
        from netral.core.netguard import url_target

        return url_target(url, resolver=_public_then_private)

    # when the guard is asked about the redirect's target
    with pytest.raises(BlockedAddressError):
        fetch_module.url_target("http://evil.example/", resolver=_public_then_private)
    # and the fetcher follows a redirect into a private network
    original = fetch_module.url_target
    fetch_module.url_target = fake_url_target  # type: ignore[assignment]
    try:
        with pytest.raises(BlockedAddressError):
            services.article_add_url(url="http://evil.example/berita", actor=alice)
    finally:
        fetch_module.url_target = original  # type: ignore[assignment]
    # then nothing was stored and no proposal created
    assert calls == ["http://evil.example/berita"]
    assert not Article.objects.exists()
    assert not Proposal.objects.exists()


def test_a_redirect_from_the_fixture_server_to_loopback_is_refused_without_the_test_network(
    fixture_server: FixtureServer, alice: Any, settings: Any
) -> None:
    # given a page that redirects to 127.0.0.1 (a private address in production)
    fixture_server.add("/go", "", status=302, headers={"Location": "http://127.0.0.1:1/admin"})
    url = fixture_server.base + "/go"
    # when loopback is admitted only for the first hop, the second hop is checked again
    settings.NETRAL_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with pytest.raises(services.ApplicationError):
        services.article_add_url(url=url, actor=alice)
    # and with the fixture network withdrawn, even the first hop is refused
    settings.NETRAL_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(BlockedAddressError):
        services.article_add_url(url=url, actor=alice)
    assert not Article.objects.exists()


def test_pages_that_are_not_articles_or_not_indonesian_create_no_proposal(
    fixture_server: FixtureServer, alice: Any
) -> None:
    menu = fixture_server.add("/menu", "<html><body><nav>Beranda | Kontak</nav></body></html>")
    english = fixture_server.add(
        "/en",
        article_html(
            title="Village heads reminded to stay neutral",
            body="<p>" + "The election supervisory board reminded village heads to remain neutral "
            "during the campaign and said that reports would be examined quickly. " * 5 + "</p>",
        ),
    )
    assert services.article_add_url(url=menu, actor=alice).article.state == ArticleState.NOT_ARTICLE
    assert (
        services.article_add_url(url=english, actor=alice).article.state
        == ArticleState.OTHER_LANGUAGE
    )
    assert not Proposal.objects.exists()


def test_an_article_without_a_date_proposes_no_date(
    fixture_server: FixtureServer, alice: Any
) -> None:
    body = (
        "<p>Badan Kesbangpol Kabupaten Kutai Timur menggelar sosialisasi netralitas ASN bagi "
        "pejabat di lingkungan pemerintah kabupaten menjelang Pilkada 2024. Kegiatan tersebut "
        "menghadirkan narasumber dari Bawaslu dan BKPSDM serta diikuti para camat dan lurah "
        "yang bertugas di wilayah itu. Para peserta diminta menjaga sikap netral selama "
        "seluruh tahapan pemilihan.</p>"
    )
    url = fixture_server.add("/nodate", article_html(title="Sosialisasi netralitas ASN", body=body))
    result = services.article_add_url(url=url, actor=alice)
    assert result.created, result.article.url
    assert result.article.state == ArticleState.PROPOSED, result.article.extraction
    assert result.proposals[0].extraction["event_date"] is None


def _source(fixture_server: FixtureServer, path: str, kind: str = "RSS") -> NewsSource:
    return NewsSource.objects.create(name="Contoh", kind=kind, url=fixture_server.base + path)


def test_a_feed_is_polled_with_conditional_requests(fixture_server: FixtureServer) -> None:
    # given an RSS feed listing one article
    link = fixture_server.add("/berita/feed-1", article_html())
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Contoh</title>'
        f"<item><title>{ARTICLE_TITLE}</title><link>{link}</link></item></channel></rss>"
    )
    fixture_server.add("/rss", rss, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"})
    source = _source(fixture_server, "/rss")
    # when it is polled
    first = services.poll_source(source, same_host_delay=0)
    assert (first.items, first.stored, first.error) == (1, 1, "")
    assert source.etag == '"v1"'
    # then a second poll within the interval is skipped (politeness), and a forced one is
    # answered 304 thanks to If-None-Match
    assert services.poll_source(source, same_host_delay=0).skipped
    second = services.poll_source(source, force=True, same_host_delay=0)
    assert second.not_modified
    assert fixture_server.requests[-1][1].get("if-none-match") == '"v1"'
    assert Article.objects.count() == 1


def test_a_sitemap_lists_articles(fixture_server: FixtureServer) -> None:
    link = fixture_server.add("/berita/sm-1", article_html())
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{link}</loc></url></urlset>"
    )
    fixture_server.add("/sitemap.xml", sitemap, headers={"Content-Type": "application/xml"})
    result = services.poll_source(
        _source(fixture_server, "/sitemap.xml", "SITEMAP"), same_host_delay=0
    )
    assert (result.items, result.stored) == (1, 1)


def test_a_garbage_feed_or_a_timeout_is_recorded_and_proposes_nothing(
    fixture_server: FixtureServer, monkeypatch: Any
) -> None:
    fixture_server.add(
        "/garbage", b"\x00\x01 not a feed <<<", headers={"Content-Type": "text/plain"}
    )
    bad = services.poll_source(_source(fixture_server, "/garbage"), same_host_delay=0)
    assert bad.error
    assert bad.stored == 0
    # a feed that answers too slowly
    monkeypatch.setattr("netral.news.fetch.TIMEOUT_SECONDS", 0.2)
    fixture_server.add("/slow", "<rss/>", delay=1.0)
    slow_source = NewsSource.objects.create(
        name="Lambat", kind="RSS", url=fixture_server.base + "/slow"
    )
    slow = services.poll_source(slow_source, same_host_delay=0)
    assert "Waktu habis" in slow.error
    slow_source.refresh_from_db()
    assert "Waktu habis" in slow_source.last_status
    assert not Article.objects.exists()
    assert not Proposal.objects.exists()


def test_accepting_an_event_proposal_records_the_event_with_the_extracted_facts(
    fixture_server: FixtureServer, alice: Any
) -> None:
    import datetime as dt

    from netral.declarations.services import SpeakerIn
    from netral.registry.models import Region

    url = fixture_server.add("/berita/ok", article_html())
    [proposal] = services.article_add_url(url=url, actor=alice).proposals
    event = services.proposal_accept_event(
        proposal=proposal,
        actor=alice,
        title=ARTICLE_TITLE,
        kinds=["SOSIALISASI", "DEKLARASI"],
        date=dt.date(2024, 9, 14),
        region=Region.objects.get(code="64.08.02"),
        organiser="Bawaslu Kabupaten Kutai Timur",
        speakers=[SpeakerIn("Andi Rahman", "Ketua Bawaslu Kutai Timur", "")],
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.event == event
    assert url in event.basis
    # a proposal is decided once
    with pytest.raises(services.ApplicationError):
        services.proposal_dismiss(proposal=proposal, actor=alice)


def test_a_lead_is_accepted_as_informasi_awal(alice: Any) -> None:
    import datetime as dt

    from netral.cases.models import Case
    from netral.registry.models import Region

    text = (
        "Kades Wanasari Diduga Kampanyekan Paslon di Media Sosial\n"
        "Kepala Desa Wanasari, Kecamatan Muara Wahau, Kabupaten Kutai Timur, Joko Susilo, "
        "dilaporkan ke Bawaslu Kutai Timur pada Senin (7/10) karena diduga mengunggah ajakan "
        "memilih salah satu "
        "pasangan calon di media sosial. Ketua Bawaslu Kutai Timur Andi Rahman menyatakan laporan "
        "tersebut sedang dalam kajian awal menjelang Pilkada 2024. Warga diminta melapor bila "
        "menemukan pelanggaran serupa."
    )
    result = services.article_add_text(text=text, published=dt.date(2024, 10, 8), actor=alice)
    [lead] = [p for p in result.proposals if p.kind == "LEAD"]
    case = services.proposal_accept_lead(
        proposal=lead,
        actor=alice,
        title="Kades diduga berkampanye di media sosial",
        description=lead.extraction["leads"][0]["summary"],
        region=Region.objects.get(code="64.08.02.2007"),
        regime="PILKADA",
        event_date=dt.date(2024, 10, 7),
        persons=[{"name": "Joko Susilo", "position": "Kepala Desa Wanasari"}],
    )
    assert Case.objects.get(pk=case.pk).status == "INFORMASI_AWAL"


def test_another_regency_cannot_see_the_proposal(
    fixture_server: FixtureServer, alice: Any, charlie: Any, client: Any
) -> None:
    url = fixture_server.add("/berita/scoped", article_html())
    [proposal] = services.article_add_url(url=url, actor=alice).proposals
    from tests.conftest import client_for

    client = client_for(charlie)
    assert client.get(f"/berita/usulan/{proposal.pk}/").status_code == 404
    assert client.post(f"/berita/usulan/{proposal.pk}/abaikan/").status_code == 404
    client = client_for(alice)
    page = client.get(f"/berita/usulan/{proposal.pk}/")
    assert page.status_code == 200
    import re

    visible = re.sub(r"<[^>]+>", " ", page.content.decode())
    assert "Sosialisasi" in visible
    assert "SOSIALISASI" not in visible


def test_the_periodic_job_polls_due_sources_through_the_worker(
    fixture_server: FixtureServer, monkeypatch: Any
) -> None:
    from django_tasks_db.management.commands import db_worker

    from netral.jobs import worker
    from netral.jobs.models import Job
    from netral.news.jobs import news_poll_job

    monkeypatch.setattr(db_worker, "close_old_connections", lambda **kw: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda **kw: None)
    monkeypatch.setattr(services, "_polite_wait", lambda url, seconds: None)
    link = fixture_server.add("/berita/job-1", article_html())
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<item><link>{link}</link></item></channel></rss>"
    )
    fixture_server.add("/job.rss", rss, headers={"Content-Type": "application/rss+xml"})
    _source(fixture_server, "/job.rss")
    job = news_poll_job.enqueue(key="news-poll-test")
    worker.worker_run(batch=True)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "DONE", job.error
    assert job.result == {"sources": 1, "polled": 1, "stored": 1, "errors": 0}
    assert Proposal.objects.count() == 1


def test_a_poll_of_a_source_deleted_before_its_job_ran_fails_once_and_fetches_nothing(
    fixture_server: FixtureServer,
) -> None:
    """An administrator's "poll now" whose source was deleted meanwhile: the job fails at once
    naming the source, is not retried, fetches nothing and stores nothing."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from netral.jobs import worker
    from netral.jobs.models import JobStatus
    from netral.news.jobs import news_source_poll_job

    fixture_server.add("/hapus.rss", "<rss/>", headers={"Content-Type": "application/rss+xml"})
    source = _source(fixture_server, "/hapus.rss")
    job = news_source_poll_job.enqueue(source_id=source.pk)
    source_id = source.pk
    source.delete()

    worker.worker_run(batch=True)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1), job.error
    assert f"PermanentError: news source {source_id} is gone" in job.error
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        worker.worker_run(batch=True)  # past any backoff: a job queued again would run now
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert fixture_server.requests == []
    assert not Article.objects.exists()
    assert not Proposal.objects.exists()
    assert not NewsSource.objects.exists()
