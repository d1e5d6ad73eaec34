from __future__ import annotations

from django.contrib import admin

from netral.registry.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name", "level", "edition")
    list_filter = ("level",)
    search_fields = ("code", "name_folded")
    readonly_fields = ("code", "name", "level", "parent", "edition")
