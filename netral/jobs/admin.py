"""Administrators see every background job, failed ones with their error, and retry them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netral.jobs.models import Job, JobStatus, WorkerBeat
from netral.jobs.services import job_retry


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = (
        "id",
        "handler",
        "status",
        "attempts",
        "progress_done",
        "progress_total",
        "created_at",
        "finished_at",
        "short_error",
    )
    list_filter = ("status", "handler")
    search_fields = ("handler", "key", "error")
    actions = ["retry_jobs"]

    def get_readonly_fields(self, request: HttpRequest, obj: Job | None = None) -> list[str]:
        return [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        # Viewing only (the change form renders every field read-only); state changes go
        # through the retry action, which audits them.
        return bool(request.method in ("GET", "HEAD") and super().has_view_permission(request))

    @admin.display(description=_("kesalahan"))
    def short_error(self, obj: Job) -> str:
        lines = [line for line in obj.error.strip().splitlines() if line.strip()]
        return lines[-1][:120] if lines else ""

    @admin.action(description=_("Ulangi pekerjaan yang gagal"))
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        retried = 0
        for job in queryset.filter(status=JobStatus.FAILED):
            job_retry(job=job, actor=request.user)
            retried += 1
        self.message_user(
            request,
            ngettext("%(n)d pekerjaan diulang.", "%(n)d pekerjaan diulang.", retried)
            % {"n": retried},
            messages.SUCCESS,
        )


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin[WorkerBeat]):
    list_display = ("worker_id", "hostname", "pid", "backend", "started_at", "seen_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
