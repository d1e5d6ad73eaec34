from __future__ import annotations

from django.urls import path

from netral.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/laporan.<str:fmt>", views.report_download, name="report"),
]
urlpatterns += [
    path("dasbor/ekspor/", views.export_index, name="exports"),
    path("dasbor/ekspor/<slug:key>.<str:fmt>", views.export_download, name="export"),
    path("transparansi/", views.transparency, name="transparency"),
]
