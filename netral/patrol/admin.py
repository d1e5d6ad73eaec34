"""Administrators read captures, letters and watch lists; evidence is never edited here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from netral.patrol.models import (
    AccountCheck,
    AccountProposal,
    Capture,
    CaptureFile,
    PatrolAssignment,
    TakedownItem,
    TakedownLetter,
    WatchTerm,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CaptureFileInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaptureFile
    extra = 0
    fields = ("role", "name", "content_type", "size", "sha256")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Capture)
class CaptureAdmin(ReadOnlyAdmin):
    list_display = ("code", "created_at", "method", "status", "triage", "url", "official")
    list_filter = ("status", "triage", "method")
    search_fields = ("code", "url", "official__name")
    raw_id_fields = ("official", "account", "case", "duplicate_of", "near_duplicate_of")
    inlines = [CaptureFileInline]


@admin.register(TakedownLetter)
class TakedownLetterAdmin(ReadOnlyAdmin):
    list_display = ("number", "created_at", "recipient", "unit_region")
    search_fields = ("number",)


@admin.register(TakedownItem)
class TakedownItemAdmin(ReadOnlyAdmin):
    list_display = ("letter", "capture", "state", "last_checked_at")
    list_filter = ("state",)


@admin.register(WatchTerm)
class WatchTermAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("term", "kind", "election_event", "unit_region")
    list_filter = ("kind", "election_event")
    search_fields = ("term",)
    raw_id_fields = ("unit_region", "created_by")


@admin.register(AccountProposal)
class AccountProposalAdmin(ReadOnlyAdmin):
    list_display = ("official", "platform", "handle", "status", "proposed_by")
    list_filter = ("status",)


@admin.register(AccountCheck)
class AccountCheckAdmin(ReadOnlyAdmin):
    list_display = ("account", "result", "checked_by", "created_at")


@admin.register(PatrolAssignment)
class PatrolAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("account", "officer", "assigned_by")
