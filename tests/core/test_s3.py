"""Media on S3-compatible object storage, end to end (docs/decisions/0017-storage-layout.md).

Every test here runs against a real S3 endpoint over HTTP: moto's server on 127.0.0.1
(tests/s3.py, the `s3_bucket` fixture), with the default storage switched to django-storages'
S3Storage as NETRAL_STORAGE=s3 configures it. Nothing is mocked inside the process: files go
out through boto3 and come back the same way, and the bucket is inspected with boto3 itself.
The backup and restore through S3 are in tests/core/test_backup.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netral.cases.models import Case, Evidence, EvidenceCheck
from netral.cases.receipt import receipt_verify
from netral.cases.services import evidence_add
from netral.declarations import services as declarations
from tests import s3
from tests.cases.conftest import PNG, file_report, png
from tests.cases.test_evidence_check import corrupt_pixels, noisy_png
from tests.conftest import client_for
from tests.declarations.helpers import event, standard
from tests.workers import run_jobs

pytestmark = pytest.mark.django_db


def _anonymous_get(endpoint: str, bucket: str, key: str) -> int:
    """What anyone who guessed an object's address gets from the object store itself."""
    try:
        with urllib.request.urlopen(f"{endpoint}/{bucket}/{key}") as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _nothing_public(endpoint: str, bucket: str) -> None:
    """No object of the bucket grants anything to anyone but its owner, and an anonymous GET
    of each is refused by the object store."""
    client = s3.client(endpoint)
    for key in s3.objects(endpoint, bucket):
        grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
        assert [g["Grantee"]["Type"] for g in grants] == ["CanonicalUser"], key
        assert _anonymous_get(endpoint, bucket, key) == 403, key


def test_the_default_storage_is_the_bucket(s3_bucket: str, s3_endpoint: str) -> None:
    from storages.backends.s3 import S3Storage

    name = default_storage.save("probe/hello.txt", io.BytesIO(b"hello"))
    assert isinstance(default_storage._wrapped, S3Storage)  # type: ignore[attr-defined]
    assert s3.objects(s3_endpoint, s3_bucket) == {f"{s3.PREFIX}/{name}": b"hello"}
    assert not (Path(settings.MEDIA_ROOT) / name).exists()  # nothing on the local disk
    assert default_storage.listdir("probe") == ([], ["hello.txt"])


def test_the_fixture_configures_s3_as_the_environment_does(tmp_path: Path) -> None:
    """The `s3_bucket` fixture's STORAGES is what config/settings.py makes of the NETRAL_S3_*
    environment (so the tests here exercise the shipped configuration)."""
    import json

    from tests.core.test_operations import _settings_of

    env = s3.storage_env("http://127.0.0.1:9", "netral-x")
    shipped = _settings_of(tmp_path, "__import__('json').dumps(s.STORAGES['default'])", **env)
    assert json.loads(shipped) == s3.storages_setting("http://127.0.0.1:9", "netral-x")["default"]


def test_a_url_of_the_bucket_is_signed_and_short_lived(s3_bucket: str, s3_endpoint: str) -> None:
    """Netral hands out no bucket URL (files are streamed after the access check); should
    anything ask the storage for one, it is signed and expires within five minutes."""
    import time
    from urllib.parse import parse_qs, urlsplit

    name = default_storage.save("letterheads/logo.png", io.BytesIO(PNG))
    url = default_storage.url(name)
    query = parse_qs(urlsplit(url).query)
    assert "Signature" in query or "X-Amz-Signature" in query
    expires = int(query["Expires"][0]) if "Expires" in query else None
    if expires is None:  # SigV4: X-Amz-Date + X-Amz-Expires
        assert int(query["X-Amz-Expires"][0]) <= 300
    else:
        assert 0 < expires - time.time() <= 300
    with urllib.request.urlopen(url) as response:  # noqa: S310  loopback
        assert response.read() == PNG
    assert _anonymous_get(s3_endpoint, s3_bucket, f"{s3.PREFIX}/{name}") == 403


