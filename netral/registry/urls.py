from __future__ import annotations

from django.urls import path

from netral.registry import views

app_name = "registry"
urlpatterns = [
    path("wilayah/", views.region_search, name="region_search"),
    path("wilayah/pilih/", views.region_pick, name="region_pick"),
    path("wilayah/<str:code>/", views.region_detail, name="region_detail"),
    path("pejabat/", views.official_list, name="official_list"),
    path("pejabat/cakupan/", views.official_coverage, name="coverage"),
    path("pejabat/impor/", views.official_import, name="import"),
    path("pejabat/impor/<int:job_id>/", views.import_job_detail, name="import_job"),
    path(
        "pejabat/impor/<int:job_id>/kesalahan.csv",
        views.import_job_errors,
        name="import_job_errors",
    ),
    path("pejabat/<int:official_id>/", views.official_detail, name="official_detail"),
]
