from __future__ import annotations

from django.urls import path

from netral.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.audit_recent, name="recent"),
    path("audit/<str:chain_key>/", views.audit_timeline, name="timeline"),
]
