from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from netral.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("created_at", "chain_key", "seq", "action", "actor_label", "region_code")
    list_filter = ("object_type", "action")
    search_fields = ("chain_key", "actor_label", "action")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
