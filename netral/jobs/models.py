"""Background jobs: Netral's record of every unit of work run by the task worker.

django-tasks delivers the work (docs/decisions/0010-task-engine.md); this row is what a
job *is*: its handler and arguments, an idempotency key, its attempts and the next one's
time (retry with backoff), its progress, its error, and the worker's heartbeat while it
runs, so a job whose worker died is found and run again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "QUEUED", _("Menunggu")
    RUNNING = "RUNNING", _("Berjalan")
    DONE = "DONE", _("Selesai")
    FAILED = "FAILED", _("Gagal")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    handler = models.CharField(_("penangan"), max_length=200)
    # Enqueueing with a key that already exists returns that job instead of a new one.
    key = models.CharField(_("kunci"), max_length=200, unique=True, null=True, blank=True)
    kwargs = models.JSONField(_("argumen"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("percobaan maksimum"), default=3)
    run_after = models.DateTimeField(_("jalan setelah"))
    progress_done = models.PositiveBigIntegerField(_("kemajuan"), default=0)
    progress_total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("pesan"), max_length=500, blank=True)
    result = models.JSONField(_("hasil"), null=True, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimulai oleh"),
    )
    task_id = models.CharField(_("ID tugas"), max_length=64, blank=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("detak terakhir"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "run_after"], name="jobs_status_run_after")]

    def __str__(self) -> str:
        return f"{self.handler} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class WorkerBeat(models.Model):
    """One row per worker process, touched every few seconds while it lives."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    backend = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("detak worker")
        verbose_name_plural = _("detak worker")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.hostname}:{self.pid}"


class PeriodicSlot(models.Model):
    """When each periodic job is next due; claimed by a conditional UPDATE, so several
    workers enqueue it once."""

    name = models.CharField(max_length=200, primary_key=True)
    next_at = models.DateTimeField()
    last_job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return self.name
