from __future__ import annotations

from django.contrib import admin

from netral.elections.models import ElectionEvent


@admin.register(ElectionEvent)
class ElectionEventAdmin(admin.ModelAdmin[ElectionEvent]):
    list_display = ("name", "regime", "campaign_start", "voting_day", "region")
    list_filter = ("regime",)
