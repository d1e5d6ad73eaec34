"""Admin: the deadline rules and the holiday calendar are edited here (DOMAIN.md §5.7, §14)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from netral.cases.models import Case, CaseEvent, DeadlineRule, Holiday, NotificationLog
from netral.core import ttlcache


class _ClearsDeadlineCache:
    """Rules and holidays are cached per process (netral/cases/deadlines.py): an edit here
    applies at once in this process, in the others within NETRAL_DEADLINE_RULES_CACHE_SECONDS."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        ttlcache.invalidate("deadline_rules")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        ttlcache.invalidate("deadline_rules")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        ttlcache.invalidate("deadline_rules")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(_ClearsDeadlineCache, admin.ModelAdmin[DeadlineRule]):
    list_display = ["regime", "step", "amount", "unit", "anchor", "confidence", "legal_basis"]
    list_filter = ["regime", "confidence"]
    list_editable = ["amount", "unit"]


@admin.register(Holiday)
class HolidayAdmin(_ClearsDeadlineCache, admin.ModelAdmin[Holiday]):
    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class CaseEventInline(admin.TabularInline[CaseEvent, Case]):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["type", "actor", "from_status", "to_status", "note", "created_at"]
    fields = ("type", "actor", "from_status", "to_status", "note", "created_at")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Read-only: state changes go through the workflow, never through the admin."""

    list_display = ["id", "registration_number", "tracking_number", "origin", "status", "due_at"]
    list_filter = ["status", "origin", "regime"]
    search_fields = ["registration_number", "tracking_number", "title"]
    inlines = [CaseEventInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin[NotificationLog]):
    list_display = ["created_at", "kind", "recipient_email", "outcome", "case"]
    list_filter = ["kind", "outcome"]
