"""Large evidence files: the cheap checks in the request, the deep check by the worker
(issue 15 §1). A file the worker refuses is quarantined and never served."""

from __future__ import annotations

import datetime as dt
import io
import random
import zlib
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from netral.audit.models import AuditEntry
from netral.cases.models import Evidence, EvidenceCheck
from netral.cases.services import evidence_add
from netral.core.errors import ApplicationError
from netral.jobs.models import Job, JobStatus
from tests.cases.conftest import PNG, file_report
from tests.conftest import client_for
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def noisy_png(side: int = 64) -> bytes:
    """A real PNG of noise (64 px: about 12 KB, above the 1 KB threshold these tests set)."""
    from PIL import Image

    rng = random.Random(15)
    noise = bytes(rng.randrange(256) for _ in range(side * side * 3))
    image = Image.frombytes("RGB", (side, side), noise)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def corrupt_pixels(png: bytes) -> bytes:
    """The same PNG with its image data damaged: the header and the chunk walk are intact (the
    cheap check passes), the pixels do not decode (the deep check fails)."""
    start = png.index(b"IDAT") + 4
    length = int.from_bytes(png[start - 8 : start - 4], "big")
    damaged = bytearray(png)
    damaged[start + 40 : start + 80] = b"\x00" * 40
    crc = zlib.crc32(bytes(damaged[start - 4 : start + length])).to_bytes(4, "big")
    damaged[start + length : start + length + 4] = crc  # CRC right: only decoding tells
    return bytes(damaged)


@pytest.fixture
def threshold(settings: Any) -> None:
    settings.NETRAL_EVIDENCE_WORKER_CHECK_KB = 1


def _upload(case: Any, actor: Any, content: bytes, name: str = "foto.png") -> Evidence:
    files = [SimpleUploadedFile(name, content, content_type="image/png")]
    (added,) = evidence_add(case=case, actor=actor, files=files)
    return added


def test_a_large_valid_file_is_checked_by_the_worker(threshold: None, panwascam: Any) -> None:
    case = file_report().case
    evidence = _upload(case, panwascam, noisy_png())
    assert evidence.check_status == EvidenceCheck.PENDING
    job = Job.objects.get(key=f"evidence-check:{evidence.pk}")
    page = client_for(panwascam).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="evidence-checking"' in page
    assert "Sedang diperiksa" in page
    run_jobs()
    evidence.refresh_from_db()
    job.refresh_from_db()
    assert (evidence.check_status, job.status) == (EvidenceCheck.CHECKED, JobStatus.DONE)
    assert evidence.checked_at is not None
    response = client_for(panwascam).get(reverse("cases:evidence", args=[case.pk, evidence.pk]))
    assert response.status_code == 200


def test_a_small_file_is_checked_whole_in_the_request(threshold: None, panwascam: Any) -> None:
    case = file_report().case
    evidence = _upload(case, panwascam, PNG)
    assert evidence.check_status == EvidenceCheck.CHECKED
    assert not Job.objects.filter(key=f"evidence-check:{evidence.pk}").exists()
    with pytest.raises(ApplicationError, match="rusak"):  # under the threshold: refused at once
        _upload(case, panwascam, corrupt_pixels(noisy_png(12)))


def test_the_cheap_checks_still_refuse_at_once_above_the_threshold(
    threshold: None, panwascam: Any
) -> None:
    case = file_report().case
    before = Evidence.objects.count()
    big = noisy_png()
    for bad in (
        b"<html><script>alert(1)</script>" + b"x" * 4000,  # not an image at all
        big[:-12],  # the PNG cut before IEND
        big + b"PK\x05\x06" + b"\x00" * 18,  # a ZIP hidden behind the PNG
    ):
        with pytest.raises(ApplicationError):
            _upload(case, panwascam, bad)
    assert Evidence.objects.count() == before
    assert not Job.objects.filter(handler__endswith="evidence_check_job").exists()


def test_a_file_the_worker_refuses_is_quarantined_and_never_served(
    threshold: None, panwascam: Any
) -> None:
    import weasyprint  # noqa: F401  (the worker has it loaded: it makes Pillow lenient)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES  # what WeasyPrint's import does to the process
    case = file_report().case
    bad = corrupt_pixels(noisy_png())
    evidence = _upload(case, panwascam, bad)  # the request accepts it: the cheap checks pass
    assert evidence.check_status == EvidenceCheck.PENDING
    stored = evidence.file.name
    run_jobs()
    evidence.refresh_from_db()
    assert evidence.check_status == EvidenceCheck.REFUSED
    assert "rusak" in evidence.check_note
    assert evidence.file.name.startswith("karantina/")
    assert not default_storage.exists(stored)
    with evidence.file.open("rb") as fh:  # kept for the record, byte for byte
        assert fh.read() == bad
    officer = client_for(panwascam)
    assert officer.get(reverse("cases:evidence", args=[case.pk, evidence.pk])).status_code == 404
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="evidence-refused"' in page
    assert reverse("cases:evidence", args=[case.pk, evidence.pk]) not in page
    assert AuditEntry.objects.filter(action="case.evidence_refused").count() == 1
    run_jobs()  # idempotent: nothing more happens
    assert AuditEntry.objects.filter(action="case.evidence_refused").count() == 1


def test_a_public_report_with_a_large_file_waits_for_the_check(threshold: None) -> None:
    report = file_report(files=[SimpleUploadedFile("bukti.png", noisy_png(), "image/png")])
    (evidence,) = report.case.evidence.exclude(file="")
    assert evidence.check_status == EvidenceCheck.PENDING
    run_jobs()
    evidence.refresh_from_db()
    assert evidence.check_status == EvidenceCheck.CHECKED


def _run_again_after_any_backoff() -> None:
    """Run the worker again once every backoff the job could have been given has passed: a
    job queued for a retry would run now."""
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        run_jobs()


def _assert_failed_once(job: Job, *, naming: str) -> None:
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1), job.error
    assert f"PermanentError: {naming}" in job.error
    _run_again_after_any_backoff()  # not retried
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)


def test_a_check_whose_evidence_row_was_deleted_fails_once_and_clearly(
    threshold: None, panwascam: Any
) -> None:
    case = file_report().case
    evidence = _upload(case, panwascam, noisy_png())
    job = Job.objects.get(key=f"evidence-check:{evidence.pk}")
    stored, evidence_id = evidence.file.name, evidence.pk
    evidence.delete()
    audit_before = AuditEntry.objects.count()

    run_jobs()

    _assert_failed_once(job, naming=f"evidence {evidence_id} no longer exists")
    assert AuditEntry.objects.count() == audit_before  # nothing refused or checked
    assert default_storage.exists(stored)  # the file was neither moved nor deleted
    assert not default_storage.exists(f"karantina/{stored}")


def test_a_check_whose_stored_file_vanished_fails_once_and_clearly(
    threshold: None, panwascam: Any
) -> None:
    case = file_report().case
    evidence = _upload(case, panwascam, noisy_png())
    job = Job.objects.get(key=f"evidence-check:{evidence.pk}")
    stored = evidence.file.name
    evidence.file.storage.delete(stored)
    audit_before = AuditEntry.objects.count()

    run_jobs()

    _assert_failed_once(job, naming=f"the file of evidence {evidence.pk} is gone: {stored}")
    evidence.refresh_from_db()  # left undecided: neither passed nor quarantined
    assert (evidence.check_status, evidence.checked_at) == (EvidenceCheck.PENDING, None)
    assert evidence.file.name == stored
    assert AuditEntry.objects.count() == audit_before
    assert not default_storage.exists(f"karantina/{stored}")
