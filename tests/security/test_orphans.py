"""Issue 14, point 5: a killed save leaves nothing reachable; `netral clean_orphans` finds the
rest."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from netral.cases.models import Evidence
from tests.cases.conftest import file_report, png

ROOT = Path(__file__).resolve().parents[2]
SLOW_SAVE = """
import time, django
django.setup()
from django.core.files.storage import default_storage

class Slow:
    def chunks(self):
        for i in range(2000):
            yield b"x" * 65536
            if i == 20:
                print("writing", flush=True)
            time.sleep(0.01)

default_storage.save("evidence/c0de/half.bin", Slow())
"""


def test_a_server_killed_during_a_save_leaves_no_file_under_its_name(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_ROOT": str(tmp_path),
        "NETRAL_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)  # as the attack did: kill the server mid-write
    child.wait(timeout=30)
    folder = tmp_path / "evidence" / "c0de"
    assert not (folder / "half.bin").exists()  # the name a row would point at: absent
    leftovers = list(folder.iterdir())
    assert [p.name.startswith(".partial-") for p in leftovers] == [True]
    assert leftovers[0].stat().st_size > 20 * 65536


@pytest.mark.django_db
def test_clean_orphans_reports_then_removes_old_unreferenced_files() -> None:
    filed = file_report(files=[png()])
    kept = Path(filed.case.evidence.get().file.path)
    media = Path(settings.MEDIA_ROOT)
    old = time.time() - 7200
    orphan = media / "evidence" / "lost" / "abc.png"
    partial = media / "evidence" / "lost" / ".partial-0123"
    fresh = media / "evidence" / "lost" / "just-now.png"
    temp_upload = Path(settings.FILE_UPLOAD_TEMP_DIR) / "tmpabc.upload"
    for path in (orphan, partial, fresh, temp_upload):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
    for path in (orphan, partial, temp_upload, kept):
        os.utime(path, (old, old))

    out = StringIO()
    call_command("clean_orphans", "--dry-run", stdout=out)
    listed = out.getvalue()
    for path in (orphan, partial, temp_upload):
        assert str(path) in listed
        assert path.exists()  # a dry run removes nothing
    assert str(kept) not in listed
    assert str(fresh) not in listed

    call_command("clean_orphans", stdout=StringIO())
    for path in (orphan, partial, temp_upload):
        assert not path.exists()
    for path in (kept, fresh):  # referenced, or too young to judge
        assert path.exists()
    assert Evidence.objects.filter(pk=filed.case.evidence.get().pk).exists()


@pytest.mark.django_db
def test_clean_orphans_keeps_the_files_named_by_jobs_until_the_job_is_pruned(
    alice: Any,
) -> None:
    """A certificate batch is named by its job's result, not by a FileField: clean_orphans
    removed every batch an hour after it was made, and its download then answered 404 for as
    long as the event's signatures stayed the same."""
    from unittest import mock

    from django.core.files.storage import default_storage
    from django.urls import reverse
    from django.utils import timezone

    from netral.declarations import services
    from netral.jobs.models import Job
    from tests.conftest import client_for
    from tests.declarations.helpers import event, standard
    from tests.workers import run_jobs

    ev = event(pledges=[standard()], actor=alice)
    services.signature_institutional(
        event=ev, template=standard(), actor=alice, name="P", title="K", institution="I"
    )
    officer = client_for(alice)
    url = reverse("declarations:event_certificates_pdf", args=[ev.pk])
    officer.post(url)
    run_jobs()
    (job,) = Job.objects.filter(result__has_key="file")
    batch = job.result["file"]
    later = timezone.now() + dt.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("clean_orphans", stdout=StringIO())
    assert default_storage.exists(batch)
    assert officer.get(url).status_code == 200

    job.delete()  # pruned after NETRAL_JOB_RETENTION_DAYS: the batch is an orphan now
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("clean_orphans", stdout=StringIO())
    assert not default_storage.exists(batch)
