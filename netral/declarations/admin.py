"""Admin: read-mostly. Signatures are never deleted or edited here (revocation is a
service with a reason); pledge texts are edited through the officer UI (versioning)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from netral.declarations.models import (
    Event,
    EventDocument,
    EventSpeaker,
    PledgeTemplate,
    Signature,
    SigningInvitation,
)


@admin.register(PledgeTemplate)
class PledgeTemplateAdmin(admin.ModelAdmin[PledgeTemplate]):
    list_display = ("title", "version", "kind", "regime", "region", "is_standard")
    list_filter = ("kind", "regime", "is_standard")
    search_fields = ("title",)
    readonly_fields = ("family", "version", "copied_from", "created_by")


class SpeakerInline(admin.TabularInline[EventSpeaker, Event]):
    model = EventSpeaker
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("title", "date", "region", "organiser")
    list_filter = ("is_sosialisasi", "is_deklarasi", "is_apel", "is_rakor")
    search_fields = ("title", "organiser", "venue")
    raw_id_fields = ("region",)
    inlines = [SpeakerInline]


@admin.register(EventDocument)
class EventDocumentAdmin(admin.ModelAdmin[EventDocument]):
    list_display = ("event", "kind", "content_type", "size", "created_at")
    readonly_fields = ("sha256", "size", "content_type")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin[Signature]):
    list_display = ("signer_name", "event", "method", "signed_at", "revoked_at")
    list_filter = ("method",)
    search_fields = ("signer_name", "code")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SigningInvitation)
class SigningInvitationAdmin(admin.ModelAdmin[SigningInvitation]):
    list_display = ("event", "official", "via", "expires_at", "otp_sends", "completed_at")
    exclude = ("token_hash", "otp_hash")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
