"""A capture of the fixture post: rendered, archived (WARC, WACZ), sealed and matched."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
import time_machine
from django.utils import timezone

from netral.accounts.models import Role
from netral.audit.models import AuditEntry
from netral.core import sealing
from netral.jobs.models import Job, JobStatus
from netral.patrol import capture as browser
from netral.patrol import services
from netral.patrol.models import Capture, CaptureFile, CaptureStatus, FileRole, TermKind
from netral.registry.models import Region
from tests.factories import UserFactory
from tests.patrol.conftest import LOOPBACK, make_election, make_kades, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(username="pat", role=Role.BAWASLU_KABKOTA, region="64.08")


def _capture(officer, url, **kw):
    """Request a capture and let the worker run its task (netral/jobs)."""
    from netral.patrol.models import Capture
    from netral.registry.models import Region

    capture = services.capture_request(
        actor=officer, url=url, unit_region=Region.objects.get(code="64.08"), **kw
    )
    run_worker()
    return Capture.objects.get(pk=capture.pk)


def test_a_capture_is_archived_sealed_and_linked_to_the_official(site, officer):
    account = make_kades()
    event = make_election()
    services.watch_term_add(
        election_event=event, unit_region=None, kind=TermKind.NOMOR, term="Paslon 2", actor=officer
    )
    services.watch_term_add(
        election_event=event,
        unit_region=None,
        kind=TermKind.CALON,
        term="Harapan Baru",
        actor=officer,
    )
    capture = _capture(
        officer, f"{site.url}/redirect?to=/budi.santoso.kades/post/1", election_event=event
    )
    assert capture.status == CaptureStatus.SELESAI, capture.error
    assert capture.final_url == f"{site.url}/budi.santoso.kades/post/1"
    assert capture.http_status == 200
    assert capture.official == account.official
    assert capture.account == account
    assert sorted(capture.hits) == ["Harapan Baru", "Paslon 2"]
    # the script's comments are in the visible text: the page was rendered, not just fetched
    assert "Nomor 2 menang" in capture.visible_text
    files = {f.role: f for f in capture.files.all()}
    assert set(files) == {
        FileRole.SCREENSHOT,
        FileRole.WACZ,
        FileRole.WARC,
        FileRole.TEXT,
        FileRole.DOM,
    }
    for f in files.values():
        with f.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == f.sha256
    with files[FileRole.SCREENSHOT].file.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    with files[FileRole.WACZ].file.open("rb") as fh:
        names = zipfile.ZipFile(io.BytesIO(fh.read())).namelist()
    assert "datapackage.json" in names
    assert any(n.startswith("archive/") for n in names)
    assert any(n.startswith("indexes/") for n in names)
    # the image from the second host (the "CDN") is in the archive too
    from netral.patrol.selectors import archived_resources

    urls = set(archived_resources(files[FileRole.WARC]))
    assert any("localhost" in u and "/img/photo-1.png" in u for u in urls)
    # the seal verifies over the record, which lists every file's digest
    assert sealing.verify(capture.record, sealing.Seal(**capture.seal))
    assert {f["sha256"] for f in capture.record["files"]} == {f.sha256 for f in files.values()}
    assert services.capture_verify(capture=capture).intact
    # a matched capture counts as a check of the account
    assert account.patrol_checks.get().capture == capture


def test_the_same_url_again_is_a_duplicate_and_its_screenshot_a_near_duplicate(site, officer):
    first = _capture(officer, f"{site.url}/post/1")
    second = _capture(officer, f"{site.url}/post/1/?utm_source=wa#top")
    assert second.duplicate_of == first
    assert second.near_duplicate_of == first


def test_a_tampered_file_is_reported_by_verification(site, officer):
    capture = _capture(officer, f"{site.url}/post/3")
    shot = capture.files.get(role=FileRole.SCREENSHOT)
    path = shot.file.path
    with open(path, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00\x01\x02")
    result = services.capture_verify(capture=capture)
    assert result.seal_valid
    assert not result.intact
    assert {f.name: f.state for f in result.files}["screenshot.png"] == "CHANGED"


def test_an_altered_record_breaks_the_seal(site, officer):
    capture = _capture(officer, f"{site.url}/post/3")
    capture.record["final_url"] = "https://elsewhere.example/"
    assert not services.capture_verify(capture=capture).seal_valid


def test_a_page_that_is_gone_is_captured_with_its_status(site, officer):
    capture = _capture(officer, f"{site.url}/gone")
    assert capture.status == CaptureStatus.SELESAI
    assert capture.http_status == 404


def test_a_capture_deleted_before_its_job_ran_fails_once_before_any_browser_starts(
    officer, settings
):
    """The job's input is gone: it fails at once with the capture named, is not retried, and
    writes nothing; the capture is looked up before chromium is asked for (no browser)."""
    settings.NETRAL_FETCH_ALLOWED_NETWORKS = LOOPBACK  # nothing is fetched: only checked
    browser.browser_close()  # no capture browser (nor its thread) left by an earlier test
    capture = services.capture_request(
        actor=officer,
        url="http://127.0.0.1:9/budi.santoso.kades/posts/1",
        unit_region=Region.objects.get(code="64.08"),
    )
    job = Job.objects.get(key=f"patrol.capture:{capture.pk}")
    capture_id = capture.pk
    capture.delete()
    audit_before = AuditEntry.objects.count()

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1), job.error
    assert f"PermanentError: capture {capture_id} is gone" in job.error
    assert browser._executor is None  # the browser's thread never started, nor chromium
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        run_worker()  # past any backoff: a job queued for a retry would run now
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert not Capture.objects.exists()
    assert not CaptureFile.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_takedown_recheck_whose_item_is_gone_fails_once(officer):
    """A recheck queued for a takedown item deleted since: failed at once, naming it, and
    not retried (a missing row is not a passing fault)."""
    from netral.patrol.jobs import takedown_recheck_job

    job = takedown_recheck_job.enqueue(key="patrol.recheck:999999:test", item_id=999999)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1), job.error
    assert "PermanentError: takedown item 999999 is gone" in job.error
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
