"""The upload page's import runs as a background job (netral/registry/jobs.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netral.accounts.models import Role, User
from netral.jobs.models import Job, JobStatus
from netral.jobs.worker import worker_run
from netral.registry.models import ImportJob, ImportStatus, Official
from netral.registry.services.officials_import import officials_import
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.registry.helpers import OFFICIALS_FIXTURES, db_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def bkpsdm(db: None) -> User:
    return UserFactory(username="bkpsdm", role=Role.BKPSDM, region="64.08")


def _upload(client: Client, name: str) -> ImportJob:
    response = client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile(name, (OFFICIALS_FIXTURES / name).read_bytes())},
    )
    assert response.status_code == 302
    return ImportJob.objects.latest("created_at")


def test_an_upload_is_queued_then_imported_by_the_worker(bkpsdm: User) -> None:
    client = client_for(bkpsdm)
    upload = _upload(client, "good_semicolon_bom.csv")
    assert upload.status == ImportStatus.PENDING
    assert upload.job is not None
    assert upload.job.status == JobStatus.QUEUED
    page = client.get(reverse("registry:import_job", args=[upload.pk])).content.decode()
    assert "Menunggu giliran" in page
    assert 'data-testid="worker-missing"' in page  # no worker has beaten yet

    worker_run(batch=True)

    upload.refresh_from_db()
    assert (upload.status, upload.summary["created"]) == (ImportStatus.DONE, 4)
    job = Job.objects.get(pk=upload.job_id)
    assert job.status == JobStatus.DONE
    assert (job.progress_done, job.progress_total) == (4, 4)  # the job's own progress
    page = client.get(reverse("registry:import_job", args=[upload.pk])).content.decode()
    assert "4 pejabat baru" in page


def test_an_upload_whose_file_vanished_fails_clearly_and_is_not_retried(bkpsdm: User) -> None:
    upload = _upload(client_for(bkpsdm), "good_semicolon_bom.csv")
    upload.file.delete(save=False)
    state = db_state()

    worker_run(batch=True)

    upload.refresh_from_db()
    assert upload.status == ImportStatus.FAILED
    assert "tidak ditemukan" in upload.message
    job = Job.objects.get(pk=upload.job_id)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert db_state() == state


def test_an_import_that_committed_before_its_worker_died_is_not_imported_twice(
    bkpsdm: User, monkeypatch: Any
) -> None:
    """The worker died between the import's commit and recording the job as done: the
    next attempt finds the import's audit entry and only marks the upload done."""
    from netral.registry.services import officials_import as service

    upload = _upload(client_for(bkpsdm), "good_semicolon_bom.csv")
    with upload.file.open("rb") as fh:
        officials_import(file=fh, actor=bkpsdm, audit_obj=upload, allowed_regions={"64.08"})
    count = Official.objects.count()
    assert count == 4

    def must_not_run(**kwargs: Any) -> None:
        raise AssertionError("imported twice")

    monkeypatch.setattr(service, "import_job_run", must_not_run)
    worker_run(batch=True)

    upload.refresh_from_db()
    assert (upload.status, upload.summary["created"]) == (ImportStatus.DONE, 4)
    assert Official.objects.count() == count


def test_a_system_error_retries_the_import_and_the_page_says_so(
    bkpsdm: User, monkeypatch: Any
) -> None:
    from netral.registry.services import officials_import as service

    real = service.officials_import
    calls = []

    def flaky(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(service, "officials_import", flaky)
    client = client_for(bkpsdm)
    upload = _upload(client, "good_semicolon_bom.csv")
    worker_run(batch=True)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.PENDING
    page = client.get(reverse("registry:import_job", args=[upload.pk])).content.decode()
    assert "akan dicoba lagi" in page
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False):
        worker_run(batch=True)  # after the backoff
    upload.refresh_from_db()
    assert (upload.status, upload.summary["created"]) == (ImportStatus.DONE, 4)
