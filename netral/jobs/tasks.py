"""The one django-tasks task: deliver a Job to its handler (netral/jobs/services.py)."""

from __future__ import annotations

from django_tasks import task

from netral.jobs.services import job_execute


@task()
def run_job(job_id: int) -> str:
    return job_execute(job_id=job_id)
