from __future__ import annotations

from django.urls import path

from netral.registry import views

app_name = "registry"
urlpatterns = [
    path("wilayah/", views.region_search, name="region_search"),
    path("wilayah/<str:code>/", views.region_detail, name="region_detail"),
]
