"""Certificate batches of an event run as background jobs (netral/declarations/jobs.py)."""

from __future__ import annotations

from typing import Any

import pytest

from netral.declarations import services
from netral.declarations.jobs import certificates_batch_current, certificates_batch_start
from netral.declarations.models import Event
from netral.jobs.models import Job, JobStatus
from netral.jobs.worker import worker_run
from tests.declarations.helpers import event, standard

pytestmark = pytest.mark.django_db


def _sign(ev: Event, actor: Any, name: str) -> None:
    services.signature_institutional(
        event=ev, template=standard(), actor=actor, name=name, title="Kepala", institution="X"
    )


def test_an_unchanged_event_reuses_its_batch_and_a_new_signature_makes_a_new_one(
    alice: Any,
) -> None:
    ev = event(pledges=[standard()], actor=alice)
    _sign(ev, alice, "Pejabat A")
    first = certificates_batch_start(event=ev, kind="zip", actor=alice)
    assert certificates_batch_start(event=ev, kind="zip", actor=alice).pk == first.pk
    worker_run(batch=True)
    first.refresh_from_db()
    assert first.status == JobStatus.DONE
    assert first.result["count"] == 1
    assert (first.progress_done, first.progress_total) == (1, 1)
    _sign(ev, alice, "Pejabat B")
    assert certificates_batch_current(event=ev, kind="zip") is None  # stale: not offered
    second = certificates_batch_start(event=ev, kind="zip", actor=alice)
    assert second.pk != first.pk


def test_a_batch_whose_event_was_deleted_fails_without_retrying(alice: Any) -> None:
    ev = event(pledges=[standard()], actor=alice)
    job = certificates_batch_start(event=ev, kind="pdf", actor=alice)
    Event.objects.filter(pk=ev.pk).delete()
    worker_run(batch=True)
    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert "was deleted" in job.error
