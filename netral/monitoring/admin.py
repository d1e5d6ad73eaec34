from __future__ import annotations

from django.contrib import admin

from netral.monitoring.models import DeadlineAlert


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(admin.ModelAdmin[DeadlineAlert]):
    list_display = ["created_at", "kind", "step", "due_at", "case"]
    list_filter = ["kind", "step"]