def test_a_citizens_evidence_is_stored_in_the_bucket_and_served_only_after_the_access_check(
    s3_bucket: str,
    s3_endpoint: str,
    client: Client,
    alice: Any,
    charlie: Any,
) -> None:
    from tests.cases.test_public_views import URL, form_data

    response = client.post(URL, form_data(files=[png("foto.png")]))
    assert response.status_code == 302
    case = Case.objects.get()
    evidence = case.evidence.get()
    key = f"{s3.PREFIX}/{evidence.file.name}"
    assert s3.objects(s3_endpoint, s3_bucket) == {key: PNG}
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()

    url = reverse("cases:evidence", args=[case.pk, evidence.pk])
    served = client_for(alice).get(url)  # the regency's Bawaslu: streamed through Django
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PNG
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Content-Type"] == "image/png"
    assert "Location" not in served  # never a redirect to the bucket

    assert client_for(charlie).get(url).status_code == 404  # another regency
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    page = client_for(alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url in page
    assert s3_endpoint not in page  # no address of the object store is ever handed out
    _nothing_public(s3_endpoint, s3_bucket)


def test_a_sealed_receipt_and_a_certificate_batch_are_written_to_the_bucket_and_read_back(
    s3_bucket: str, s3_endpoint: str, client: Client, alice: Any
) -> None:
    # The citizen's receipt: rendered once, stored, then every later download reads it back.
    case = file_report().case
    url = reverse("cases:public_receipt_pdf", args=[case.code])
    first = client.get(url)
    assert first.status_code == 200
    document = case.documents.get()
    key = f"{s3.PREFIX}/{document.file.name}"
    stored = s3.objects(s3_endpoint, s3_bucket)
    assert stored[key] == first.content
    assert hashlib.sha256(stored[key]).hexdigest() == document.sha256
    assert client.get(url).content == first.content  # read back from the bucket
    assert case.documents.count() == 1
    assert receipt_verify(Case.objects.get(pk=case.pk))
    text = pypdf.PdfReader(io.BytesIO(first.content)).pages[0].extract_text()
    assert case.tracking_number in text

    # An event's certificates: the worker renders the batch into the bucket, the officer's
    # download streams it back.
    ev = event(pledges=[standard()], actor=alice)
    for i in range(2):
        declarations.signature_institutional(
            event=ev,
            template=standard(),
            actor=alice,
            name=f"Pejabat {i}",
            title="K",
            institution="I",
        )
    officer = client_for(alice)
    batch = reverse("declarations:event_certificates_pdf", args=[ev.pk])
    assert officer.post(batch).status_code == 302
    run_jobs()
    response = officer.get(batch)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    (batch_key,) = [k for k in s3.objects(s3_endpoint, s3_bucket) if "/batches/" in k]
    assert s3.objects(s3_endpoint, s3_bucket)[batch_key] == data
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "Pejabat 1" in reader.pages[1].extract_text()
    _nothing_public(s3_endpoint, s3_bucket)


def test_a_refused_evidence_file_is_quarantined_in_the_bucket_and_never_served(
    s3_bucket: str, s3_endpoint: str, settings: Any, alice: Any
) -> None:
    settings.NETRAL_EVIDENCE_WORKER_CHECK_KB = 1  # the deep check is the worker's
    case = file_report(files=[]).case
    bad = corrupt_pixels(noisy_png())
    files = [SimpleUploadedFile("foto.png", bad, content_type="image/png")]
    (evidence,) = evidence_add(case=case, actor=alice, files=files)
    assert evidence.check_status == EvidenceCheck.PENDING
    original = f"{s3.PREFIX}/{evidence.file.name}"
    assert s3.objects(s3_endpoint, s3_bucket)[original] == bad

    run_jobs()
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert evidence.check_status == EvidenceCheck.REFUSED
    quarantined = f"{s3.PREFIX}/{evidence.file.name}"
    assert evidence.file.name.startswith("karantina/")
    objects = s3.objects(s3_endpoint, s3_bucket)
    assert original not in objects  # moved, not copied
    assert objects[quarantined] == bad  # kept for the record, byte for byte
    assert hashlib.sha256(bad).hexdigest() == evidence.sha256

    officer = client_for(alice)
    assert officer.get(reverse("cases:evidence", args=[case.pk, evidence.pk])).status_code == 404
    assert _anonymous_get(s3_endpoint, s3_bucket, quarantined) == 403
    _nothing_public(s3_endpoint, s3_bucket)


def test_the_loopback_guard_refuses_any_other_address() -> None:
    """What the `s3_bucket` fixture holds its tests to (and asserts at their end)."""
    import socket

    with s3.loopback_only() as refused:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            with pytest.raises(s3.OffLoopbackError):
                probe.connect(("192.0.2.1", 80))  # TEST-NET-1: refused before any packet
        finally:
            probe.close()
    assert refused == ["('192.0.2.1', 80)"]


def test_a_sealed_patrol_capture_is_stored_verified_and_served_from_the_bucket(
    s3_bucket: str, s3_endpoint: str, alice: Any, charlie: Any
) -> None:
    from netral.patrol import services as patrol
    from tests.patrol.conftest import uploaded_capture

    capture = uploaded_capture(alice)
    (row,) = capture.files.all()
    assert s3.objects(s3_endpoint, s3_bucket)[f"{s3.PREFIX}/{row.file.name}"] == PNG
    assert patrol.capture_verify(capture=capture).intact  # digests read back from the bucket
    url = reverse("patrol:file", args=[capture.pk, row.pk])
    served = client_for(alice).get(url)
    assert b"".join(served.streaming_content) == PNG
    assert client_for(charlie).get(url).status_code == 404
    _nothing_public(s3_endpoint, s3_bucket)


def test_an_officials_file_is_uploaded_to_the_bucket_and_imported_from_it_by_the_worker(
    s3_bucket: str, s3_endpoint: str
) -> None:
    """The upload page stores the file, the worker (another node, in production) reads it
    back from the bucket; a failed import's error file is written there and downloaded."""
    from netral.accounts.models import Role
    from netral.registry.models import ImportJob, ImportStatus
    from tests.factories import UserFactory
    from tests.registry.helpers import OFFICIALS_FIXTURES

    staff = client_for(UserFactory(username="bkpsdm", role=Role.BKPSDM, region="64.08"))
    jobs = []
    for name in ("good_semicolon_bom.csv", "bad_unknown_region.csv"):
        data = (OFFICIALS_FIXTURES / name).read_bytes()
        upload = SimpleUploadedFile(name, data)
        assert staff.post(reverse("registry:import"), {"file": upload}).status_code == 302
        job = ImportJob.objects.latest("created_at")
        assert s3.objects(s3_endpoint, s3_bucket)[f"{s3.PREFIX}/{job.file.name}"] == data
        jobs.append(job)
    run_jobs()
    good, bad = (ImportJob.objects.get(pk=j.pk) for j in jobs)
    assert (good.status, good.summary["created"]) == (ImportStatus.DONE, 4)
    assert bad.status == ImportStatus.FAILED
    assert bad.error_file.name.startswith("imports/errors/")
    stored = s3.objects(s3_endpoint, s3_bucket)[f"{s3.PREFIX}/{bad.error_file.name}"]
    download = staff.get(reverse("registry:import_job_errors", args=[bad.pk]))
    assert b"".join(download.streaming_content) == stored
    assert "2,kode_wilayah," in stored.decode("utf-8-sig")
    _nothing_public(s3_endpoint, s3_bucket)


def test_clean_orphans_removes_old_unreferenced_objects_from_the_bucket(
    s3_bucket: str, s3_endpoint: str
) -> None:
    """`netral clean_orphans` on NETRAL_STORAGE=s3: it walked MEDIA_ROOT only, so a bucket's
    orphans (a save whose row was never committed) were never found."""
    from io import StringIO
    from unittest import mock

    from django.core.management import call_command

    filed = file_report(files=[png()])
    kept = filed.case.evidence.get().file.name
    lost = default_storage.save("evidence/lost/abc.png", io.BytesIO(b"x" * 1000))
    assert {f"{s3.PREFIX}/{n}" for n in (kept, lost)} <= set(s3.objects(s3_endpoint, s3_bucket))

    out = StringIO()
    call_command("clean_orphans", "--dry-run", stdout=out)  # both are too young to judge
    assert lost not in out.getvalue()
    later = timezone.now() + dt.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("clean_orphans", "--dry-run", stdout=out)
        assert lost in out.getvalue()
        assert kept not in out.getvalue()
        assert f"{s3.PREFIX}/{lost}" in s3.objects(s3_endpoint, s3_bucket)  # a dry run
        call_command("clean_orphans", stdout=StringIO())
    objects = s3.objects(s3_endpoint, s3_bucket)
    assert f"{s3.PREFIX}/{lost}" not in objects
    assert objects[f"{s3.PREFIX}/{kept}"] == PNG
