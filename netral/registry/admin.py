from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from netral.audit.services import audit_record
from netral.registry.models import Agency, ImportJob, Region
from netral.registry.text import fold


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name", "level", "edition")
    list_filter = ("level",)
    search_fields = ("code", "name_folded")
    readonly_fields = ("code", "name", "level", "parent", "edition")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    """Agencies created by imports get their PPK (who imposes discipline) filled in here."""

    list_display = ("name", "kind", "region", "ppk_name")
    list_filter = ("kind",)
    search_fields = ("name_folded",)
    raw_id_fields = ("region",)
    readonly_fields = ("name_folded", "created_at")

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        fields = ("name", "kind", "region_id", "ppk_name")
        before = Agency.objects.filter(pk=obj.pk).values(*fields).first() if change else None
        obj.name_folded = fold(obj.name)
        super().save_model(request, obj, form, change)
        audit_record(
            obj=obj,
            action="agency.update" if change else "agency.create",
            actor=request.user if request.user.is_authenticated else None,
            before=before,
            after={f: getattr(obj, f) for f in fields},
            region_code=obj.region_id,
            note="admin",
        )


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = (
        "original_name",
        "status",
        "dry_run",
        "processed",
        "error_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "dry_run")
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
